#!/bin/busybox sh
# /init of the arm64 guests of tests/e2e-arm64/boot-debian.sh and kdump.sh
# (both kernels). What to do comes from the kernel command line:
#   ukexec.stage=  boot | second | crash | crashed
#   ukexec.marker= printed back, so the log proves which kernel ran
#   ukexec.next=   the next kernel's marker
#   ukexec.kmsg=   (crash, crashed) a word written into the kernel log before
#                  the crash; the crash kernel looks for it in /proc/vmcore
# Every kexec here runs with the default syscall policy (kexec_file_load,
# and the userspace plan + kexec_load when the kernel has no KEXEC_FILE),
# except where a step names -s. Every line meant for the host starts with
# UKEXEC-; UKEXEC-STEP NAME EXIT CRASH_LOADED LOADED follows each step.
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# memblock's free ranges, the ones the kernel's hole walk uses
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | head -n1; }
stage=$(arg ukexec.stage)
marker=$(arg ukexec.marker)
next=$(arg ukexec.next)
kmsg=$(arg ukexec.kmsg)
# the line written before the crash: its prefix is on no command line
kmsg_line="ukexec-kdump-kmsg: $kmsg"

# step NAME COMMAND...: run it, its output as UKEXEC-OUT: NAME: lines, then
# UKEXEC-STEP NAME EXIT kexec_crash_loaded kexec_loaded
step() {
	local name=$1 rc
	shift
	"$@" > /tmp/step.out 2>&1
	rc=$?
	sed "s/^/UKEXEC-OUT: $name: /" /tmp/step.out
	echo "UKEXEC-STEP $name $rc $(cat /sys/kernel/kexec_crash_loaded) $(cat /sys/kernel/kexec_loaded)"
}

# the chosen node of the DTB this kernel was handed, as hex
chosen() { od -An -tx1 "/sys/firmware/devicetree/base/chosen/$1" 2>/dev/null | tr -d ' \n'; }

boot() {
	local append="console=ttyAMA0 panic=-1 ukexec.stage=second ukexec.marker=$next"
	step exec-none /kexec -e
	step load /kexec -l -d /Image --initrd=/initrd2 --append="$append"
	step status-l /kexec -l -S
	step status /kexec -S
	echo "UKEXEC-EXEC"
	/kexec -e
	echo "UKEXEC-FAIL kexec -e returned $?"
}

crash() {
	local f append="console=ttyAMA0 panic=-1 ukexec.stage=crashed ukexec.marker=$next ukexec.kmsg=$kmsg"
	echo "$kmsg_line" > /dev/kmsg
	echo "UKEXEC-CRASH-REGION $(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Crash kernel$/\1 \2/p' /proc/iomem | head -n1)"
	step status-none /kexec -S
	step load-p /kexec -p -d /Image --initrd=/initrd2 --append="$append"
	step status /kexec -S
	step status-p /kexec -p -S
	step status-l /kexec -l -S
	step status-s /kexec -s -S
	step unload-p /kexec -p -u
	step status-unloaded /kexec -S
	step load-p-s /kexec -s -p /Image --initrd=/initrd2 --append="$append"
	step unload-p-s /kexec -s -p -u
	step load-p-again /kexec -p -d --dump-plan=/tmp/plan /Image --initrd=/initrd2 --append="$append"
	# the ELF core headers handed to the kernel, for the host to compare with /proc/vmcore
	f=$(awk '$1 == "segment" && $NF == "elfcorehdr" { print $3; exit }' /tmp/plan/manifest 2>/dev/null)
	[ -n "$f" ] && base64 "/tmp/plan/$f" | sed 's/^/UKEXEC-ELFCOREHDR-B64: /'
	# the kernel's own reading of its log (syslog(2)), for the host to
	# compare with what vmcore-dmesg finds in the dump
	dmesg | sed 's/^/UKEXEC-DMESG: /'
	echo "UKEXEC-CRASH"
	echo c > /proc/sysrq-trigger
	echo "UKEXEC-FAIL still running after the crash"
}

crashed() {
	local size rc
	size=$(stat -c %s /proc/vmcore 2>/dev/null || echo none)
	echo "UKEXEC-VMCORE $size $(head -c 20 /proc/vmcore 2>/dev/null | od -An -tx1 | tr -d ' \n')"
	# the headers and the notes (VMCOREINFO), for the host to compare with the plan
	head -c 32768 /proc/vmcore 2>/dev/null | base64 | sed 's/^/UKEXEC-VMCORE-HEAD: /'
	/vmcore-dmesg /proc/vmcore > /tmp/dmesg 2> /tmp/err
	rc=$?
	echo "UKEXEC-VMCORE-DMESG-EXIT $rc $(wc -l < /tmp/dmesg) lines"
	sed 's/^/UKEXEC-OUT: vmcore-dmesg: /' /tmp/err | head -n 5
	sed 's/^/UKEXEC-VMCORE-LOG: /' /tmp/dmesg
	grep -F "$kmsg_line" /tmp/dmesg | head -n 1 | sed 's/^/UKEXEC-VMCORE-DMESG: /'
	grep -m1 -F "Linux version" /tmp/dmesg | sed 's/^/UKEXEC-VMCORE-VERSION: /'
	grep -m1 -F "Kernel command line:" /tmp/dmesg | sed 's/^/UKEXEC-VMCORE-CMDLINE: /'
	grep -m1 -F "sysrq triggered crash" /tmp/dmesg | sed 's/^/UKEXEC-VMCORE-PANIC: /'
	# recording (kdump.sh with UKEXEC_ARM64_RECORD): the part vmcore-dmesg reads
	if [ -x /vmcore-trim ]; then
		/vmcore-trim /proc/vmcore /tmp/trim 2>&1 | sed 's/^/UKEXEC-OUT: vmcore-trim: /'
		gzip -9 < /tmp/trim | base64 | sed 's/^/UKEXEC-TRIM-B64: /'
	fi
}

case $stage in
boot)
	echo "UKEXEC-FIRST $marker $(uname -r)"
	boot
	;;
second)
	echo "UKEXEC-SECOND $marker $(uname -r)"
	echo "UKEXEC-CMDLINE $(cat /proc/cmdline)"
	echo "UKEXEC-INITRD $(chosen linux,initrd-start) $(chosen linux,initrd-end)"
	;;
crash)
	echo "UKEXEC-FIRST $marker $(uname -r)"
	crash
	;;
crashed)
	echo "UKEXEC-CRASHED $marker $(uname -r)"
	echo "UKEXEC-CMDLINE $(cat /proc/cmdline)"
	echo "UKEXEC-ELFCOREHDR $(chosen linux,elfcorehdr)"
	echo "UKEXEC-USABLE $(chosen linux,usable-memory-range)"
	crashed
	;;
*)
	echo "UKEXEC-FAIL unknown stage '$stage'"
	;;
esac
poweroff -f
