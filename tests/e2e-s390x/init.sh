#!/bin/busybox sh
# /init of the s390x e2e guests. The stage and a marker come from the kernel
# command line (ukexec.stage=, ukexec.marker=), so the log shows which kernel
# printed what.
/bin/busybox mkdir -p /proc /sys /dev /bin /sbin /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
stage=$(arg ukexec.stage)
marker=$(arg ukexec.marker)
kflags=$(arg ukexec.kflags | tr , ' ')	# e.g. ukexec.kflags=-i

case $stage in
first)
	echo "UKEXEC-S390X-FIRST $marker"
	# the system view, for tests/e2e-s390x/sysroot-qemu-1g
	echo "UKEXEC-SYSVIEW-BEGIN"
	echo "== /proc/iomem"; cat /proc/iomem
	for f in /sys/firmware/ipl/*; do [ -f "$f" ] && echo "== $f: $(cat "$f" 2>/dev/null | head -c 200)"; done
	echo "== uname -r: $(uname -r)"
	echo "UKEXEC-SYSVIEW-END"
	next="console=ttysclp0 panic=-1 ukexec.stage=second ukexec.marker=$(arg ukexec.next)"
	echo "UKEXEC-PLAN-BEGIN"
	/kexec --dry-run --print-plan -c -l /vmlinuz --initrd=/initrd2 --append="$next"
	echo "UKEXEC-PLAN-END"
	t0=$(cut -d' ' -f1 /proc/uptime)
	# the default policy (-a): Debian's s390x kernel has no kexec_file_load
	# (ENOSYS), so this is the fall-back to the userspace plan and kexec_load
	if /kexec -d $kflags -l /vmlinuz --initrd=/initrd2 --append="$next" >/tmp/debug 2>&1; then
		grep -m1 "kexec_file_load: " /tmp/debug | sed 's/^/UKEXEC-S390X-POLICY /'
		echo "UKEXEC-S390X-LOADED $(cat /sys/kernel/kexec_loaded) after ${t0}s"
		/kexec -e
		echo "UKEXEC-S390X-FAIL kexec -e returned"
	else
		tail -n 5 /tmp/debug
		echo "UKEXEC-S390X-FAIL kexec -l failed"
	fi
	;;
second)
	echo "UKEXEC-S390X-SECOND $marker"
	;;
*)
	echo "UKEXEC-S390X-FAIL unknown stage '$stage'"
	;;
esac
poweroff -f
