#!/bin/sh
# /init of tests/e2e-ppc64/crash-oracle.sh's guest (the 6.1 oracle kernel):
# the same crash load by the kernel (kexec_file_load, -s -p) and by ukexec's
# plan (kexec_load, -c -p), each read back from the crash region.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /rec
dump() { echo "BEGIN-$1"; base64 < "$2"; echo "END-$1"; echo "SHA-$1 $(sha256sum < "$2" | cut -d" " -f1)"; }
# segments SEDLOG: "n bufsz mem" of the lines of a plan; each below 1 MiB read back
readback() {	# readback TAG < "n bufsz mem" lines
	while read n sz mem; do
		[ $((sz)) -le 1048576 ] || continue
		/kcore-read $mem $sz > /rec/seg.bin && dump $1-SEG-$n /rec/seg.bin
	done
}
cmdline=$(cat /cmdline-p)
# the kernel's device tree gets kaslr-seed and rng-seed only once the RNG is ready
head -c 1 /dev/random > /dev/null
echo 'file kexec_file.c +p' > /proc/dynamic_debug/control
echo 'file elf_64.c +p' > /proc/dynamic_debug/control
dmesg -c > /dev/null
/kftest /kernel /initrd.img "$cmdline" crash > /rec/kftest.log 2>&1
dmesg -c > /rec/s.log
cat /rec/kftest.log >> /rec/s.log
dump S-LOG /rec/s.log
sed -n 's/.*Loading segment \([0-9]*\): buf=[^ ]* bufsz=\(0x[0-9a-f]*\) mem=\(0x[0-9a-f]*\) .*/\1 \2 \3/p' /rec/s.log | readback S
/kexec -p -u
echo "UNLOADED rc=$? crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
/kexec -c -p /kernel --initrd=/initrd.img --append="$cmdline" --purgatory=/kexec_purgatory \
	--print-plan > /rec/c.plan 2> /rec/c.err
echo "C-LOADED rc=$? crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
cat /rec/c.err
dump C-PLAN /rec/c.plan
sed -n 's/^segment\[\([0-9]*\)\]: buf=[^ ]* bufsz=\(0x[0-9a-f]*\) mem=\(0x[0-9a-f]*\) .*/\1 \2 \3/p' /rec/c.plan | readback C
poweroff -f
