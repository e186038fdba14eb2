#!/bin/bash
# The x86_64 QEMU end-to-end tests: real kexec inside guests (TCG unless KVM
# really works), on Debian's 6.1 and 6.12 amd64 kernels (scripts/fetch-kernels).
# Each case boots a kernel whose /init (tests/e2e-x86_64/init.sh) loads the same
# kernel with a second initramfs and a fresh marker, then kexec -e's (or
# crashes) into it; the case passes when the next kernel prints that marker.
#   s-load-exec   kexec -s -l + kexec -e            (kexec_file_load pass-through)
#   a-load-exec   kexec -a -l, kexec_file_load denied with ENOSYS by sysdeny:
#                 the fallback to the userspace plan + kexec_load; + kexec -e
#   c-load-exec   kexec -c -l + kexec -e            (userspace plan, kexec_load)
#   s-crash       kexec -s -p + sysrq c: the crash kernel runs, /proc/vmcore
#   s-gdb-entry   (6.12 only) kexec -s -l, then tests/e2e-x86_64/gdbdump.py stops the
#                 guest at the purgatory entry (hardware breakpoint through
#                 QEMU's gdbstub) during kexec -e: rip is the entry the kernel
#                 logged and the initrd segment in RAM is the initrd's bytes
#   harness       (6.12 only) a load that must fail: the checks see failures
#   c-elf-exec    (6.1 only) kexec -c -l of the kernel's vmlinux (extracted from
#                 the bzImage) with --args-linux: kexec-tools' elf-x86_64 loader,
#                 not the in-kernel plan; + kexec -e
#   c-mb-exec     (6.1 only) kexec -l -t multiboot-x86 of the multiboot test kernel
#                 (mbtest.S, assembled here with as --32) with --command-line and
#                 --module; + kexec -e: it prints the magic, the MBI's flags,
#                 command line and module, then triple-faults (QEMU exits)
#   c-mb2-exec    (6.1 only) the same kernel and options without -t: it has both
#                 headers, so multiboot2 (kexec-tools' probe order); it prints
#                 the magic and each tag (command line, loader, module, meminfo,
#                 memory map, framebuffer: the first kernel runs on vesafb,
#                 vga=0x317, whose mode kexec passes as an RGB framebuffer tag)
#   c-xen-exec    (6.1 only) kexec -l -t multiboot2-x86 of Debian bookworm's Xen
#                 (scripts/fetch-xen) with the Debian 6.1 kernel and initrd as
#                 dom0's modules; + kexec -e: Xen prints its banner, loads dom0,
#                 and dom0's /init prints the next marker on hvc0 (Xen's com1)
#   c-xen1-exec   (6.1 only) the same with -t multiboot-x86 (Xen's multiboot1 header)
#   c-xenrel-exec (6.1 only) c-xen-exec with min_addr 0x20000000 in Xen's relocatable
#                 tag: kexec moves Xen off its link address, Xen says where it runs
#   c-bz32-exec   (6.1 only) kexec -l -t bzImage: kexec-tools' 32-bit entry of
#                 the Debian bzImage through our purgatory's entry32; + kexec -e
#   c-bz16-exec   (6.1 only) kexec -l --real-mode: kexec-tools' 16-bit entry, the
#                 Debian kernel's setup code run on SeaBIOS through our
#                 purgatory's entry16; + kexec -e
#   c-nbi-exec    (6.1 only) kexec -l of an nbi image (tests/e2e-x86_64/nbitest.S
#                 wrapped by mknbi.py): its segments, entered at cs:ip in real
#                 mode through entry16; it prints "UKEXEC-NBI real mode"
#   c-nbi32-exec  (6.1 only) the same program wrapped with mknbi.py --entry32:
#                 entered at its linear address in 32-bit protected mode through
#                 entry32; it prints "UKEXEC-NBI protected mode"
#   c-elf32-exec  (6.1 only) kexec -l -t elf-x86 --args-linux of the test kernel
#                 without multiboot headers (mbtest.S, --defsym PLAIN_ELF=1) with
#                 an initrd and a command line; + kexec -e: it prints its
#                 registers (esi = the boot_params kexec -d placed) and what
#                 boot_params hold (HdrS, 2.06, initrd, command line)
#   c-elf32-none  (6.1 only) the same kernel probed with --args-none: every
#                 register 0 but esp (the purgatory's stack)
#   c-elf32-notes (6.1 only) the same kernel probed with a command line and no
#                 --args-* (kexec-tools' default, --args-elf): esp at the stack
#                 kexec -d placed, [esp] 0, [esp+4] the ELF boot notes (loader,
#                 version, command line)
#   c-i386-exec   (6.1 only, when UKEXEC_E2E_I386 names a cache of
#                 scripts/fetch-i386-kernel; tests/e2e-x86_64/i386-boot.sh)
#                 kexec -l -t elf-x86 --args-linux of a Debian 686 kernel's
#                 vmlinux, its initrd a tiny i386 /init (init386.S); + kexec -e:
#                 the i386 kernel prints its version and the marker on its
#                 command line, and its /init runs
# a- and c- report SKIP while ukexec answers "cannot load x86_64 kernels yet".
#
#   tests/e2e-x86_64/run-all.sh BUILD_DIR
#
# BUILD_DIR: a build of this tree; a static one is made beside it
# (BUILD_DIR-static). Writes tests/e2e-x86_64/results (PASS/FAIL/SKIP name) and
# the console logs to tests/e2e-x86_64/logs/; exits 1 on any FAIL.
# UKEXEC_E2E_RUNALL_RESULTS names another results file (i386-boot.sh's).
# UKEXEC_E2E_KERNELS="6.1 6.12", UKEXEC_E2E_CASES (a regex on case names)
# choose what runs.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

