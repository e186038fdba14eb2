#!/bin/sh
# /init of tests/e2e-ppc64/boot.sh's guests (both kernels: Debian's ppc64el 6.1).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
if grep -q ukexec.second /proc/cmdline; then
	echo "UKEXEC-SECOND-KERNEL $(cat /proc/cmdline)"
	echo "UKEXEC-SECOND-INITRD $(hexdump -v -e '1/1 "%02x"' /proc/device-tree/chosen/linux,initrd-start)"
	poweroff -f
fi
echo; echo "UKEXEC-FIRST-KERNEL $(uname -r)"
# the kernel's purgatory when the host put it here, else the one kexec embeds
purgatory=; [ -f /kexec_purgatory ] && purgatory=--purgatory=/kexec_purgatory
/kexec -d -l /vmlinux --initrd=/initrd.img --append="console=hvc0 panic=-1 ukexec.second=1" \
	$purgatory --print-plan
echo "UKEXEC-LOADED rc=$?"
# the host's gdb sets its breakpoint at the kernel's entry meanwhile
sleep 8
/kexec -e
echo "UKEXEC-EXEC-FAILED rc=$?"
poweroff -f
