#!/bin/bash
# Record the arm64 kernel's own kexec_file DTB: the oracle for kexec/fdt.c
# (tests/unit/test-fdt.c replays it). Not run by CI or make check.
#
#   record-fdt.sh IMAGE BUSYBOX OUT_DIR
# IMAGE: a raw arm64 6.1 Image with KEXEC_FILE and CRASH_DUMP
# (scripts/build-arm64-kernel's Image); BUSYBOX: Debian's arm64
# busybox-static binary (scripts/fetch-arm64). Needs qemu-system-aarch64, aarch64-linux-gnu-gcc, cpio.
#
# Two boots of qemu -M virt -cpu max (TCG, 1G, crashkernel=128M):
#  exec:  /init prints the machine's /sys/firmware/fdt, kexec_file_load()s
#         IMAGE with an initrd and a known command line, reboot(KEXEC); the
#         second kernel prints its /sys/firmware/fdt, which is the blob the
#         first kernel built (after the second kernel's own early edits,
#         see tests/golden/arm64-virt-6.1/README).
#  crash: the same with KEXEC_FILE_ON_CRASH and sysrq-c; the crash kernel
#         prints its /sys/firmware/fdt. /proc/iomem's crash region is kept.
# Both again with the first kernel's RNG initialised (prefix rng-).
# Blobs cross the serial console as base64 between markers, each with its
# sha256 checked here.
set -euo pipefail
image=$1 busybox=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
die() { echo "record-fdt: $*" >&2; exit 1; }
for t in qemu-system-aarch64 aarch64-linux-gnu-gcc cpio flock; do
	command -v $t >/dev/null || die "$t not found"
done
[ -f "$image" ] || die "$image: no such kernel image"
[ -f "$busybox" ] || die "$busybox: no such busybox"
mkdir -p "$out"
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT

exec_cmdline='console=ttyAMA0 panic=-1 quiet ukexec.oracle=fdt-exec'
crash_cmdline='console=ttyAMA0 panic=-1 quiet ukexec.oracle=fdt-crash maxcpus=1'

aarch64-linux-gnu-gcc -static -O2 -o "$w/kftest" "$top/doc/dev/next-arches/kftest.c"

mkroot() { # DIR INIT_SCRIPT
	mkdir -p "$1"/{bin,proc,sys,dev}
	cp "$busybox" "$1/bin/busybox"; ln -s busybox "$1/bin/sh"
	printf '%s\n' "$2" > "$1/init"; chmod +x "$1/init"
}
common='/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys
dump() { echo "BEGIN-$1"; base64 < "$2"; echo "END-$1"; echo "SHA-$1 $(sha256sum < "$2" | cut -d" " -f1)"; }'

mkroot "$w/inner" "#!/bin/sh
$common
if [ -e /proc/vmcore ]; then dump CRASH-FDT /sys/firmware/fdt; else dump KEXEC-FDT /sys/firmware/fdt; fi
echo CMDLINE \$(cat /proc/cmdline)
poweroff -f"
(cd "$w/inner" && find . | sort | cpio -o -H newc --quiet | gzip -9n) > "$w/inner.cpio.gz"

mkroot "$w/outer" "#!/bin/sh
$common
dump MACHINE-FDT /sys/firmware/fdt
echo IOMEM-CRASH \$(grep 'Crash kernel' /proc/iomem)
case \$(cat /proc/cmdline) in
*ukexec.crashtest*)
	/kftest /kernel /initrd.img '$crash_cmdline' crash || poweroff -f
	echo 1 > /proc/sys/kernel/sysrq; echo c > /proc/sysrq-trigger;;
*)
	/kftest /kernel /initrd.img '$exec_cmdline' exec;;
esac
poweroff -f"
cp "$image" "$w/outer/kernel"; cp "$w/inner.cpio.gz" "$w/outer/initrd.img"; cp "$w/kftest" "$w/outer/kftest"
(cd "$w/outer" && find . | sort | cpio -o -H newc --quiet | gzip -1n) > "$w/outer.cpio.gz"

boot() { # LOG EXTRA_APPEND
	flock /tmp/ukexec-qemu.lock timeout 600 qemu-system-aarch64 -M virt -cpu max -accel tcg -m 1G \
		-nographic -no-reboot -kernel "$image" -initrd "$w/outer.cpio.gz" \
		-append "console=ttyAMA0 panic=-1 crashkernel=128M $2" </dev/null | tr -d '\r' > "$1"
}
console() { # LOG OUT: the console without the base64 blocks
	awk '/^BEGIN-/ { print; on = 1; next } /^END-/ { on = 0 } !on' "$1" > "$2"
}
extract() { # LOG NAME FILE
	awk -v b="BEGIN-$2" -v e="END-$2" '$0 == b { on = 1; next } $0 == e { on = 0 } on && /^[A-Za-z0-9+\/=]+$/' "$1" |
		base64 -d > "$3" || die "$1: no $2 block"
	want=$(awk -v s="SHA-$2" '$1 == s { print $2 }' "$1")
	got=$(sha256sum < "$3" | cut -d' ' -f1)
	[ -n "$want" ] && [ "$want" = "$got" ] || die "$1: $2 does not match its sha256 (console garbled?)"
}

# Without help this kernel's RNG is not initialised when /init runs, so it
# omits kaslr-seed and rng-seed; crediting the CPU's RNDR and QEMU's
# rng-seed (a first-kernel parameter only) gives the seeded variant "rng-".
for v in "" rng-; do
	case $v in rng-) rng='random.trust_cpu=on random.trust_bootloader=on';; *) rng=;; esac
	boot "$w/exec.log" "$rng"
	console "$w/exec.log" "$out/${v}exec.console"
	extract "$w/exec.log" MACHINE-FDT "$out/${v}machine.dtb"
	extract "$w/exec.log" KEXEC-FDT "$out/${v}kexec.dtb"

	boot "$w/crash.log" "$rng ukexec.crashtest"
	console "$w/crash.log" "$out/${v}crash.console"
	extract "$w/crash.log" MACHINE-FDT "$out/${v}crash-machine.dtb"
	extract "$w/crash.log" CRASH-FDT "$out/${v}crash.dtb"
	grep -m1 '^IOMEM-CRASH' "$w/crash.log" | sed 's/^IOMEM-CRASH *//' > "$out/${v}crash.iomem"
done
# QEMU's DTB is a 1 MiB buffer, mostly free space.
gzip -9nf "$out"/*machine.dtb
printf '%s' "$exec_cmdline" > "$out/kexec.cmdline"
printf '%s' "$crash_cmdline" > "$out/crash.cmdline"
stat -c %s "$w/inner.cpio.gz" > "$out/initrd.size"
echo "record-fdt: recorded in $out:"; ls -l "$out"