build=${1:-${TMPDIR:-/tmp}/ukexec-e2e}
results=${UKEXEC_E2E_RUNALL_RESULTS:-$e2e_dir/results}
logs=$e2e_dir/logs
kernels=${UKEXEC_E2E_KERNELS:-6.1 6.12}
cases=(s-load-exec a-load-exec c-load-exec s-crash)
case_re=${UKEXEC_E2E_CASES:-.}
mkdir -p "$logs"
: > "$results.tmp"
t_all=$SECONDS

result() {	# result PASS|FAIL|SKIP NAME WHY
	echo "$1 $2" >> "$results.tmp"
	echo "$1 $2${3:+: $3}"
}
finish() {
	mv "$results.tmp" "$results"
	echo "e2e: $(grep -c '^PASS' "$results") passed, $(grep -c '^FAIL' "$results") failed," \
		"$(grep -c '^SKIP' "$results") skipped in $((SECONDS - t_all)) s (${e2e_accel[*]:-no guest})"
	! grep -q '^FAIL' "$results"
	exit
}
skip_all() {
	local v c
	for v in $kernels; do
		for c in "${cases[@]}"; do
			[[ $c =~ $case_re ]] && result SKIP "x86_64-$v-$c" "$1"
		done
	done
	finish
}

command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64"
command -v cpio >/dev/null || skip_all "no cpio"
e2e_inputs || skip_all "scripts/fetch-kernels failed (offline?)"
static=$(e2e_static_build "$build-static")
if [ -z "$static" ]; then
	for v in $kernels; do result FAIL "x86_64-$v-static-build" "see $build-static/make.log"; done
	finish
fi
e2e_qemu_accel

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
e2e_root "$tmp/r2" && e2e_cpio "$tmp/r2" "$tmp/initrd2" || exit 1

# extract_vmlinux BZIMAGE OUT: the ELF vmlinux inside a bzImage (its payload,
# found through the setup header, decompressed by xz or zstd)
extract_vmlinux() { "$e2e_top/scripts/extract-vmlinux" "$@"; }

