#!/bin/bash
# mkinitrd.sh ARCH(arm64|ppc64el) KERNEL_FOR_KEXEC|- OUT.cpio.gz
# Outer initramfs: busybox /init that reports time-to-init and the crash region,
# and, when KERNEL is given, runs /kftest (kexec_file_load) on /kernel with
# /initrd.img (an inner initramfs whose /init prints SECOND-KERNEL-UP).
set -euo pipefail
arch=$1 kernel=$2 out=$3
bb=/tmp/archr/deb-$arch/root/bin/busybox
case $arch in arm64) con=ttyAMA0;; ppc64el) con=hvc0;; esac
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mk() { # DIR INITSCRIPT
	mkdir -p "$1"/{bin,proc,sys,dev,tmp}
	cp "$bb" "$1/bin/busybox"; ln -s busybox "$1/bin/sh"
	printf '%s\n' "$2" > "$1/init"; chmod +x "$1/init"
}
common='/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null'
mk "$t/inner" "#!/bin/sh
$common
echo SECOND-KERNEL-UP uptime=\$(cut -d' ' -f1 /proc/uptime); cat /proc/cmdline
[ -e /proc/vmcore ] && echo vmcore: \$(ls -l /proc/vmcore) && head -c 64 /proc/vmcore | od -A x -t x1 | head -2
poweroff -f"
(cd "$t/inner" && find . | cpio -o -H newc --quiet | gzip -9) > "$t/inner.cpio.gz"
mk "$t/outer" "#!/bin/sh
$common
echo INIT-REACHED uptime=\$(cut -d' ' -f1 /proc/uptime); uname -a; cat /proc/cmdline
echo kexec_crash_size=\$(cat /sys/kernel/kexec_crash_size 2>&1)
grep -i crash /proc/iomem
ls -d /proc/device-tree/ibm,dynamic-reconfiguration-memory 2>&1
if [ -x /kftest ] && [ -e /kernel ]; then
	/kftest /kernel /initrd.img 'console=$con panic=-1 second' crash
	case \$(cat /proc/cmdline) in *crashtest*) echo 1 > /proc/sys/kernel/sysrq; echo c > /proc/sysrq-trigger;; esac
	/kftest /kernel /initrd.img 'console=$con panic=-1 second' exec
fi
poweroff -f"
if [ "$kernel" != - ]; then
	cp "$kernel" "$t/outer/kernel"; cp "$t/inner.cpio.gz" "$t/outer/initrd.img"
	cp /tmp/archr/guest/kftest-$arch "$t/outer/kftest"
fi
(cd "$t/outer" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
ls -l "$out"
