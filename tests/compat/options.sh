#!/bin/bash
# The option table, generated: every option of kexec-tools 2.0.25's getopt
# table per arch (tests/compat/kexec-tools-2.0.25.options, recorded from its
# source by record-kexec-tools-options.py) run through ukexec --dry-run with
# the arguments of tests/compat/options.data; ukexec's answer (accepted, no
# effect with -d's reason, or refused with its one line and exit code) is
# read from the run, the verdict and notes from the data. Checks (TAP):
# every recorded option has a row, each verdict agrees with what ukexec did,
# and doc/compat.md's generated tables are this script's --table output.
#
#   tests/compat/options.sh            (make check: TAP)
#   tests/compat/options.sh --table    the Markdown tables for doc/compat.md
# To regenerate doc/compat.md's tables: run --table from a build directory
# (top_srcdir=.. top_builddir=.) and paste its output between the
# "generated" markers, or run tests/compat/options.sh --update-doc.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"
recorded=$top/tests/compat/kexec-tools-2.0.25.options
data=$top/tests/compat/options.data
doc=$top/doc/compat.md
mode=tap
case $1 in --table) mode=table ;; --update-doc) mode=update ;; esac

kernel=$(ls "$cache"/6.1/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$kernel" ] && [ -f "$kernel" ] ||
	skip_all "the recorded x86_64 machine's kernel is not in $cache (scripts/fetch-kernels)"

ppc=$top/tests/golden/ppc64-pseries-6.1
ppc_kernel=${UKEXEC_PPC64_CACHE:-$top/tests/e2e-ppc64/cache}/debian-vmlinux
[ -f "$ppc_kernel" ] || skip_all "the recorded ppc64 machine's kernel is not in $ppc_kernel (scripts/fetch-ppc64)"
grep -qs '^#define HAVE_LIBFDT 1' "${top_builddir:-.}/config.h" || skip_all "built without libfdt: no ppc64 loader"

# ROOT: the recorded x86_64 machine (crash region, /proc/cmdline), nothing
# loaded, plus the device tree's crash region for ppc64; LOADED: kexec_loaded 1
root=$tmp/root loaded=$tmp/loaded
cp -a "$top/tests/golden/x86_64-debian-6.1-efi/sysroot" "$root"
mkdir -p "$root/sys/kernel" "$root/proc/device-tree/chosen"
echo 0 > "$root/sys/kernel/kexec_loaded"; echo 0 > "$root/sys/kernel/kexec_crash_loaded"
printf '\0\0\0\0\x2b\0\0\0' > "$root/proc/device-tree/chosen/linux,crashkernel-base"
printf '\0\0\0\0\x10\0\0\0' > "$root/proc/device-tree/chosen/linux,crashkernel-size"
cp -a "$root" "$loaded"; echo 1 > "$loaded/sys/kernel/kexec_loaded"
head -c 4096 /dev/zero > "$tmp/k"; head -c 512 /dev/zero > "$tmp/i"
# the recorded ppc64 machine booted with retain_initrd (its /chosen has its initrd)
cp -a "$ppc/sysroot" "$tmp/ppcri" && chmod -R u+w "$tmp/ppcri" &&
	echo "$(cat "$ppc/sysroot/proc/cmdline") retain_initrd" > "$tmp/ppcri/proc/cmdline"

short_of() {
	case $1 in
	help) echo h ;; version) echo v ;; debug) echo d ;; force) echo f ;; no-checks) echo i ;;
	no-ifdown) echo x ;; no-sync) echo y ;; load) echo l ;; unload) echo u ;; exec) echo e ;;
	type) echo t ;; load-panic) echo p ;; kexec-file-syscall) echo s ;; kexec-syscall) echo c ;;
	kexec-syscall-auto) echo a ;; status) echo S ;;
	esac
}
trim() { sed -e 's/^ *//' -e 's/ *$//' <<< "$1"; }

