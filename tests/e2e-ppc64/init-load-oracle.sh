#!/bin/sh
# /init of tests/e2e-ppc64/load-oracle.sh's guests (the 6.1 oracle kernel).
# ukexec.mode= says which loader: s (the kernel's kexec_file_load, as
# kexec -s -l), c (kexec -c -l: ukexec's plan through kexec_load, the
# purgatory relocated out of the running kernel's vmlinux) or o (kexec -c -l
# with ukexec's own embedded purgatory, the default). All load /kernel
# (Debian's ppc64el vmlinux) with /initrd.img and /cmdline-l, print the plan
# as "UKEXEC-SEG n bufsz mem memsz" lines, "UKEXEC-ENTRY" (the purgatory's
# start) and "UKEXEC-KERNEL", then UKEXEC-GDB-READY: the host sets its
# breakpoints and answers on the console; then kexec -e.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
dmesg -n 1
mode=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^ukexec.mode=//p')
cmdline=$(cat /cmdline-l)
echo "UKEXEC-ORACLE $mode $(uname -r)"
# the kernel's device tree gets kaslr-seed and rng-seed only once the RNG is ready
head -c 1 /dev/random > /dev/null
echo 'file kexec_file.c +p' > /proc/dynamic_debug/control
echo 'file elf_64.c +p' > /proc/dynamic_debug/control
dmesg -c > /dev/null
case $mode in
s)	/kftest /kernel /initrd.img "$cmdline" > /tmp/tool.log 2>&1
	rc=$?
	dmesg | sed -n 's/.*Loading segment \([0-9]*\): buf=[^ ]* bufsz=\(0x[0-9a-f]*\) mem=\(0x[0-9a-f]*\) memsz=\(0x[0-9a-f]*\).*/UKEXEC-SEG \1 \2 \3 \4/p'
	dmesg | sed -n 's/.*Loaded purgatory at \(0x[0-9a-f]*\).*/UKEXEC-ENTRY \1/p'
	dmesg | sed -n 's/.*Loaded the kernel at \(0x[0-9a-f]*\).*/UKEXEC-KERNEL \1/p' ;;
c|o)	pf=
	[ $mode = c ] && pf=--purgatory-from=/oracle-vmlinux
	/kexec -c -l -d /kernel --initrd=/initrd.img --append="$cmdline" $pf \
		$(cat /c-args 2>/dev/null) > /tmp/tool.log 2>&1
	rc=$?
	sed -n 's/^segment\[\([0-9]*\)\]: buf=[^ ]* bufsz=\(0x[0-9a-f]*\) mem=\(0x[0-9a-f]*\) memsz=\(0x[0-9a-f]*\).*/UKEXEC-SEG \1 \2 \3 \4/p' /tmp/tool.log
	sed -n 's/^entry = /UKEXEC-ENTRY /p' /tmp/tool.log
	sed -n 's/^segment\[0\]: .* mem=\(0x[0-9a-f]*\) .*/UKEXEC-KERNEL \1/p' /tmp/tool.log ;;
*)	echo "unknown ukexec.mode '$mode'" > /tmp/tool.log; rc=2 ;;
esac
grep -v '^kexec ranges\|^	\[' /tmp/tool.log | tail -n 40 | sed 's/^/UKEXEC-TOOL: /'
echo "UKEXEC-LOADED rc=$rc loaded=$(cat /sys/kernel/kexec_loaded)"
[ $rc = 0 ] || { echo "UKEXEC-FAIL load"; poweroff -f; }
echo "UKEXEC-GDB-READY"
read -r go
echo "UKEXEC-GO $go"
/kexec -e
echo "UKEXEC-FAIL kexec -e returned $?"
poweroff -f
