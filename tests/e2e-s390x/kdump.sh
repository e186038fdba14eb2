#!/bin/bash
# kdump end to end on s390x: a kernel with CONFIG_CRASH_DUMP (Debian's has
# none; scripts/build-s390x-kernel makes one from linux-source-6.1) boots in
# qemu-system-s390x (TCG) with crashkernel=128M; its /init is
# tests/e2e-s390x/init-kdump.sh. One boot per case:
#
#   c-crash       write a marker into the kernel log (/dev/kmsg), load the
#                 same kernel as the crash kernel with ukexec's plan
#                 (kexec -c -p: kexec_load, ukexec's purgatory, which swaps the
#                 crash region with [0, crash_size)), check kexec -S and
#                 kexec_crash_loaded, echo c > /proc/sysrq-trigger. The crash
#                 kernel's /init checks /proc/vmcore (ELF64 MSB ET_CORE
#                 EM_S390) and runs our kdump/vmcore-dmesg on it: the case
#                 passes when it prints the marker line.
#   s-crash       the same with kexec -s -p (the in-kernel kexec_file loader
#                 and the kernel's own purgatory): the control.
#   c-crash-elf   c-crash with the same kernel as an ELF file (the
#                 decompressor's arch/s390/boot/vmlinux, which bzImage is the
#                 flat copy of): ukexec's ELF loader
#   crash-oracle  two boots that load and do not crash: A with kexec -s -p,
#                 B with kexec -c -p (same kernel, initrd and command line).
#                 Each prints ukexec's plan (--dry-run --print-plan
#                 --dump-plan) and the host dumps the "Crash kernel" region
#                 over QMP; crash-compare.py compares A and B over
#                 [mem, mem+memsz) of every segment but the purgatory, and
#                 checks B against the plan's digests.
#   crash-oracle-elf  the same with the ELF file: the kernel's kexec_elf.c
#                 against ukexec's kexec-elf-s390x.c
#
# Exit 77 (TAP skip under make) without the inputs: qemu-system-s390x, the
# s390x busybox (scripts/fetch-s390x), gcc-s390x-linux-gnu, and the kdump
# kernel (tests/e2e-s390x/cache/kdump-kernel/bzImage, built here when
# linux-source-6.1 is installed). UKEXEC_S390X_BUILD=DIR: an s390x build in
# which kexec/kexec and kdump/vmcore-dmesg are made already (make -C DIR
# kexec/kexec kdump/vmcore-dmesg). UKEXEC_S390X_TIMEOUT: seconds per boot.
# Failed cases keep their console logs in ${TMPDIR:-/tmp}.
. "$(dirname "$0")/lib.sh"

command -v qemu-system-s390x >/dev/null || s390x_skip "no qemu-system-s390x (apt-get install qemu-system-misc)"
command -v cpio >/dev/null || s390x_skip "no cpio"
command -v python3 >/dev/null || s390x_skip "no python3"
[ -s "$cache/busybox" ] || s390x_skip "no s390x busybox in $cache (run scripts/fetch-s390x)"
s390x_need_build kexec/kexec kdump/vmcore-dmesg || {
	echo "1..1"
	echo "not ok 1 - s390x build of ukexec (kexec/kexec, kdump/vmcore-dmesg in ${s390x_build:-?})"
	exit 1
}
kernel=$cache/kdump-kernel/bzImage
if [ ! -s "$kernel" ] || [ ! -s "$cache/kdump-kernel/vmlinux" ]; then
	[ -f "${TARBALL:-/usr/src/linux-source-6.1.tar.xz}" ] ||
		s390x_skip "no kdump kernel in $cache/kdump-kernel and no linux-source-6.1 to build one (scripts/deps, scripts/build-s390x-kernel)"
	echo "# building the kdump kernel (scripts/build-s390x-kernel)"
	"$top_srcdir/scripts/build-s390x-kernel" "$cache/kdump-kernel" 2>&1 | sed 's/^/# /'
	[ -s "$kernel" ] || { echo "1..1"; echo "not ok 1 - scripts/build-s390x-kernel"; exit 1; }
fi

tmp=$(mktemp -d) || exit 1
# an oracle boot runs in the background: end its QEMU if we are ended
trap 'qemu_bg_kill; rm -rf "$tmp"' EXIT
timeout=${UKEXEC_S390X_TIMEOUT:-300}
qmp=$qemu_lib_dir/qmp.py

kdump_initrds "$tmp" "$s390x_build/kdump/vmcore-dmesg"


# fail N NAME WHY LOG: the TAP line, the telling console lines, the log kept
fail() {
	local keep=${TMPDIR:-/tmp}/ukexec-s390x-kdump-$2.log
	nfail=$((nfail + 1))
	echo "not ok $1 - $2: $3"
	tr -d '\r' <"$4" | grep -aE "UKEXEC|kexec|Kernel panic|purgatory|crash|vmcore" | tail -n 25 | sed 's/^/# /'
	cp "$4" "$keep" && echo "# log: $keep"
}

