#!/bin/busybox sh
# /init of the crashkernel=X,high recording guest (tests/e2e/record-high.sh).
# For stage "record" it first notes both "Crash kernel" regions of
# /proc/iomem (crashk_low_res below 4 GiB, crashk_res above) on the console
# and copies the head of /proc/kcore into /out/sysroot, then hands over to
# tests/e2e/init.sh (in the initramfs as /init-record), whose "record" stage
# adds the system view, runs the in-kernel loads and sends /out to the host.
# Any other stage goes straight to init.sh.
/bin/busybox mkdir -p /proc /sys /dev /bin /sbin /tmp /out/sysroot
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | head -n1; }

if [ "$(arg ukexec.stage)" = record ]; then
	echo "UKEXEC-HIGH-INIT $(uname -r)"
	# every "Crash kernel" line, one console line each: start end
	sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Crash kernel$/\1 \2/p' /proc/iomem |
		while read -r s e; do echo "UKEXEC-CRASH-REGION $s $e"; done
	echo "crash regions before any load: $(grep -c 'Crash kernel' /proc/iomem)" >> /out/notes
	echo "kexec_crash_size before any load: $(cat /sys/kernel/kexec_crash_size 2>/dev/null)" >> /out/notes
	mkdir -p /out/sysroot/proc
	head -c 65536 /proc/kcore > /out/sysroot/proc/kcore 2>/dev/null ||
		echo "unreadable: /proc/kcore" >> /out/notes
fi
umount /sys
umount /proc
exec /bin/busybox sh /init-record