# check_elf32 NAME MODE LOG MARKER TIME: what the elf-x86 test kernel printed,
# against the addresses kexec -d logged in the first kernel
check_elf32() {
	local name=$1 mode=$2 log=$3 m2=$4 t=$5 bp rd notes regs want wants
	bp=$(tr -d '\r' <"$log" | sed -n 's/.*boot_params: placed at \(0x[0-9a-f]*\).*/\1/p' | head -1)
	notes=$(tr -d '\r' <"$log" | sed -n 's/.*ELF boot notes: placed at \(0x[0-9a-f]*\).*/\1/p' | head -1)
	rd=$(tr -d '\r' <"$log" | sed -n 's/.*initrd: placed at \(0x[0-9a-f]*\).*/\1/p' | head -1)
	regs="eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000"
	if [ "$mode" = e32 ]; then
		[ -n "$bp" ] && [ -n "$rd" ] ||
			{ result FAIL "$name" "kexec -d did not log boot_params/initrd ($t, $log)"; return; }
		wants=("UKEXEC-ELF32 $regs esi=$(printf '0x%08x' "$bp") edi=0x00000000"
			"UKEXEC-ELF32-BP version=0x00000206 initrd=$(printf '0x%08x' "$rd") initrd_size=0x00000014"
			"UKEXEC-ELF32-CMDLINE ukexec.marker=$m2")
	elif [ "$mode" = e32e ]; then
		[ -n "$notes" ] || { result FAIL "$name" "kexec -d did not log the ELF boot notes ($t, $log)"; return; }
		# the notes' segment: a 4 KiB stack, [esp] 0 and [esp+4] the notes at its top
		wants=("UKEXEC-ELF32 $regs esi=0x00000000 edi=0x00000000 esp=$(printf '0x%08x' $((notes + 0xff8)))"
			"UKEXEC-ELF32-NOTES ret=0x00000000 size=" " records=0x00000003"
			"UKEXEC-ELF32-NOTE-LOADER ukexec" "UKEXEC-ELF32-NOTE-VERSION "
			"UKEXEC-ELF32-NOTE-CMDLINE ukexec.marker=$m2")
	else
		wants=("UKEXEC-ELF32 $regs esi=0x00000000 edi=0x00000000")
		! e2e_seen "$log" "UKEXEC-ELF32-BP" ||
			{ result FAIL "$name" "--args-none passed boot_params ($t, $log)"; return; }
	fi
	for want in "${wants[@]}" "UKEXEC-MB-DONE"; do
		e2e_seen "$log" "$want" && continue
		result FAIL "$name" "the elf-x86 test kernel did not print '$want' ($t, $log:" \
			"$(tr -d '\r' <"$log" | grep -aE 'UKEXEC-(FAIL|ELF32)' | head -3 | tr '\n' ' '))"
		return
	done
	result PASS "$name" "$t, $(tr -d '\r' <"$log" | grep -a '^UKEXEC-ELF32 ' | head -1)"
}

