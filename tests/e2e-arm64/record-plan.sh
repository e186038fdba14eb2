#!/bin/bash
# Record the arm64 kernel's own kexec_file plan and the machine it was made
# on: the oracle of tests/e2e-arm64/golden.sh. Not run by CI or make check.
#
#   record-plan.sh IMAGE BUSYBOX OUT_DIR   (writes OUT_DIR/plan, OUT_DIR/kdump;
#                                           tests/golden/arm64-virt-<version> in the tree)
# IMAGE: a raw arm64 6.1 or 6.12 Image with KEXEC_FILE, CRASH_DUMP, DEBUG_FS and
# DYNAMIC_DEBUG (scripts/build-arm64-kernel's Image); BUSYBOX: Debian's arm64
# busybox-static (scripts/fetch-arm64). Needs qemu-system-aarch64, aarch64-linux-gnu-gcc, cpio.
#
# Two boots of qemu -M virt -cpu max (TCG, 1G, crashkernel=128M, the RNG
# credited so the kernel writes its seeds). /init:
#  - copies what the plan depends on into a sysroot (/sys/firmware/fdt,
#    /proc/iomem, debugfs memblock/memory and memblock/reserved, the crash
#    inputs, osrelease, auxv);
#  - turns on the pr_debug lines of kernel/kexec_file.c ("Loading segment"),
#    arch/arm64/kernel/kexec_image.c and machine_kexec_file.c ("Loaded ...");
#    6.7+ prints them (kexec_dprintk, "segment[N]") only for KEXEC_FILE_DEBUG,
#    which kftest passes (and drops on 6.1's EINVAL);
#  - kexec_file_load()s IMAGE with an initrd and a known command line, then
#    the same with KEXEC_FILE_ON_CRASH, and prints the kernel log;
#  - exec boot: loads IMAGE again and reboots into it: the second kernel
#    prints its /sys/firmware/fdt (the blob the first kernel built for -l);
#  - crash boot (ukexec.crashboot, recorded in OUT_DIR/kdump): sysrq-c
#    instead; the crash kernel prints its /sys/firmware/fdt (the blob built
#    for -p) and the first page of its /proc/vmcore (the program headers of
#    the ELF core headers built for -p, with the notes merged).
# Blobs cross the serial console as base64 between markers, each with its
# sha256 checked here.
set -euo pipefail
image=$1 busybox=$2 out=$3/plan kdump=$3/kdump
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
die() { echo "record-plan: $*" >&2; exit 1; }
for t in qemu-system-aarch64 aarch64-linux-gnu-gcc cpio flock; do
	command -v $t >/dev/null || die "$t not found"
done
[ -f "$image" ] || die "$image: no such kernel image"
[ -f "$busybox" ] || die "$busybox: no such busybox"
mkdir -p "$out"
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
# UKEXEC_RECORD_KEEP=DIR: the boots' console logs are copied there, even on failure
[ -z "${UKEXEC_RECORD_KEEP:-}" ] ||
	trap 'mkdir -p "$UKEXEC_RECORD_KEEP"; cp "$w"/*.log "$UKEXEC_RECORD_KEEP"/ 2>/dev/null; rm -rf "$w"' EXIT

exec_cmdline='console=ttyAMA0 panic=-1 quiet ukexec.oracle=plan-exec'
crash_cmdline='console=ttyAMA0 panic=-1 quiet ukexec.oracle=plan-crash maxcpus=1'

aarch64-linux-gnu-gcc -static -O2 -o "$w/kftest" "$top/doc/dev/next-arches/kftest.c"

mkroot() { # DIR INIT_SCRIPT
	mkdir -p "$1"/{bin,proc,sys,dev}
	cp "$busybox" "$1/bin/busybox"; ln -s busybox "$1/bin/sh"
	printf '%s\n' "$2" > "$1/init"; chmod +x "$1/init"
}
# the console carries the blobs: no kernel message may cut into them
common='/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; dmesg -n 1
dump() { echo "BEGIN-$1"; base64 < "$2"; echo "END-$1"; echo "SHA-$1 $(sha256sum < "$2" | cut -d" " -f1)"; }'

mkroot "$w/inner" "#!/bin/sh
$common
if [ -e /proc/vmcore ]; then
	dump CRASH-FDT /sys/firmware/fdt
	mkdir -p /tmp; dd if=/proc/vmcore of=/tmp/vmcore.head bs=4096 count=1 2>/dev/null
	dump VMCORE-HEAD /tmp/vmcore.head
else
	dump KEXEC-FDT /sys/firmware/fdt
fi
poweroff -f"
(cd "$w/inner" && find . | sort | cpio -o -H newc --quiet | gzip -9n) > "$w/inner.cpio.gz"

# the files of the sysroot, as NAME:PATH (NAME is the marker)
files='FDT:/sys/firmware/fdt IOMEM:/proc/iomem CMDLINE:/proc/cmdline
OSRELEASE:/proc/sys/kernel/osrelease CRASH-SIZE:/sys/kernel/kexec_crash_size
MB-MEMORY:/sys/kernel/debug/memblock/memory MB-RESERVED:/sys/kernel/debug/memblock/reserved
POSSIBLE:/sys/devices/system/cpu/possible VMCOREINFO:/sys/kernel/vmcoreinfo
NOTES0:/sys/devices/system/cpu/cpu0/crash_notes NOTES0-SIZE:/sys/devices/system/cpu/cpu0/crash_notes_size
AUXV:/proc/self/auxv KCORE:/tmp/kcore'

