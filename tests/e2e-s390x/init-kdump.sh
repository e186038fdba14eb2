#!/bin/busybox sh
# /init of the s390x kdump guests (tests/e2e-s390x/kdump.sh). What to do comes
# from the kernel command line:
#   ukexec.stage=  crash | crashed | oracle | load
#   ukexec.mode=   c: kexec -c -p (ukexec's plan, kexec_load, our purgatory)
#                  s: kexec -s -p (the in-kernel kexec_file loader)
#   ukexec.kernel= what to load: vmlinuz (the image, default) or vmlinux
#                  (the same kernel as an ELF file)
#   ukexec.marker= printed back, so the log proves which kernel ran
#   ukexec.next=   (crash) the crash kernel's marker
#   ukexec.kmsg=   (crash, crashed) a word written into the kernel log before
#                  the crash; the crash kernel looks for it in /proc/vmcore
#   (load: tests/e2e-s390x/load-oracle.sh: a normal load, kexec -MODE -l,
#   then kexec -e once the host, its breakpoint set, says go on the console)
# Every line meant for the host starts with UKEXEC-.
/bin/busybox mkdir -p /proc /sys /dev /bin /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | head -n1; }
stage=$(arg ukexec.stage)
mode=$(arg ukexec.mode)
marker=$(arg ukexec.marker)
say() { sed "s/^/UKEXEC-OUT: /" "$1"; }

# The line the first kernel writes into its log and the crash kernel looks
# for in the vmcore: its prefix is on no command line.
kmsg_line() { echo "ukexec-kdump-kmsg: $1"; }

kernel=/$(arg ukexec.kernel)
[ "$kernel" != / ] || kernel=/vmlinuz

# load APPEND [OPTION...]: load $kernel + /initrd2 as the crash kernel (mode)
load() {
	local append=$1
	shift
	case $mode in
	c|s) /kexec -$mode -p "$@" "$kernel" --initrd=/initrd2 --append="$append" ;;
	*) echo "unknown ukexec.mode '$mode'"; false ;;
	esac
}

crash() {
	local kmsg rc st
	kmsg=$(arg ukexec.kmsg)
	kmsg_line "$kmsg" > /dev/kmsg
	load "console=ttysclp0 panic=-1 ukexec.stage=crashed ukexec.marker=$(arg ukexec.next) ukexec.kmsg=$kmsg" \
		> /tmp/out 2>&1
	rc=$?
	say /tmp/out
	/kexec -S	# exit 1: a panic kernel is loaded
	st=$?
	echo "UKEXEC-LOADED $rc $(cat /sys/kernel/kexec_crash_loaded) $st"
	[ $rc -eq 0 ] || return
	echo c > /proc/sysrq-trigger
	echo "UKEXEC-FAIL still running after the crash"
}

crashed() {
	local kmsg size rc
	kmsg=$(arg ukexec.kmsg)
	size=$(stat -c %s /proc/vmcore 2>/dev/null || echo none)
	# e_ident (16 bytes), e_type, e_machine: ELF64 MSB ... ET_CORE EM_S390
	echo "UKEXEC-VMCORE $size $(head -c 20 /proc/vmcore 2>/dev/null | od -An -tx1 | tr -d ' \n')"
	/vmcore-dmesg /proc/vmcore > /tmp/dmesg 2> /tmp/err
	rc=$?
	echo "UKEXEC-VMCORE-DMESG-EXIT $rc $(wc -l < /tmp/dmesg) lines"
	say /tmp/err | head -n 5
	grep -F "$(kmsg_line "$kmsg")" /tmp/dmesg | head -n 1 | sed 's/^/UKEXEC-VMCORE-DMESG: /'
}

# oracle: ukexec's plan (dry run), then the load of the mode; the host dumps
# the crash region over QMP when it reads UKEXEC-DUMP-READY and ends QEMU
oracle() {
	local append="console=ttysclp0 panic=-1 ukexec.stage=crashed ukexec.marker=oracle ukexec.kmsg=oracle" rc
	/kexec --dry-run --print-plan -c -p --dump-plan=/tmp/plan "$kernel" --initrd=/initrd2 \
		--append="$append" > /tmp/out 2>&1
	echo "UKEXEC-DRYRUN $?"
	sed 's/^/UKEXEC-PLAN: /' /tmp/out
	sed 's/^/UKEXEC-MANIFEST: /' /tmp/plan/manifest
	load "$append" > /tmp/out 2>&1
	rc=$?
	say /tmp/out
	echo "UKEXEC-LOADED $rc $(cat /sys/kernel/kexec_crash_loaded)"
	echo "UKEXEC-DUMP-READY $(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Crash kernel$/\1 \2/p' /proc/iomem | head -n1)"
	sleep 300
	echo "UKEXEC-FAIL the host did not end the oracle boot"
}

# load: a normal load (tests/e2e-s390x/load-oracle.sh). ukexec's plan (dry
# run: the manifest, and the planned purgatory and first 8 bytes of the
# segment at 0 in base64), the load of the mode (c also dumps its plan:
# UKEXEC-LOADPLAN:), then UKEXEC-GDB-READY and a wait for a console line: the
# host has attached gdb with a breakpoint at the next kernel's entry; then
# kexec -e. The loaded kernel never runs past that breakpoint.
load_stage() {
	local append="console=ttysclp0 panic=-1 ukexec.stage=next ukexec.marker=load" rc f go
	/kexec --dry-run --print-plan -c -l --dump-plan=/tmp/plan "$kernel" --initrd=/initrd2 \
		--append="$append" > /tmp/out 2>&1
	echo "UKEXEC-DRYRUN $?"
	sed 's/^/UKEXEC-PLAN: /' /tmp/out
	sed 's/^/UKEXEC-MANIFEST: /' /tmp/plan/manifest
	f=$(awk '$1 == "segment" && $NF == "purgatory" { print $3; exit }' /tmp/plan/manifest)
	[ -n "$f" ] && base64 /tmp/plan/$f | sed 's/^/UKEXEC-PURG-B64: /'
	f=$(awk '$1 == "segment" && $4 == "0x0" { print $3; exit }' /tmp/plan/manifest)
	[ -n "$f" ] && echo "UKEXEC-KHEAD $(head -c 8 /tmp/plan/$f | base64)"
	case $mode in
	c) /kexec -c -l --dump-plan=/tmp/plan-l "$kernel" --initrd=/initrd2 --append="$append" ;;
	s) /kexec -s -l "$kernel" --initrd=/initrd2 --append="$append" ;;
	*) echo "unknown ukexec.mode '$mode'"; false ;;
	esac > /tmp/out 2>&1
	rc=$?
	say /tmp/out
	[ -f /tmp/plan-l/manifest ] && sed 's/^/UKEXEC-LOADPLAN: /' /tmp/plan-l/manifest
	echo "UKEXEC-LOADED $rc $(cat /sys/kernel/kexec_loaded)"
	[ $rc -eq 0 ] || return
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
crash)
	echo "UKEXEC-FIRST $marker $mode $(uname -r)"
	crash
	;;
crashed)
	echo "UKEXEC-CRASHED $marker $(uname -r)"
	crashed
	;;
oracle)
	echo "UKEXEC-ORACLE $mode $(uname -r)"
	oracle
	;;
load)
	echo "UKEXEC-LOAD $mode $(uname -r)"
	load_stage
	;;
*)
	echo "UKEXEC-FAIL unknown stage '$stage'"
	;;
esac
poweroff -f
