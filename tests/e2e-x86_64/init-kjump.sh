#!/bin/busybox sh
# /init of tests/e2e-x86_64/kjump.sh's guest (a KEXEC_JUMP kernel from
# scripts/build-x86_64-kernel), in both kernels of a kexec jump:
#   ukexec.stage=a  the first kernel: the refusals, then kexec -l
#                   --load-preserve-context of the same kernel (kernel B), kexec -e;
#                   when B jumps back, -e returns: UKEXEC-BACK-IN-A
#   ukexec.stage=b  kernel B: its kexec_jump_back_entry= (which our purgatory
#                   appended), kexec --load-jump-back-helper --entry=that, kexec -e
# Every line meant for the host starts with UKEXEC-.
. /guest.sh

# run TAG CMD...: CMD's stderr and exit status on the console, tagged
run() {
	local tag=$1 st
	shift
	"$@" > /tmp/out 2>&1
	st=$?
	sed "s/^/UKEXEC-OUT: /" /tmp/out
	echo "UKEXEC-$tag exit $st"
}

case $stage in
a)
	echo "UKEXEC-A $marker"
	run HELPER-NOENTRY /kexec --load-jump-back-helper
	run S-PRESERVE /kexec -s -l --load-preserve-context /bzImage
	# B may use RAM below 128 MiB only, which the backup segments preserve;
	# the rest is ACPI data to B, so B identity-maps A's control page (the
	# jump back's landing) without using it
	run LOAD /kexec -d -l --load-preserve-context --mem-max=0x7ffffff /bzImage --initrd=/init.cpio \
		--append="console=ttyS0 panic=-1 no_console_suspend mem=128M memmap=0x37fe0000#0x8000000 ukexec.stage=b ukexec.marker=$(arg ukexec.next)"
	echo "UKEXEC-LOADED $(cat /sys/kernel/kexec_loaded)"
	run HELPER-LOADED /kexec --load-jump-back-helper --entry=0x1000
	run EXEC /kexec -e
	echo "UKEXEC-BACK-IN-A $marker"
	echo "UKEXEC-A-MEM $(grep MemTotal /proc/meminfo)"
	;;
b)
	echo "UKEXEC-B $marker"
	echo "UKEXEC-B-CMDLINE $(cat /proc/cmdline)"
	entry=$(arg kexec_jump_back_entry)
	echo "UKEXEC-B-ENTRY $entry"
	run B-HELPER /kexec -d --load-jump-back-helper --entry="$entry"
	run B-EXEC /kexec -e
	echo "UKEXEC-B-STILL-HERE"
	;;
esac
echo "UKEXEC-DONE $stage"
reboot -f