# crash_case N MODE [elf]: c-crash (MODE c) or s-crash (MODE s), of the image or the ELF file
crash_case() {
	local n=$1 mode=$2 name=$2-crash${3:+-$3} k=vmlinuz m1 m2 km log st t vm line
	[ -z "${3:-}" ] || k=vmlinux
	m1=first-$$-$RANDOM m2=crashed-$$-$RANDOM km=kmsg-$$-$RANDOM
	log=$tmp/$name.log
	qemu_boot "$log" "$timeout" "$kernel" "$tmp/initrd1" \
		"crashkernel=128M ukexec.stage=crash ukexec.mode=$mode ukexec.kernel=$k ukexec.marker=$m1 ukexec.next=$m2 ukexec.kmsg=$km"
	st=$?
	t="${qemu_secs}s, qemu exit $st"
	vm=$(qemu_field "$log" UKEXEC-VMCORE)
	line=$(qemu_field "$log" UKEXEC-VMCORE-DMESG:)
	if ! qemu_seen "$log" "UKEXEC-FIRST $m1"; then
		fail "$n" "$name" "the first kernel did not reach /init ($t)" "$log"
	elif ! qemu_seen "$log" "UKEXEC-LOADED 0 1 1"; then
		fail "$n" "$name" "kexec -$mode -p / kexec_crash_loaded / kexec -S did not give 0 1 1: '$(qemu_field "$log" UKEXEC-LOADED)' ($t)" "$log"
	elif ! qemu_seen "$log" "UKEXEC-CRASHED $m2"; then
		fail "$n" "$name" "the crash kernel did not reach /init ($t)" "$log"
	elif ! [[ $vm =~ ^[1-9][0-9]*\ 7f454c460202[0-9a-f]{20}00040016$ ]]; then
		fail "$n" "$name" "/proc/vmcore is missing or not an ELF64 MSB ET_CORE for EM_S390: '$vm' ($t)" "$log"
	elif [[ $line != *"ukexec-kdump-kmsg: $km"* ]]; then
		fail "$n" "$name" "vmcore-dmesg did not show the marker written before the crash ($(qemu_field "$log" UKEXEC-VMCORE-DMESG-EXIT); $t)" "$log"
	else
		echo "ok $n - $name: crash kernel reached, /proc/vmcore ${vm% *} bytes, marker found by vmcore-dmesg"
	fi
	echo "# $name: ${t/, qemu/ under TCG, qemu}"
}

# oracle_boot MODE DIR KERNEL: boot (in the background: qemu_bg_boot), let
# the guest load KERNEL (MODE), dump the crash region over QMP into
# DIR/region.bin (DIR/region.where: start size), end QEMU; its seconds in DIR/secs
oracle_boot() {
	local mode=$1 d=$2 log=$2/console.log ready st
	qemu_bg_boot "$d" "$timeout" "$kernel" "$tmp/initrd1" \
		"crashkernel=128M ukexec.stage=oracle ukexec.mode=$mode ukexec.kernel=$3" || return 1
	qemu_bg_wait "$log" UKEXEC-DUMP-READY
	ready=$(qemu_field "$log" UKEXEC-DUMP-READY)
	st=1
	if [ -n "$ready" ] && [ "$ready" != "${ready% *}" ]; then
		local start=$((16#${ready% *})) end=$((16#${ready#* }))
		printf '0x%x 0x%x\n' "$start" $((end - start + 1)) > "$d/region.where"
		python3 "$qmp" "$d/qmp.sock" pmemsave "$start" $((end - start + 1)) "$d/region.bin"
		st=$?
	fi
	python3 "$qmp" "$d/qmp.sock" quit 2>/dev/null
	qemu_bg_end
	return $st
}

# oracle_case N [elf]: crash-oracle of the image or the ELF file
oracle_case() {
	local n=$1 name=crash-oracle${2:+-$2} w=$tmp/oracle${2:+-$2} k=vmlinuz mode st sum t=
	[ -z "${2:-}" ] || k=vmlinux
	for mode in s c; do
		if ! oracle_boot "$mode" "$w/$mode" "$k"; then
			fail "$n" "$name" "boot $mode (kexec -$mode -p): no crash region dump" "$w/$mode/console.log"
			return
		fi
		if ! qemu_seen "$w/$mode/console.log" "UKEXEC-LOADED 0 1"; then
			fail "$n" "$name" "boot $mode: kexec -$mode -p / kexec_crash_loaded gave '$(qemu_field "$w/$mode/console.log" UKEXEC-LOADED)', not 0 1" "$w/$mode/console.log"
			return
		fi
		t="$t $mode: $(cat "$w/$mode/secs")s"
	done
	python3 "$e2e_dir/crash-compare.py" "$w/s" "$w/c" > "$w/compare.txt" 2>&1
	st=$?
	sum=$(sed -n 's/^SUMMARY //p' "$w/compare.txt")
	if [ $st -eq 0 ]; then
		echo "ok $n - $name: $sum"
	else
		nfail=$((nfail + 1))
		echo "not ok $n - $name: crash-compare.py exit $st: ${sum:-$(tail -n 1 "$w/compare.txt")}"
		for mode in s c; do
			tr -d '\r' <"$w/$mode/console.log" | grep -aE "^UKEXEC-(DRYRUN|PLAN|OUT|LOADED)" | sed "s/^/# $mode: /"
			cp "$w/$mode/console.log" "${TMPDIR:-/tmp}/ukexec-s390x-kdump-$name-$mode.log"
		done
		echo "# logs: ${TMPDIR:-/tmp}/ukexec-s390x-kdump-$name-{s,c}.log"
	fi
	grep -v '^SUMMARY ' "$w/compare.txt" | sed 's/^/# /'
	echo "# $name: boots under TCG,$t"
}

nfail=0
echo "1..5"
crash_case 1 c
crash_case 2 s
crash_case 3 c elf
oracle_case 4
oracle_case 5 elf
[ $nfail -eq 0 ]
