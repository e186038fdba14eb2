#!/bin/sh
# Runs inside the Debian guest of tests/pkg/kdump-guest.sh at every boot
# (from the payload disk, mounted on /payload). Which boot this is follows
# from the guest's state: the command line of the second kernel, a dump
# under /var/crash, or neither. Prints "UKEXEC-GUEST <stage> <what>" lines
# on the serial console for the host to read.
set -u
payload=/payload
marker=$(cat "$payload/marker")
export DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin

say() { printf 'UKEXEC-GUEST %s\n' "$*" >/dev/ttyS0; }
show() {	# show STAGE COMMAND...: the command's output, one console line each
	stage=$1; shift
	"$@" 2>&1 | while IFS= read -r l; do say "$stage | $l"; done
}
fail() { say "$1 FAIL $2"; poweroff -f; }

# wait_kdump STAGE: kdump-tools' service has run and the crash kernel is loaded
wait_kdump() {
	i=0
	while [ "$(systemctl is-active kdump-tools.service)" = activating ] && [ $i -lt 600 ]; do
		sleep 1; i=$((i + 1))
	done
	say "$1 kdump-tools.service $(systemctl is-active kdump-tools.service)"
	show "$1" kdump-config status
	say "$1 kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	kdump-config status | grep -q 'ready to kdump' &&
		! kdump-config status | grep -q 'Not ready' &&
		[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ]
}

case " $(cat /proc/cmdline) " in
*" ukexec.second=$marker "*)
	say "second kernel: $(uname -r) cmdline holds ukexec.second=$marker"
	say "second OK"
	poweroff -f
	;;
esac

if ls /var/crash/2*/dmesg.* >/dev/null 2>&1; then
	say "boot2 after the crash: $(uname -r)"
	show boot2 ls -l /var/crash/
	show boot2 sh -c 'ls -l /var/crash/2*/'
	if grep -q "UKEXEC-MARKER $marker" /var/crash/2*/dmesg.*; then
		say "boot2 dmesg holds marker: $(grep -h "UKEXEC-MARKER $marker" /var/crash/2*/dmesg.* | head -n 1)"
	else
		fail boot2 "no marker $marker in the saved dmesg"
	fi
	ls /var/crash/2*/dump.* >/dev/null 2>&1 || fail boot2 "no dump.* saved"
	show boot2 sh -c 'file /var/crash/2*/dump.*'
	wait_kdump boot2 || fail boot2 "kdump-tools did not load the crash kernel at boot"
	say "boot2 kdump OK"
	kver=$(uname -r)
	show boot2 kexec -d -l "/boot/vmlinuz-$kver" --initrd="/boot/initrd.img-$kver" \
		--append="$(cat /proc/cmdline) ukexec.second=$marker"
	say "boot2 kexec_loaded=$(cat /sys/kernel/kexec_loaded)"
	[ "$(cat /sys/kernel/kexec_loaded)" = 1 ] || fail boot2 "kexec -l loaded nothing"
	say "boot2 systemctl kexec"
	systemctl kexec || fail boot2 "systemctl kexec failed"
	exit 0
fi

[ -e /var/lib/ukexec-guest.boot1 ] && fail boot1 "second boot without a dump under /var/crash"
touch /var/lib/ukexec-guest.boot1
say "boot1 $(uname -r) cmdline: $(cat /proc/cmdline)"
show boot1 dpkg -i "$payload"/ukexec_*.deb "$payload"/kdump-tools_*.deb
show boot1 dpkg-query -W -f '${Package} ${Version} ${Status}\n' ukexec kdump-tools kexec-tools
show boot1 dpkg -S /usr/sbin/kexec
show boot1 kexec --version
systemctl is-active -q kdump-tools.service || systemctl start kdump-tools.service
wait_kdump boot1 || fail boot1 "kdump-tools did not load the crash kernel"
show boot1 sh -c 'cat /var/crash/kexec_cmd 2>/dev/null; journalctl -b -o cat -u kdump-tools.service | tail -n 20'
say "boot1 kdump OK"
sync
echo "UKEXEC-MARKER $marker" >/dev/kmsg
say "boot1 crash: echo c > /proc/sysrq-trigger"
echo 1 >/proc/sys/kernel/sysrq
echo c >/proc/sysrq-trigger
fail boot1 "still alive after sysrq c"
