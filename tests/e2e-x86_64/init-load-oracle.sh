#!/bin/busybox sh
# /init of the normal-load oracle guests (tests/e2e-x86_64/load-oracle.sh passes it
# to e2e_initramfs as init=, so it replaces tests/e2e-x86_64/init.sh). What to do
# comes from the kernel command line:
#   ukexec.stage=  oracle (anything else: print UKEXEC-FAIL, power off)
#   ukexec.mode=   s: kexec -s -d -l (the in-kernel loader, kexec_file_load)
#                  c: kexec -c -d -l --purgatory-from=/vmlinuz --print-plan
#                     (ukexec's plan with the kernel's own purgatory)
#                  o: kexec -c -d -l --print-plan (ukexec's own purgatory)
#   ukexec.marker= printed back, so the log proves which kernel ran
#   ukexec.dyndbg=1 enable the kexec_file pr_debug()s (6.1 has no
#                  KEXEC_FILE_DEBUG: its segment table comes from them)
# The loaded kernel gets /cmdline-l as its command line and /initrd2 as its
# initrd. Before the load, ukexec's plan for this machine is computed with
# --dry-run (dry.log: it names the purgatory entry, which 6.1 does not log).
# After the load the guest's files go out through the console (a gzipped
# tar, base64, between UKEXEC-TAR-BEGIN and UKEXEC-TAR-END), then
# "UKEXEC-GDB-READY" and the guest waits for a console line: the host has
# set its breakpoint at the entry; the guest runs kexec -e.
# Every line meant for the host starts with UKEXEC-.
. /guest.sh

oracle() {
	local mode f rc cmd
	mode=$(arg ukexec.mode)
	cmd=$(cat /cmdline-l)
	mkdir -p /out
	if [ "$(arg ukexec.dyndbg)" = 1 ]; then
		mount -t debugfs debugfs /sys/kernel/debug
		for f in kernel/kexec_file.c kernel/kexec_core.c arch/x86/kernel/kexec-bzimage64.c; do
			echo "file $f +p" > /sys/kernel/debug/dynamic_debug/control 2>/dev/null &&
				echo "dyndbg: file $f +p" >> /out/notes
		done
	fi
	cp /proc/iomem /out/iomem
	sha256sum /vmlinuz /initrd2 > /out/guest-sha256
	# ukexec's plan for this machine, nothing loaded (the entry for 6.1)
	/kexec --dry-run -l --purgatory-from=/vmlinuz /vmlinuz --initrd=/initrd2 \
		--append="$cmd" --print-plan > /out/dry.log 2>&1
	echo "exit $?" >> /out/dry.log
	dmesg -c > /dev/null
	case $mode in
	s) /kexec -s -d -l /vmlinuz --initrd=/initrd2 --append="$cmd" > /out/tool.log 2>&1 ;;
	c) /kexec -c -d -l --purgatory-from=/vmlinuz /vmlinuz --initrd=/initrd2 --append="$cmd" \
		--print-plan --dump-plan=/tmp/plan > /out/tool.log 2>&1 ;;
	o) /kexec -c -d -l /vmlinuz --initrd=/initrd2 --append="$cmd" \
		--print-plan --dump-plan=/tmp/plan > /out/tool.log 2>&1 ;;
	*) echo "unknown mode '$mode'" > /out/tool.log; false ;;
	esac
	rc=$?
	save_load $rc kexec_loaded
	rm -rf /tmp/plan

	send_out
	if [ $rc -ne 0 ]; then
		echo "UKEXEC-FAIL kexec $mode load: exit $rc"
		return
	fi
	echo "UKEXEC-GDB-READY"
	if read -r -t 120 go; then
		echo "UKEXEC-GO $go"
		/kexec -e
		echo "UKEXEC-FAIL kexec -e returned $?"
	else
		echo "UKEXEC-FAIL the host did not say go"
	fi
}

case $stage in
oracle)
	echo "UKEXEC-ORACLE $marker $(uname -r) $(arg ukexec.mode)"
	oracle
	;;
second)
	echo "UKEXEC-SECOND $marker $(uname -r)"
	;;
*)
	echo "UKEXEC-FAIL unknown stage '$stage'"
	;;
esac
poweroff -f