mkroot "$w/outer" "#!/bin/sh
$common
mount -t debugfs debugfs /sys/kernel/debug; mkdir -p /tmp
dd if=/proc/kcore of=/tmp/kcore bs=65536 count=1 2>/dev/null
for f in $(echo $files); do n=\${f%%:*}; p=\${f#*:}; cat \$p > /tmp/f; dump \$n /tmp/f; done
echo 'file kexec_file.c +p; file kexec_image.c +p; file machine_kexec_file.c +p' > /sys/kernel/debug/dynamic_debug/control
/kftest /kernel /initrd.img '$exec_cmdline' debug
/kftest /kernel /initrd.img '$crash_cmdline' crash debug
dmesg > /tmp/dmesg; dump DMESG /tmp/dmesg
case \$(cat /proc/cmdline) in
*ukexec.crashboot*) echo 1 > /proc/sys/kernel/sysrq; echo c > /proc/sysrq-trigger;;
*) /kftest /kernel /initrd.img '$exec_cmdline' exec;;
esac
poweroff -f"
cp "$image" "$w/outer/kernel"; cp "$w/inner.cpio.gz" "$w/outer/initrd.img"; cp "$w/kftest" "$w/outer/kftest"
(cd "$w/outer" && find . | sort | cpio -o -H newc --quiet | gzip -1n) > "$w/outer.cpio.gz"

# UKEXEC_RECORD_CPU: QEMU's -cpu (default max). 6.12 was recorded with
# max,lpa2=off: its tinyconfig has 52-bit VA with LPA2, and on an LPA2 CPU
# (QEMU 7.2 TCG) trans_pgd_create_copy() faults in machine_kexec_post_load(),
# after the plan is logged but before the load completes.
cpu=${UKEXEC_RECORD_CPU:-max}
boot() { # LOG EXTRA_APPEND
	flock /tmp/ukexec-qemu.lock timeout 900 qemu-system-aarch64 -M virt -cpu "$cpu" -accel tcg -m 1G \
		-nographic -no-reboot -kernel "$image" -initrd "$w/outer.cpio.gz" \
		-append "console=ttyAMA0 panic=-1 crashkernel=128M random.trust_cpu=on random.trust_bootloader=on$2" \
		</dev/null | tr -d '\r' > "$1"
}
extract() { # LOG NAME FILE
	awk -v b="BEGIN-$2" -v e="END-$2" '$0 == b { on = 1; next } $0 == e { on = 0 } on && /^[A-Za-z0-9+\/=]+$/' "$1" |
		base64 -d > "$3" || die "$1: no $2 block"
	want=$(awk -v s="SHA-$2" '$1 == s { print $2 }' "$1")
	got=$(sha256sum < "$3" | cut -d' ' -f1)
	[ -n "$want" ] && [ "$want" = "$got" ] || die "$1: $2 does not match its sha256 (console garbled?)"
}
record() { # LOG OUT: the sysroot and the kernel log
	mkdir -p "$2"
	awk '/^BEGIN-/ { print; on = 1; next } /^END-/ { on = 0 } !on' "$1" > "$2/plan.console"
	for f in $files; do
		n=${f%%:*} p=${f#*:}
		[ "$p" = /tmp/kcore ] && p=/proc/kcore
		mkdir -p "$2/sysroot$(dirname "$p")"
		extract "$1" "$n" "$2/sysroot$p"
	done
	extract "$1" DMESG "$2/plan.dmesg"
}
boot "$w/exec.log" ""
record "$w/exec.log" "$out"
extract "$w/exec.log" KEXEC-FDT "$out/plan-kexec.dtb"
# QEMU's seeds, the command line and what it allocates make the crash boot
# another machine: recorded apart, with its own plans
boot "$w/crash.log" " ukexec.crashboot"
record "$w/crash.log" "$kdump"
extract "$w/crash.log" CRASH-FDT "$kdump/plan-crash.dtb"
extract "$w/crash.log" VMCORE-HEAD "$kdump/vmcore.head"
for o in "$out" "$kdump"; do
	# the kernel's segment tables, first the normal load, then the crash load
	grep -o 'Loading segment.*\|segment\[[0-9]*\]: buf=.*\|Loaded .*' "$o/plan.dmesg" > "$o/plan.kernel" ||
		die "no pr_debug (6.1) or kexec_dprintk (6.7+) lines in the kernel log"
	gzip -9nf "$o/sysroot/sys/firmware/fdt"	# QEMU's 1 MiB buffer
done
# the payload: only its header and size matter to the plan
head -c 64 "$image" > "$out/image.head"
stat -c %s "$image" > "$out/image.size"
stat -c %s "$w/inner.cpio.gz" > "$out/plan-initrd.size"
printf '%s' "$exec_cmdline" > "$out/plan-kexec.cmdline"
printf '%s' "$crash_cmdline" > "$out/plan-crash.cmdline"
echo "record-plan: recorded in $out and $kdump:"; ls -l "$out" "$kdump"
