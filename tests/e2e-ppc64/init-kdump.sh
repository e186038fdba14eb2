#!/bin/sh
# /init of tests/e2e-ppc64/kdump.sh's guests (the first and the crash kernel:
# Debian's ppc64el 6.1).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
if grep -q ukexec.crash /proc/cmdline; then
	echo; echo "UKEXEC-CRASH-KERNEL $(cat /proc/cmdline)"
	/vmcore-dmesg /proc/vmcore > /vmcore-dmesg.txt 2>/vmcore-dmesg.err
	echo "UKEXEC-VMCORE-DMESG rc=$? lines=$(wc -l < /vmcore-dmesg.txt) $(head -c 200 /vmcore-dmesg.err)"
	grep -m1 'UKEXEC-BEFORE-CRASH' /vmcore-dmesg.txt | sed 's/.*\(UKEXEC-BEFORE-CRASH [^ ]*\).*/UKEXEC-FOUND \1/'
	grep -m1 'sysrq: Trigger a crash' /vmcore-dmesg.txt | sed 's/^/UKEXEC-FOUND-SYSRQ /'
	# physical 0-0xffff of the crashed kernel: /proc/vmcore serves it from the
	# backup region, where the purgatory copied it (the loader left zeros)
	rd() { od -A n -t u$1 -j $2 -N $1 /proc/vmcore | tr -d ' '; }
	phoff=$(rd 8 32) phnum=$(rd 2 56) i=0 off=
	while [ "$i" -lt "$phnum" ]; do
		p=$((phoff + i * 56))
		if [ "$(rd 4 $p)" = 1 ] && [ "$(rd 8 $((p + 24)))" = 0 ]; then
			off=$(rd 8 $((p + 8))) sz=$(rd 8 $((p + 32)))
			break
		fi
		i=$((i + 1))
	done
	if [ -n "$off" ] && [ $((off % 4096)) -eq 0 ]; then
		dd if=/proc/vmcore of=/low.bin bs=4096 skip=$((off / 4096)) count=16 2>/dev/null
		echo "UKEXEC-BACKUP vmcore-offset=$off size=$sz bytes=$(wc -c < /low.bin) nonzero=$(tr -d '\000' < /low.bin | wc -c) differ=$(cmp -l /low.bin /low64k.bin | wc -l) differ-after-0x100=$(cmp -l /low.bin /low64k.bin | awk '$1 > 256' | wc -l)"
	else
		echo "UKEXEC-BACKUP no PT_LOAD at physical 0 (offset ${off:-none})"
	fi
	poweroff -f
fi
# step NAME COMMAND...: run it, its output as UKEXEC-OUT: NAME: lines, then
# UKEXEC-STEP NAME EXIT kexec_crash_loaded kexec_loaded
step() {
	name=$1
	shift
	"$@" > /step.out 2>&1
	rc=$?
	sed "s/^/UKEXEC-OUT: $name: /" /step.out
	echo "UKEXEC-STEP $name $rc $(cat /sys/kernel/kexec_crash_loaded) $(cat /sys/kernel/kexec_loaded)"
}
append="console=hvc0 panic=-1 maxcpus=1 ukexec.crash=1"
echo; echo "UKEXEC-FIRST-KERNEL $(uname -r) crashkernel $(hexdump -v -e '1/1 "%02x"' /proc/device-tree/chosen/linux,crashkernel-base)+$(hexdump -v -e '1/1 "%02x"' /proc/device-tree/chosen/linux,crashkernel-size)"
# the kernel's purgatory when the host put it here, else the one kexec embeds
purgatory=; [ -f /kexec_purgatory ] && purgatory=--purgatory=/kexec_purgatory
# -S and -u around a first load (kexec-tools' exit codes), then the load that serves
step status-none /kexec -S
step load-p /kexec -p /vmlinux --initrd=/initrd.img --append="$append" $purgatory
step status /kexec -S
step status-p /kexec -p -S
step status-l /kexec -l -S
step status-s /kexec -s -S
step unload-p /kexec -p -u
step status-unloaded /kexec -S
step load-p-s /kexec -s -p /vmlinux --initrd=/initrd.img --append="$append"
step unload-p-s /kexec -s -p -u
/kexec -d -p /vmlinux --initrd=/initrd.img --append="$append" $purgatory --print-plan
echo "UKEXEC-LOADED rc=$? crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
marker=$(cat /proc/sys/kernel/random/uuid 2>/dev/null || echo m$$)
echo "UKEXEC-BEFORE-CRASH $marker" > /dev/kmsg
echo "UKEXEC-MARKER $marker"
echo c > /proc/sysrq-trigger
echo "UKEXEC-NO-CRASH"
poweroff -f