# run ARCH OPTION HOW: sets st and answer (ukexec's column)
run() {
	local arch=$1 words=${3//@KERNEL@/$kernel}
	words=${words//@LOADED@/$loaded}
	words=${words//@PPC64@/--sysroot=$ppc/sysroot --purgatory=$ppc/kexec_purgatory}
	words=${words//@PPC64RI@/--sysroot=$tmp/ppcri --purgatory=$ppc/kexec_purgatory}
	words=${words//@PPCKERNEL@/$ppc_kernel}
	words=${words//@DTB@/$ppc/sysroot/sys/firmware/fdt}
	words=${words//@BIOS@/--sysroot=$top/tests/golden/x86_64-debian-6.1/sysroot}
	words=${words//@K@/$tmp/k}
	words=${words//@I@/$tmp/i}
	eval "set -- $words"
	"$kexec" --dry-run -d --arch="$arch" --sysroot="$root" "$@" >"$tmp/out" 2>"$tmp/err"
}

declare -A row_verdict row_how row_note
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	IFS='|' read -r arch opt verdict how note <<< "$line"
	key="$(trim "$arch") $(trim "$opt")"
	row_verdict[$key]=$(trim "$verdict") row_how[$key]=$(trim "$how") row_note[$key]=$(trim "$note")
	order+=("$key")
done < "$data"

# every recorded option has a row (the common ones on x86_64, the table's arch)
missing=
while read -r arch opt has_arg class; do
	case $arch in '#'*) continue ;; esac
	[ "$arch" != x86_64 ] && [ "$class" = common ] && continue
	[ -n "${row_verdict[$arch $opt]}" ] || missing="$missing $arch:--$opt"
done < "$recorded"
if [ "$mode" = tap ]; then
	[ -z "$missing" ]; ok $? "every kexec-tools 2.0.25 option has a row in options.data${missing:+ (missing:$missing)}"
fi

table() {
	local arch key opt s name answer first
	first=1
	for key in "${order[@]}"; do
		arch=${key%% *} opt=${key#* }
		if [ "$arch" != "$cur" ]; then
			[ -n "$first" ] || echo
			first=
			cur=$arch
			echo "| $arch: kexec-tools option | ukexec (generated) | verdict | notes |"
			echo "|---|---|---|---|"
		fi
		s=$(short_of "$opt")
		name="\`--$opt\`"
		[ -n "$s" ] && name="\`-$s\`, $name"
		echo "| $name | ${answer_of[$key]} | ${row_verdict[$key]} | ${row_note[$key]} |"
	done
}

declare -A answer_of
for key in "${order[@]}"; do
	arch=${key%% *} opt=${key#* }
	run "$arch" "$opt" "${row_how[$key]}"
	st=$?
	why=$(sed -n "s/^--$opt: no effect on the in-kernel plan: //p" "$tmp/err" | head -1)
	msg=$(grep -v "no effect on the in-kernel plan" "$tmp/err" | grep '^kexec: ' | head -1 | sed -e 's/^kexec: //' -e "s|$tmp|ROOT|g")
	# the kernels' paths depend on where the tree is built: named, not spelled
	msg=${msg//"$kernel"/KERNEL} msg=${msg//"$ppc_kernel"/PPCKERNEL}
	if [ $st -ne 0 ]; then
		answer="refused, exit $st: ${msg//|/\\|}"
	elif [ -n "$why" ]; then
		answer="accepted, no effect: ${why//|/\\|}"
	else
		answer="accepted"
	fi
	answer_of[$key]=$answer
	[ "$mode" = tap ] || continue
	case ${row_verdict[$key]} in
	same|variant) [ $st -eq 0 ] && [ -z "$why" ] ;;
	"no effect") [ $st -eq 0 ] && [ -n "$why" ] ;;
	refused|"same, refused") [ $st -ne 0 ] && [ "$(grep -c '^kexec: ' "$tmp/err")" -eq 1 ] ;;
	*) false ;;
	esac
	ok $? "$arch --$opt: ${row_verdict[$key]}; ukexec: $answer"
done

case $mode in
table)	table; exit 0 ;;
update)	table > "$tmp/table"
	awk -v t="$tmp/table" '/^<!-- generated by tests\/compat\/options.sh/ { print; while ((getline l < t) > 0) print l; skip = 1; next }
		/^<!-- end of generated tables -->/ { skip = 0 } !skip' "$doc" > "$tmp/doc" && cp "$tmp/doc" "$doc"
	exit 0 ;;
esac
table > "$tmp/table"
sed -n '/^<!-- generated by tests\/compat\/options.sh/,/^<!-- end of generated tables -->/p' "$doc" | sed '1d;$d' > "$tmp/doc-table"
diff -u "$tmp/doc-table" "$tmp/table" > "$tmp/drift"
ok $? "doc/compat.md's option tables are tests/compat/options.sh --table's output$( [ -s "$tmp/drift" ] && echo "; drift:" && head -20 "$tmp/drift" | sed 's/^/# /')"
done_testing
