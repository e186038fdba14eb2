#!/bin/bash
# The callers table: each command line in tests/compat/callers.data (what the
# distributions' callers of /sbin/kexec run, from their sources) through
# ukexec --dry-run on a recorded machine, judged against what kexec-tools
# 2.0.25 does with it (the data's column, read in its source): the exit
# code, then what is loaded (the initrd segment's bytes, the command line's
# bytes in a segment or in the kexec_file_load call, the crash flag) and by
# which syscall. One TAP line per caller: the verdict must be the one the
# data expects, so a caller that works and stops working fails the test.
#
#   tests/compat/callers.sh [--table]    (from make check: TAP)
# --table prints the Markdown table (caller | command | ukexec | verdict).
# Needs the recorded machines' kernels (scripts/fetch-kernels,
# scripts/fetch-ppc64); a machine whose kernel is missing is skipped.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"
data=$top/tests/compat/callers.data
table=
[ "$1" = --table ] && table=1

x86=$top/tests/golden/x86_64-debian-6.1-efi
x86_kernel=$(ls "$cache"/6.1/boot/vmlinuz-* 2>/dev/null | head -1)
ppc=$top/tests/golden/ppc64-pseries-6.1
ppc_kernel=${UKEXEC_PPC64_CACHE:-$top/tests/e2e-ppc64/cache}/debian-vmlinux
# petitboot's --dtb: a device tree of the ppc64 machine
cp "$ppc/sysroot/sys/firmware/fdt" "$tmp/dtb"

# machine NAME STATE: sets dir, kernel, sysroot and harness (the ukexec-only
# options the dry run adds); 1 when the machine's kernel is not cached
machine() {
	case $1 in
	x86_64)	dir=$x86 kernel=$x86_kernel harness=() ;;
	ppc64)	dir=$ppc kernel=$ppc_kernel
		harness=(--arch=ppc64 --purgatory="$ppc/kexec_purgatory")
		grep -qs '^#define HAVE_LIBFDT 1' "${top_builddir:-.}/config.h" || return 1 ;;
	esac
	[ -n "$kernel" ] && [ -f "$kernel" ] || return 1
	sysroot=$dir/sysroot
	if [ "$2" = loaded ]; then
		sysroot=$tmp/loaded-$1
		if [ ! -d "$sysroot" ]; then
			cp -a "$dir/sysroot" "$sysroot" && mkdir -p "$sysroot/sys/kernel" &&
				echo 1 > "$sysroot/sys/kernel/kexec_loaded"
		fi
	fi
	return 0
}

# field NAME: the value of NAME=... in the kexec-tools column
field() {
	case $1 in
	cmdline) sed -n 's/.* cmdline="\(.*\)"$/\1/p' <<< "$kt" ;;
	*) sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<< "$kt" ;;
	esac
}