# run_case VER CASE
run_case() {
	local ver=$1 c=$2 name=x86_64-$1-$2 kernel mode m1 m2 log st rd extra=()
	kernel=$(e2e_kernel "$ver") || { result SKIP "$name" "no $ver kernel"; return; }
	case $c in
	s-load-exec) mode=s ;;
	a-load-exec) mode=a ;;
	c-load-exec) mode=c ;;
	c-elf-exec) mode=e ;;
	c-mb-exec) mode=m ;;
	c-mb2-exec) mode=m2 ;;
	c-bz32-exec) mode=b ;;
	c-xen-exec) mode=x2 ;;
	c-xen1-exec) mode=x1 ;;
	c-xenrel-exec) mode=x2r ;;
	c-bz16-exec) mode=r ;;
	c-nbi-exec) mode=n ;;
	c-nbi32-exec) mode=n32 ;;
	c-elf32-exec) mode=e32 ;;
	c-elf32-none) mode=e32n ;;
	c-elf32-notes) mode=e32e ;;
	c-i386-exec) mode=i386 ;;
	s-crash) mode=sp ;;
	harness) mode=bad ;;
	esac
	rd=$tmp/initrd1-$ver
	if [ "$mode" = e ]; then
		rd=$tmp/initrd1e-$ver
		extract_vmlinux "$kernel" "$tmp/vmlinux-$ver" ||
			{ result FAIL "$name" "no vmlinux extracted from $kernel (xz/zstd?)"; return; }
		extra=(vmlinux="$tmp/vmlinux-$ver")
	fi
	if [ "$mode" = m ] || [ "$mode" = m2 ]; then
		rd=$tmp/initrd1m-$ver
		e2e_mbtest "$tmp" || { result SKIP "$name" "no as --32 / ld -m elf_i386"; return; }
		extra=(mbtest.elf="$tmp/mbtest.elf" mbmod="$tmp/mbmod")
	fi
	if [[ $mode = x* ]]; then
		local xen
		rd=$tmp/initrd1$mode-$ver
		e2e_xen_inputs "$tmp" "$static/kexec/kexec" || { result FAIL "$name" "scripts/fetch-xen or dom0's initramfs"; return; }
		xen=$e2e_xen
		if [ "$mode" = x2r ]; then
			python3 - "$xen" "$tmp/xen-rel" <<'PY' || { result FAIL "$name" "no relocatable tag in $xen"; return; }
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
h = next(o for o in range(0, 32768, 8) if struct.unpack_from('<I', b, o)[0] == 0xe85250d6)
o, end = h + 16, h + struct.unpack_from('<I', b, h + 8)[0]
while o < end:
    t, f, z = struct.unpack_from('<HHI', b, o)
    if t == 10:
        struct.pack_into('<I', b, o + 8, 0x20000000)	# min_addr: above the link address
        open(sys.argv[2], 'wb').write(b)
        sys.exit(0)
    o += (z + 7) & ~7
