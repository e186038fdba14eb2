#!/bin/busybox sh
# /init of the arm64 byte oracle's guests (tests/e2e-arm64/load-oracle.sh).
# ukexec.mode= on the command line says which loader: s (kexec -s: the
# kernel's kexec_file_load) or c (kexec -c: ukexec's plan through
# kexec_load, our purgatory). The same inputs either way: /Image, /initrd2
# and the command lines below. First -p: the load, its plan on the console,
# UKEXEC-P-READY (the host dumps the crash region) and a wait for a console
# line; then -l: the same, UKEXEC-GDB-READY (the host sets its breakpoint at
# the next kernel's entry), and on the host's word kexec -e. The plans:
# UKEXEC-KLOG-x lines (the kernel's pr_debug: "Loading segment", "Loaded"),
# UKEXEC-MANIFEST-x (ukexec's --dump-plan manifest), UKEXEC-TOOL-x (kexec -d).
/bin/busybox mkdir -p /proc /sys /dev /bin /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
dmesg -n 1
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | head -n1; }
mode=$(arg ukexec.mode)
cmdline_l="console=ttyAMA0 panic=-1 ukexec.next=load"
cmdline_p="console=ttyAMA0 panic=-1 ukexec.next=crash maxcpus=1"
echo "file kexec_file.c +p; file kexec_image.c +p; file machine_kexec_file.c +p" \
	> /sys/kernel/debug/dynamic_debug/control

# load -l|-p CMDLINE: the load by $mode and its plan on the console
load() {
	local rc
	dmesg -c > /dev/null
	rm -rf /tmp/plan
	case $mode in
	s) /kexec -s -d "$1" /Image --initrd=/initrd2 --append="$2" > /tmp/tool.log 2>&1 ;;
	c) /kexec -c -d "$1" /Image --initrd=/initrd2 --append="$2" --dump-plan=/tmp/plan \
		> /tmp/tool.log 2>&1 ;;
	*) echo "unknown ukexec.mode '$mode'" > /tmp/tool.log; false ;;
	esac
	rc=$?
	# 6.1: pr_debug "Loading segment N"; 6.7+: kexec_dprintk "segment[N]" (kexec -d)
	dmesg | grep -o 'Loading segment.*\|segment\[[0-9]*\]: buf=.*\|Loaded .*' |
		sed "s/^/UKEXEC-KLOG$1: /"
	[ ! -f /tmp/plan/manifest ] || sed "s/^/UKEXEC-MANIFEST$1: /" /tmp/plan/manifest
	sed "s/^/UKEXEC-TOOL$1: /" /tmp/tool.log
	echo "UKEXEC-LOADED$1 rc=$rc"
	return $rc
}

echo "UKEXEC-ORACLE $mode $(uname -r)"
echo "UKEXEC-CRASHK $(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Crash kernel$/\1 \2/p' /proc/iomem | head -n1)"
if ! load -p "$cmdline_p"; then
	echo "UKEXEC-FAIL kexec -$mode -p"
	poweroff -f
fi
echo "UKEXEC-P-READY"
read -r go
echo "UKEXEC-GO-P $go"
if ! load -l "$cmdline_l"; then
	echo "UKEXEC-FAIL kexec -$mode -l"
	poweroff -f
fi
echo "UKEXEC-GDB-READY"
read -r go
echo "UKEXEC-GO-L $go"
/kexec -e
echo "UKEXEC-FAIL kexec -e returned $?"
poweroff -f