# judge: sets verdict (and why) from the run in $tmp/out, $tmp/err, $st
judge() {
	local kexit what crash want_cmdline uk_sys
	kexit=$(field exit) what=$(field what) crash=$(field crash) want_cmdline=$(field cmdline)
	if [ "$st" != "$kexit" ]; then
		if [ "$kexit" = 0 ]; then
			verdict=refused why="exit $st: $(head -1 "$tmp/err")"
		elif [ "$st" = 0 ]; then
			verdict="accepted" why="kexec-tools exits $kexit; ukexec 0"
		else
			verdict="both refuse" why="exit $st (kexec-tools $kexit): $(head -1 "$tmp/err")"
		fi
		return
	fi
	if [ "$kexit" != 0 ]; then
		verdict="both refuse" why="exit $st: $(head -1 "$tmp/err")"
		return
	fi
	case $what in
	none)	verdict=same why="exit 0" ; return ;;
	exec)	grep -q '^reboot(LINUX_REBOOT_CMD_KEXEC)$' "$tmp/out" ||
			{ verdict=DIFFERS why="no reboot(LINUX_REBOOT_CMD_KEXEC) in the dry run"; return; }
		verdict=same why="reboot(LINUX_REBOOT_CMD_KEXEC) after sync and ifdown"; return ;;
	unload)	if [ "$crash" = 1 ] && ! grep -q 'KEXEC_FILE_UNLOAD|KEXEC_FILE_ON_CRASH' "$tmp/out"; then
			verdict=DIFFERS why="the unload is not the crash kernel's"; return
		fi
		verdict=same why="$(head -1 "$tmp/out")"; return ;;
	esac
	# a load: the same initrd, command line and crash flag
	if [ -s "$tmp/out" ] && grep -q '^kexec_file_load(' "$tmp/out"; then
		uk_sys=file
		grep -qF "initrd_fd=<$initrd>" "$tmp/out" && grep -qF "cmdline=\"$want_cmdline\"" "$tmp/out" ||
			{ verdict=DIFFERS why="$(head -1 "$tmp/out")"; return; }
		if [ "$crash" = 1 ] && ! grep -q KEXEC_FILE_ON_CRASH "$tmp/out" ||
			[ "$crash" != 1 ] && grep -q KEXEC_FILE_ON_CRASH "$tmp/out"; then
			verdict=DIFFERS why="the crash flag differs: $(head -1 "$tmp/out")"; return
		fi
		why="kexec_file_load of the same kernel, initrd and command line"
	else
		uk_sys=auto
		grep -q " $(sha256sum < "$initrd" | cut -d' ' -f1) initrd\$" "$tmp/dump/manifest" ||
			{ verdict=DIFFERS why="no initrd segment with the initrd's bytes"; return; }
		grep -qaF -- "$want_cmdline" "$tmp"/dump/segment-*.bin ||
			{ verdict=DIFFERS why="the command line is in no segment"; return; }
		if [ "$crash" = 1 ] && ! grep -q '^flags 0x1$' "$tmp/dump/manifest" ||
			[ "$crash" != 1 ] && grep -q '^flags 0x1$' "$tmp/dump/manifest"; then
			verdict=DIFFERS why="the crash flag differs: $(grep '^flags' "$tmp/dump/manifest")"; return
		fi
		why="the same kernel, initrd and command line; $(sed -n 's/^segment [0-9]* [^ ]* \(0x[0-9a-f]*\) .* kernel$/kernel at \1/p' "$tmp/dump/manifest")"
	fi
	case $what:$uk_sys in
	file:file|auto:auto) verdict=same ;;
	load:*)	verdict=variant
		why="$why; kexec-tools: kexec_load with its own layout, ukexec: kexec_file_load, else the in-kernel plan through kexec_load" ;;
	*)	verdict=DIFFERS why="kexec-tools: $what, ukexec: $uk_sys" ;;
	esac
}

[ -n "$table" ] && printf '| caller | command | ukexec (dry run) | verdict |\n|---|---|---|---|\n'
ran=0
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	IFS='|' read -r id caller source mach state kt expect command <<< "$line"
	trim() { sed -e 's/^ *//' -e 's/ *$//' <<< "$1"; }
	id=$(trim "$id") caller=$(trim "$caller") mach=$(trim "$mach") state=$(trim "$state")
	kt=$(trim "$kt") expect=$(trim "$expect") command=$(trim "$command")
	if ! machine "$mach" "$state"; then
		diag "$id: the $mach machine's kernel is not cached (scripts/fetch-kernels, scripts/fetch-ppc64): skipped"
		continue
	fi
	initrd=$dir/initrd.img
	words=${command//@KERNEL@/$kernel}
	words=${words//@INITRD@/$initrd}
	words=${words//@DTB@/$tmp/dtb}
	eval "set -- $words"
	extra=(--dry-run --sysroot="$sysroot" "${harness[@]}")
	case " $* " in *" -s "*|*" -v "*) ;; *) rm -rf "$tmp/dump"; extra+=(--dump-plan="$tmp/dump") ;; esac
	case " $* " in *" -u "*|*" -e "*) extra=(--dry-run --sysroot="$sysroot" "${harness[@]:0:1}") ;; esac
	"$kexec" "$@" "${extra[@]}" >"$tmp/out" 2>"$tmp/err"
	st=$?
	judge
	ran=$((ran + 1))
	[ "$verdict" = "$expect" ]
	agreed=$?
	if [ -z "$table" ]; then
		ok $agreed "$id: $verdict (expected $expect): $why"
	else
		shown=${command//|/\\|}
		printf '| %s | `kexec %s` | exit %s | %s: %s |\n' "$caller" "$shown" "$st" "$verdict" "${why//|/\\|}"
	fi
done < "$data"
[ -n "$table" ] && exit 0
[ "$ran" -gt 0 ] || skip_all "no recorded machine's kernel is cached"
done_testing
