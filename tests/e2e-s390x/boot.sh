#!/bin/bash
# e2e (issue 6): Debian 12's s390x kernel boots in qemu-system-s390x (TCG);
# its /init loads the same kernel with plain kexec -l (the default policy:
# kexec_file_load, which Debian's s390x kernel lacks, then ukexec's
# userspace plan through kexec_load, our purgatory) and kexec -e's into it;
# the second kernel must print its marker. Exit 77 (TAP skip under make) without the inputs:
# scripts/fetch-s390x, gcc-s390x-linux-gnu, qemu-system-s390x.
# UKEXEC_S390X_KFLAGS=-i (comma-separated) passes options to the guest's kexec -l.
. "$(dirname "$0")/lib.sh"

command -v qemu-system-s390x >/dev/null || s390x_skip "no qemu-system-s390x (apt-get install qemu-system-misc)"
command -v cpio >/dev/null || s390x_skip "no cpio"
s390x_need_inputs
s390x_need_build kexec/kexec || { echo "1..1"; echo "not ok 1 - s390x build of ukexec"; exit 1; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
m1=first-$$-$RANDOM m2=second-$$-$RANDOM

# second initramfs: busybox + /init; first: that, plus kexec, the kernel and initrd2
qemu_initramfs "$tmp/initrd2" "$cache/busybox" "$e2e_dir/init.sh" &&
	qemu_initramfs "$tmp/initrd1" "$cache/busybox" "$e2e_dir/init.sh" initrd2="$tmp/initrd2" \
		kexec="$s390x_build/kexec/kexec" vmlinuz="$cache/vmlinuz" ||
	{ echo "1..1"; echo "not ok 1 - initramfs"; exit 1; }

log=${UKEXEC_S390X_LOG:-$tmp/console.log}
echo "1..4"
st=0
qemu_boot "$log" "${UKEXEC_S390X_TIMEOUT:-400}" "$cache/vmlinuz" "$tmp/initrd1" \
	"ukexec.stage=first ukexec.marker=$m1 ukexec.next=$m2${UKEXEC_S390X_KFLAGS:+ ukexec.kflags=$UKEXEC_S390X_KFLAGS}" || st=$?
secs=$qemu_secs

grep -q "UKEXEC-S390X-FIRST $m1" "$log"; r1=$?
echo "$( [ $r1 -eq 0 ] && echo ok || echo not ok) 1 - first kernel reached /init"
grep -q "UKEXEC-S390X-LOADED 1" "$log"; r2=$?
echo "$( [ $r2 -eq 0 ] && echo ok || echo not ok) 2 - kexec -l loaded (kexec_loaded = 1)"
grep -q "UKEXEC-S390X-POLICY .*kexec_file_load: .*falling back to the userspace plan" "$log"; r4=$?
echo "$( [ $r4 -eq 0 ] && echo ok || echo not ok) 3 - through the fall-back: $(tr -d '\r' <"$log" | sed -n 's/^UKEXEC-S390X-POLICY //p' | head -n1)"
grep -q "UKEXEC-S390X-SECOND $m2" "$log"; r3=$?
echo "$( [ $r3 -eq 0 ] && echo ok || echo not ok) 4 - second kernel printed its marker"
echo "# qemu exit $st, ${secs}s under TCG"
sed -n '/UKEXEC-PLAN-BEGIN/,/UKEXEC-PLAN-END/p' "$log" | tr -d '\r' | sed 's/^/# /'
if [ $r1 -ne 0 ] || [ $r2 -ne 0 ] || [ $r3 -ne 0 ] || [ $r4 -ne 0 ]; then
	grep -E "UKEXEC|kexec|Kernel panic|purgatory" "$log" | tr -d '\r' | tail -20 | sed 's/^/# /'
	[ -n "$UKEXEC_S390X_LOG" ] || { cp "$log" "${TMPDIR:-/tmp}/ukexec-s390x-console.log"; echo "# log: ${TMPDIR:-/tmp}/ukexec-s390x-console.log"; }
	exit 1
fi
exit 0
