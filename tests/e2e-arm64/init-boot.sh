#!/bin/busybox sh
# /init of boot.sh's guests (both kernels). The first loads the second with
# ukexec's userspace plan (kexec -c -l: kexec_load, our purgatory) and
# executes it; the second, recognised by ukexec.second on its command line,
# says so, with the initrd address the DTB it was handed (x0) names.
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
case $(cat /proc/cmdline) in
*ukexec.second*)
	echo "UKEXEC-SECOND-KERNEL cmdline=[$(cat /proc/cmdline)]"
	echo "UKEXEC-SECOND-INITRD $(od -An -tx1 /sys/firmware/devicetree/base/chosen/linux,initrd-start | tr -d ' \n')"
	poweroff -f
	;;
esac
/kexec -c -l /Image --initrd=/initrd.img --append="console=ttyAMA0 panic=-1 ukexec.second" -d 2>&1
echo "UKEXEC-LOADED rc=$?"
/kexec -e
echo "UKEXEC-FAIL kexec -e returned $?"
poweroff -f
