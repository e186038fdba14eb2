#!/bin/bash
# ukexec's arm64 plan booted in qemu-system-aarch64 -M virt -cpu max (TCG):
# the 6.1 oracle kernel (scripts/build-arm64-kernel) runs a static
# arm64 ukexec from its initramfs, which loads the same kernel with
# `kexec -c -l` (kexec_load, the userspace plan, our purgatory) and
# `kexec -e`; the second kernel must come up with the command line it was
# given and find its initrd where the plan put it (init-boot.sh).
# Inputs, made here when not given:
#   UKEXEC_ARM64_IMAGE    the kernel (default: scripts/build-arm64-kernel's
#                         cached build, built on first use, 4-8 minutes)
#   UKEXEC_ARM64_BUSYBOX  a static arm64 busybox (default: Debian's, by
#                         scripts/fetch-arm64 into the cache)
# Exit 77 (TAP skip under make) only without a package (scripts/deps):
# aarch64-linux-gnu-gcc, qemu-system-aarch64, cpio, bc, flex, bison and
# /usr/src/linux-source-6.1.tar.xz (the kernel's source; its
# scripts/dtc/libfdt is the arm64 libfdt of the static build;
# fdt-check-full.c adds what it lacks).
. "$(dirname "$0")/lib.sh"

arm64_need_tools
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# the inputs: Debian's arm64 busybox, the oracle kernel (both cached), the
# static arm64 ukexec (lib.sh)
if [ -n "${UKEXEC_ARM64_BUSYBOX:-}" ]; then
	busybox=$UKEXEC_ARM64_BUSYBOX
	[ -s "$busybox" ] || arm64_bail "no arm64 busybox at $busybox"
else
	arm64_debian_inputs
fi
arm64_oracle_kernel
arm64_need_build kexec/kexec

# initramfs: the second kernel's (busybox, /init), then the first's (the
# same and ukexec, the kernel, the second's initramfs)
for d in inner outer; do
	mkdir -p "$tmp/$d/bin" "$tmp/$d/proc" "$tmp/$d/sys" "$tmp/$d/dev"
	cp "$busybox" "$tmp/$d/bin/busybox"
	ln -s busybox "$tmp/$d/bin/sh"
	cp "$e2e_dir/init-boot.sh" "$tmp/$d/init"
	chmod +x "$tmp/$d/init" "$tmp/$d/bin/busybox"
done
(cd "$tmp/inner" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$tmp/outer/initrd.img"
cp "$arm64_build/kexec/kexec" "$tmp/outer/kexec"
cp "$image" "$tmp/outer/Image"
(cd "$tmp/outer" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$tmp/initrd"

t0=$SECONDS
flock /tmp/ukexec-qemu.lock timeout 300 qemu-system-aarch64 -M virt -cpu max -accel tcg -m 1G \
	-nographic -no-reboot -kernel "$image" -initrd "$tmp/initrd" \
	-append "console=ttyAMA0 panic=-1" </dev/null 2>&1 | tr -d '\r' >"$tmp/console"
secs=$((SECONDS - t0))

echo "1..3"
if grep -q '^UKEXEC-LOADED rc=0' "$tmp/console"; then
	echo "ok 1 - kexec -c -l of the 6.1 Image in the guest"
	grep -a '^segment\[\|^entry =' "$tmp/console" | sed 's/^/# /'
else
	echo "not ok 1 - kexec -c -l of the 6.1 Image in the guest"
	tail -30 "$tmp/console" | sed 's/^/# /'
fi
line=$(grep -a '^UKEXEC-SECOND-KERNEL' "$tmp/console")
case $line in
*ukexec.second*)
	echo "ok 2 - kexec -e: the second kernel booted with its command line ($secs s)" ;;
*)
	echo "not ok 2 - kexec -e: no second kernel with ukexec.second ($secs s)"
	tail -30 "$tmp/console" | sed 's/^/# /' ;;
esac
# the plan's initrd segment: the one of the second initramfs' size
size=$(printf '0x%x' "$(stat -c %s "$tmp/outer/initrd.img")")
want=$(grep -a "^segment\[.*bufsz=$size " "$tmp/console" | sed 's/.* mem=0x\([0-9a-f]*\) .*/\1/')
got=$(grep -a '^UKEXEC-SECOND-INITRD' "$tmp/console" | awk '{ print $2 }')
if [ -n "$want" ] && [ -n "$got" ] && [ $((0x$got)) -eq $((0x$want)) ]; then
	echo "ok 3 - the second kernel's DTB puts its initrd at the plan's 0x$want"
else
	echo "not ok 3 - the second kernel's DTB: initrd at 0x${got:-?}, the plan's at 0x${want:-?}"
fi
