#!/bin/busybox sh
# /init of the kdump e2e guests (tests/e2e-x86_64/crash.sh passes it to
# e2e_initramfs as init=, so it replaces tests/e2e-x86_64/init.sh). What to do comes
# from the kernel command line:
#   ukexec.stage=  crash | crashed | oracle
#   ukexec.marker= printed back, so the log proves which kernel ran
#   ukexec.next=   (crash) the crash kernel's marker
#   ukexec.kmsg=   (crash, crashed) a word written into the kernel log before
#                  the crash; the crash kernel looks for it in /proc/vmcore
#   ukexec.mode=   (oracle) s: kexec -s -d -p (the in-kernel loader);
#                  c: kexec -c -d -p --purgatory-from=/vmlinuz (our plan)
#   ukexec.dyndbg=1 (oracle) enable the kexec_file pr_debug()s (6.1)
# Every line meant for the host starts with UKEXEC-.
. /guest.sh

# The kernel log line the first kernel writes and the crash kernel looks for
# in the vmcore: its prefix is on no command line, so only the write can
# have put it into the log.
kmsg_line() { echo "ukexec-kdump-kmsg: $1"; }

crash() {
	local next kmsg rc st
	next=$(arg ukexec.next)
	kmsg=$(arg ukexec.kmsg)
	kmsg_line "$kmsg" > /dev/kmsg
	# load, see it with -S, unload with -c -p -u (kexec_load, no segments), see that too
	/kexec -c -p /vmlinuz --initrd=/initrd2 --append="console=ttyS0 reset_devices" > /tmp/out0 2>&1
	rc=$?
	/kexec -S
	st=$?
	echo "UKEXEC-FIRSTLOAD $rc $(cat /sys/kernel/kexec_crash_loaded) $st"
	/kexec -c -p -u > /tmp/out0 2>&1
	rc=$?
	say /tmp/out0
	/kexec -S
	st=$?
	echo "UKEXEC-UNLOAD $rc $(cat /sys/kernel/kexec_crash_loaded) $st"
	/kexec -c -p /vmlinuz --initrd=/initrd2 --append="console=ttyS0 panic=-1 irqpoll nr_cpus=1 reset_devices ukexec.stage=crashed ukexec.marker=$next ukexec.kmsg=$kmsg" > /tmp/out 2>&1
	rc=$?
	say /tmp/out
	if [ $rc -ne 0 ]; then
		echo "UKEXEC-FAIL kexec -c -p: exit $rc"
		return
	fi
	echo "UKEXEC-LOADED crash $(cat /sys/kernel/kexec_crash_loaded)"
	echo c > /proc/sysrq-trigger
	echo "UKEXEC-FAIL still running after the crash"
}

crashed() {
	local kmsg size rc
	kmsg=$(arg ukexec.kmsg)
	size=$(stat -c %s /proc/vmcore 2>/dev/null || echo none)
	# e_ident (16 bytes), e_type (2): 7f 45 4c 46, ELFCLASS64, ELFDATA2LSB ... ET_CORE
	echo "UKEXEC-VMCORE $size $(head -c 18 /proc/vmcore 2>/dev/null | od -An -tx1 | tr -d ' \n')"
	/vmcore-dmesg /proc/vmcore > /tmp/dmesg 2> /tmp/err
	rc=$?
	echo "UKEXEC-VMCORE-DMESG-EXIT $rc $(wc -l < /tmp/dmesg) lines"
	sed 's/^/UKEXEC-OUT: /' /tmp/err | head -n 5
	grep -F "$(kmsg_line "$kmsg")" /tmp/dmesg | head -n 1 | sed 's/^/UKEXEC-VMCORE-DMESG: /'
}

oracle() {
	local mode d f
	mode=$(arg ukexec.mode)
	mkdir -p /out/sysroot/proc
	# the system view a crash plan is computed from (as tests/e2e-x86_64/init.sh's
	# record, plus the head of /proc/kcore: its program headers)
	copy /proc/iomem /proc/cmdline /proc/sys/kernel/osrelease /proc/version
	for d in /sys/firmware/memmap/*; do copy "$d/start" "$d/end" "$d/type"; done
	copy /sys/kernel/boot_params/data /sys/kernel/boot_params/version
	for d in /sys/kernel/boot_params/setup_data/*; do copy "$d/type" "$d/data"; done
	copy /sys/kernel/kexec_crash_size /sys/kernel/vmcoreinfo
	copy /sys/devices/system/cpu/possible /sys/devices/system/cpu/present \
		/sys/devices/system/cpu/online
	for d in /sys/devices/system/cpu/cpu[0-9]*; do copy "$d/crash_notes" "$d/crash_notes_size"; done
	head -c 65536 /proc/kcore > /out/sysroot/proc/kcore
	[ -d /sys/firmware/efi ] && mkdir -p /out/sysroot/sys/firmware/efi
	sha256sum /vmlinuz /initrd.img > /out/guest-sha256

	if [ "$(arg ukexec.dyndbg)" = 1 ]; then
		mount -t debugfs debugfs /sys/kernel/debug
		for f in kernel/kexec_file.c kernel/kexec_core.c arch/x86/kernel/kexec-bzimage64.c \
			arch/x86/kernel/crash.c kernel/crash_core.c; do
			echo "file $f +p" > /sys/kernel/debug/dynamic_debug/control 2>/dev/null &&
				echo "dyndbg: file $f +p" >> /out/notes
		done
	fi
	dmesg -c > /dev/null
	case $mode in
	s) /kexec -s -d -p /vmlinuz --initrd=/initrd.img --append="$(cat /cmdline-p)" > /out/tool.log 2>&1 ;;
	c) /kexec -c -d -p --purgatory-from=/vmlinuz --print-plan --dump-plan=/tmp/plan \
		/vmlinuz --initrd=/initrd.img --append="$(cat /cmdline-p)" > /out/tool.log 2>&1 ;;
	*) echo "unknown mode '$mode'" > /out/tool.log; false ;;
	esac
	save_load $? kexec_crash_loaded
	grep -i "crash kernel" /proc/iomem > /out/crash-region

	send_out
	# the host dumps [start, end] over QMP pmemsave, then ends QEMU, or says
	# "crash" on the console: start the loaded crash kernel (its initrd is no
	# initramfs: the host only looks for its command line in the log)
	dump_ready
	if read -r -t 120 cmd && [ "$cmd" = crash ]; then
		echo "UKEXEC-CRASHING"
		echo c > /proc/sysrq-trigger
	fi
	sleep 120
	echo "UKEXEC-FAIL the host did not end the oracle boot"
}

case $stage in
crash)
	echo "UKEXEC-FIRST $marker $(uname -r)"
	crash
	;;
crashed)
	echo "UKEXEC-CRASHED $marker $(uname -r)"
	crashed
	;;
oracle)
	echo "UKEXEC-ORACLE $marker $(uname -r) $(arg ukexec.mode)"
	oracle
	;;
*)
	echo "UKEXEC-FAIL unknown stage '$stage'"
	;;
esac
poweroff -f
