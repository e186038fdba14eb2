#!/bin/busybox sh
# /init of the kexec --compare guests (tests/e2e-x86_64/compare.sh passes it to
# e2e_initramfs as init=). The kernel command line says:
#   ukexec.stage=   compare (anything else: UKEXEC-FAIL, power off)
#   ukexec.wrong=   the --kexec-file-profile of the forced-mismatch run
#   ukexec.marker=  printed back, so the log proves which kernel ran
# Steps, each with its output as "UKEXEC-OUT: NAME: ..." lines and then
# "UKEXEC-RC NAME EXIT kexec_loaded kexec_crash_loaded" (the flags after it):
#   l      kexec --compare -l /vmlinuz --initrd=/initrd2 --append=<cmdline-l>
#   p      kexec --compare -p (the same inputs; crashkernel= on the command line)
#   wrong  kexec --compare -l --kexec-file-profile=<ukexec.wrong>: must differ
#   busy   kexec -s -l first, then kexec --compare -l: must refuse; kexec -u
# Then whether debugfs is mounted and how many kexec_file.c pr_debug() sites
# print (UKEXEC-DEBUGFS-MOUNTED, UKEXEC-DYNDBG-ON): the steps leave none.
# Every line meant for the host starts with UKEXEC-.
. /guest.sh

step() {
	local name=$1 rc
	shift
	"$@" > /tmp/step.out 2>&1
	rc=$?
	sed "s/^/UKEXEC-OUT: $name: /" /tmp/step.out
	echo "UKEXEC-RC $name $rc $(cat /sys/kernel/kexec_loaded) $(cat /sys/kernel/kexec_crash_loaded)"
}

compare() {
	local cmd wrong
	cmd=$(cat /cmdline-l)
	wrong=$(arg ukexec.wrong)
	dmesg -n 1
	step l /kexec --compare -l /vmlinuz --initrd=/initrd2 --append="$cmd"
	step p /kexec --compare -p /vmlinuz --initrd=/initrd2 --append="$cmd"
	step wrong /kexec --compare --kexec-file-profile="$wrong" -l /vmlinuz --initrd=/initrd2 \
		--append="$cmd"
	/kexec -s -l /vmlinuz --initrd=/initrd2 --append="$cmd"
	step busy /kexec --compare -l /vmlinuz --initrd=/initrd2 --append="$cmd"
	/kexec -u
	# what the steps turned on is off again: debugfs unmounted (nothing
	# mounted it before), no kexec_file.c pr_debug() site printing
	echo "UKEXEC-DEBUGFS-MOUNTED $(grep -c ' /sys/kernel/debug ' /proc/mounts)"
	mount -t debugfs debugfs /sys/kernel/debug
	echo "UKEXEC-DYNDBG-ON $(grep 'kernel/kexec_file.c:' /sys/kernel/debug/dynamic_debug/control | grep -c ' =p')"
	echo "UKEXEC-DONE"
}

case $stage in
compare)
	echo "UKEXEC-COMPARE $marker $(uname -r)"
	compare
	;;
*)
	echo "UKEXEC-FAIL unknown stage '$stage'"
	;;
esac
poweroff -f