sys.exit(1)
PY
			xen=$tmp/xen-rel
		fi
		extra=(xen="$xen" initrd2x="$tmp/initrd2x")
	fi
	if [ "$mode" = n ] || [ "$mode" = n32 ]; then
		local entry32=
		[ "$mode" = n32 ] && entry32=--entry32
		rd=$tmp/initrd1$mode-$ver
		as --32 -o "$tmp/nbitest.o" "$e2e_dir/nbitest.S" &&
			objcopy -O binary "$tmp/nbitest.o" "$tmp/nbitest.bin" &&
			python3 "$e2e_dir/mknbi.py" $entry32 "$tmp/nbitest.bin" UKEXEC-NBI "$tmp/nbitest-$mode.nbi" ||
			{ result SKIP "$name" "no as --32 / objcopy"; return; }
		extra=(nbitest.nbi="$tmp/nbitest-$mode.nbi")
	fi
	if [ "$mode" = e32 ] || [ "$mode" = e32n ] || [ "$mode" = e32e ]; then
		rd=$tmp/initrd1e32-$ver
		as --32 --defsym PLAIN_ELF=1 -o "$tmp/elf32.o" "$e2e_dir/mbtest.S" &&
			ld -m elf_i386 -z max-page-size=0x1000 -T "$e2e_dir/mbtest.ld" \
				-o "$tmp/elf32.elf" "$tmp/elf32.o" 2>/dev/null ||
			{ result SKIP "$name" "no as --32 / ld -m elf_i386"; return; }
		echo "ukexec-module-bytes" > "$tmp/mbmod"
		extra=(elf32.elf="$tmp/elf32.elf" mbmod="$tmp/mbmod")
	fi
	if [ "$mode" = i386 ]; then
		rd=$tmp/initrd1i386-$ver
		mkdir -p "$tmp/root386" &&
			as --32 -o "$tmp/init386.o" "$e2e_dir/init386.S" &&
			ld -m elf_i386 -static -o "$tmp/root386/init" "$tmp/init386.o" &&
			(cd "$tmp/root386" && echo init | cpio -o -H newc --quiet > "$tmp/init386.cpio") ||
			{ result FAIL "$name" "no i386 /init (as --32, ld -m elf_i386, cpio)"; return; }
		extra=(vmlinux386="$UKEXEC_E2E_I386/vmlinux" init386.cpio="$tmp/init386.cpio")
	fi
	if [ ! -s "$rd" ]; then
		e2e_initramfs "$rd" kexec="$static/kexec/kexec" \
			sysdeny="$static/tests/tools/sysdeny" vmlinuz="$kernel" initrd2="$tmp/initrd2" \
			"${extra[@]}" || { result FAIL "$name" "initramfs"; return; }
	fi
	m1=$(e2e_marker first) m2=$(e2e_marker next)
	log=$logs/$name.log
	local append="ukexec.stage=load ukexec.mode=$mode ukexec.marker=$m1 ukexec.next=$m2"
	[ "$mode" = sp ] && append="$append crashkernel=256M"
	# a VESA mode (1024x768, 16 bpp) set by the kernel's setup: vesafb is
	# /dev/fb0, whose multiboot2 framebuffer tag mbtest prints
	[ "$mode" = m2 ] && append="$append vga=0x317"
	e2e_qemu "$log" "${UKEXEC_E2E_TIMEOUT:-150}" "$kernel" "$rd" "$append"
	st=$?
	local t="${e2e_secs}s, qemu exit $st"
	if ! e2e_seen "$log" "UKEXEC-FIRST $m1"; then
		result FAIL "$name" "the first kernel did not reach /init ($t, $log)"
		return
	fi
	if [ "$mode" = a ] && ! e2e_seen "$log" "falling back to the userspace plan"; then
		result FAIL "$name" "kexec -a did not fall back from the denied kexec_file_load ($t, $log)"
		return
	fi
	if [ "$mode" = bad ]; then
		if e2e_seen "$log" "UKEXEC-FAIL kexec bad load" && ! e2e_seen "$log" "UKEXEC-SECOND $m2"; then
			result PASS "$name" "a bad load is seen failing ($t)"
		else
			result FAIL "$name" "a load of a non-kernel was not reported as failing ($t, $log)"
		fi
		return
	fi
	if e2e_seen "$log" "UKEXEC-UNSUPPORTED"; then
		if [ "$mode" = a ] || [ "$mode" = c ]; then
			result SKIP "$name" "ukexec cannot load x86_64 kernels yet ($t)"
		else
			result FAIL "$name" "pass-through load reported unsupported ($t, $log)"
		fi
		return
	fi
	if [ "$mode" = sp ]; then
		local size
		size=$(e2e_field "$log" UKEXEC-VMCORE)
		if ! e2e_seen "$log" "UKEXEC-CRASHED $m2"; then
			result FAIL "$name" "the crash kernel did not print its marker ($t, $log)"
		elif ! [ "${size:-0}" -gt 0 ] 2>/dev/null; then
			result FAIL "$name" "the crash kernel has no /proc/vmcore ($size) ($t, $log)"
		else
			result PASS "$name" "$t, /proc/vmcore $size bytes"
		fi
		return
	fi
	if [ "$mode" = m ] || [ "$mode" = m2 ]; then
		e2e_check_multiboot "$name" "$mode" "$log" "$m2" "$t"
		return
	fi
	if [[ $mode = x* ]]; then
		local rel=
		if [ "$mode" = x2r ]; then
			# Xen's base: where kexec put it (-d) less its link address
			local at link
			at=$(tr -d '\r' <"$log" | sed -n 's/.*relocatable multiboot2 image: .* bytes at \(0x[0-9a-f]*\) (linked at \(0x[0-9a-f]*\)).*/\1 \2/p' | head -n1)
			link=${at#* } at=${at% *}
			[ -n "$at" ] && [ "$at" != 0x200000 ] && rel=$(printf '(XEN) Xen image load base address: 0x%x\n' $((at - link))) ||
				rel="ukexec -d: relocatable multiboot2 image ... bytes at (not the link address)"
		fi
		e2e_check_xen "$name" "$log" "$m2" "$t" ${rel:+"$rel"}
		return
	fi
	if [ "$mode" = n ] || [ "$mode" = n32 ]; then
		local want="UKEXEC-NBI real mode"
		[ "$mode" = n32 ] && want="UKEXEC-NBI protected mode"
		if e2e_seen "$log" "$want"; then
			result PASS "$name" "$t, the nbi program printed '$want'"
		else
			result FAIL "$name" "the nbi program did not print '$want' ($t, $log:" \
				"$(tr -d '\r' <"$log" | grep -E 'UKEXEC-(FAIL|OUT)' | head -3 | tr '\n' ' '))"
		fi
		return
	fi
	if [ "$mode" = e32 ] || [ "$mode" = e32n ] || [ "$mode" = e32e ]; then
		check_elf32 "$name" "$mode" "$log" "$m2" "$t"
		return
	fi
	if [ "$mode" = i386 ]; then
		local want
		for want in "Linux version $(cat "$UKEXEC_E2E_I386/release")" \
			"Kernel command line: console=ttyS0 panic=-1 ukexec.stage=second ukexec.marker=$m2" \
			"UKEXEC-I386-INIT"; do
			e2e_seen "$log" "$want" && continue
			result FAIL "$name" "the i386 kernel did not print '$want' ($t, $log)"
			return
		done
		result PASS "$name" "$t, $(tr -d '\r' <"$log" | grep -ao 'Linux version [^ ]* ' | tail -1)"
		return
	fi
	if e2e_seen "$log" "UKEXEC-SECOND $m2"; then
		result PASS "$name" "$t"
	else
		result FAIL "$name" "the second kernel did not print its marker ($t, $log:" \
			"$(tr -d '\r' <"$log" | grep -E 'UKEXEC-(FAIL|OUT)|Kernel panic' | head -3 | tr '\n' ' '))"
	fi
}

# run_gdb_case VER: the s-gdb-entry case
run_gdb_case() {
	local ver=$1 name=x86_64-$1-s-gdb-entry kernel m1 m2 log qpid ready entry initrd w
	kernel=$(e2e_kernel "$ver") || { result SKIP "$name" "no $ver kernel"; return; }
	if [ ! -s "$tmp/initrd1-$ver" ]; then
		e2e_initramfs "$tmp/initrd1-$ver" kexec="$static/kexec/kexec" \
			sysdeny="$static/tests/tools/sysdeny" vmlinuz="$kernel" initrd2="$tmp/initrd2" ||
			{ result FAIL "$name" "initramfs"; return; }
	fi
	w=$tmp/gdb-$ver
	mkdir -p "$w" && rm -f "$w"/* && mkfifo "$w/in" || { result FAIL "$name" "mkfifo"; return; }
	m1=$(e2e_marker first) m2=$(e2e_marker next)
	log=$logs/$name.log
	rm -f "$log"	# the wait below must not see the last run's markers
	exec 6<>"$w/in"
	local t0=$SECONDS
	e2e_stdin=$w/in e2e_qemu "$log" "${UKEXEC_E2E_TIMEOUT:-150}" "$kernel" "$tmp/initrd1-$ver" \
		"ukexec.stage=gdb ukexec.marker=$m1 ukexec.next=$m2" \
		-chardev "socket,id=g,path=$w/gdb.sock,server=on,wait=off" -gdb chardev:g \
		-qmp "unix:$w/qmp.sock,server=on,wait=off" &
	qpid=$!
	while kill -0 "$qpid" 2>/dev/null; do
		[ -f "$log" ] && e2e_seen "$log" UKEXEC-GDB-READY && break
		sleep 0.3
	done
	ready=$(e2e_field "$log" UKEXEC-GDB-READY)
	entry=${ready% *} initrd=${ready#* }
	if [[ ! $entry =~ ^0x[0-9a-f]+$ ]] || [[ ! $initrd =~ ^0x[0-9a-f]+$ ]]; then
		python3 "$qemu_lib_dir/qmp.py" "$w/qmp.sock" quit 2>/dev/null
		exec 6>&-
		wait "$qpid"
		# A first kernel that panics before it runs /init (seen once under
		# TCG with the gdbstub attached: a crash in start_kernel, before any
		# of ukexec ran) is the emulator's, not the test's: one more try.
		if [ -z "${gdb_retried:-}" ] && ! e2e_seen "$log" "Run /init" &&
			e2e_seen "$log" "Kernel panic"; then
			gdb_retried=1
			cp "$log" "$log.first-try"
			echo "$name: the first kernel panicked before /init ($log.first-try): retrying once"
			run_gdb_case "$ver"
			return
		fi
		result FAIL "$name" "the guest did not report the entry and the initrd ('$ready', $log)"
		return
	fi
	python3 "$qemu_lib_dir/gdbdump.py" --gdb "$w/gdb.sock" --qmp "$w/qmp.sock" --break "$entry" \
		--dump "$initrd:$(stat -c %s "$tmp/initrd2"):$w/initrd.dump" --timeout 60 \
		--then "echo go > '$w/in'" --quit > "$w/gdbdump.json" 2>"$w/gdbdump.err"
	local st=$?
	exec 6>&-
	wait "$qpid"
	local t="$((SECONDS - t0)) s"
	if [ $st -ne 0 ]; then
		result FAIL "$name" "gdbdump: exit $st: $(head -c 300 "$w/gdbdump.json" "$w/gdbdump.err" | tr '\n' ' ') ($t, $log)"
	elif ! cmp -s "$w/initrd.dump" "$tmp/initrd2"; then
		result FAIL "$name" "RAM at the logged initrd address $initrd is not the initrd ($t)"
	else
		result PASS "$name" "stopped at rip=$entry (rsp=$(sed -n 's/.*"rsp": "\([^"]*\)".*/\1/p' "$w/gdbdump.json")), initrd bytes at $initrd match ($t)"
	fi
}

for v in $kernels; do
	[ "$v" = 6.12 ] && [[ s-gdb-entry =~ $case_re ]] && run_gdb_case "$v"
	for c in "${cases[@]}"; do
		[[ $c =~ $case_re ]] && run_case "$v" "$c"
	done
	[ "$v" = 6.12 ] && [[ harness =~ $case_re ]] && run_case "$v" harness
	[ "$v" = 6.1 ] && [[ c-elf-exec =~ $case_re ]] && run_case "$v" c-elf-exec
	[ "$v" = 6.1 ] && [[ c-mb-exec =~ $case_re ]] && run_case "$v" c-mb-exec
	[ "$v" = 6.1 ] && [[ c-mb2-exec =~ $case_re ]] && run_case "$v" c-mb2-exec
	[ "$v" = 6.1 ] && [[ c-bz32-exec =~ $case_re ]] && run_case "$v" c-bz32-exec
	[ "$v" = 6.1 ] && [[ c-xen-exec =~ $case_re ]] && run_case "$v" c-xen-exec
	[ "$v" = 6.1 ] && [[ c-xen1-exec =~ $case_re ]] && run_case "$v" c-xen1-exec
	[ "$v" = 6.1 ] && [[ c-xenrel-exec =~ $case_re ]] && run_case "$v" c-xenrel-exec
	[ "$v" = 6.1 ] && [[ c-bz16-exec =~ $case_re ]] && run_case "$v" c-bz16-exec
	[ "$v" = 6.1 ] && [[ c-nbi-exec =~ $case_re ]] && run_case "$v" c-nbi-exec
	[ "$v" = 6.1 ] && [[ c-nbi32-exec =~ $case_re ]] && run_case "$v" c-nbi32-exec
	[ "$v" = 6.1 ] && [[ c-elf32-exec =~ $case_re ]] && run_case "$v" c-elf32-exec
	[ "$v" = 6.1 ] && [[ c-elf32-none =~ $case_re ]] && run_case "$v" c-elf32-none
	[ "$v" = 6.1 ] && [[ c-elf32-notes =~ $case_re ]] && run_case "$v" c-elf32-notes
	[ "$v" = 6.1 ] && [ -n "${UKEXEC_E2E_I386:-}" ] && [[ c-i386-exec =~ $case_re ]] &&
		run_case "$v" c-i386-exec
done
finish
