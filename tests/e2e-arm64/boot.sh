#!/bin/bash
# ukexec's arm64 plan booted in qemu-system-aarch64 -M virt -cpu max (TCG):
# the 6.1 oracle kernel (scripts/build-arm64-kernel) runs a static
# arm64 ukexec from its initramfs, which loads the same kernel with
# `kexec -c -l` (kexec_load, the userspace plan, our purgatory) and
# `kexec -e`; the second kernel must come up with the command line it was
# given and find its initrd where the plan put it (init-boot.sh).
# Inputs, made here when not given (UKEXEC_ARM64_TIMEOUT: seconds for the
# boot, default 300):
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
qemu_initramfs "$tmp/initrd2" "$busybox" "$e2e_dir/init-boot.sh" ||
	arm64_bail "the second kernel's initramfs"
qemu_initramfs "$tmp/initrd1" "$busybox" "$e2e_dir/init-boot.sh" kexec="$arm64_build/kexec/kexec" \
	Image="$image" initrd.img="$tmp/initrd2" || arm64_bail "the first kernel's initramfs"

qemu_boot "$tmp/console.log" "${UKEXEC_ARM64_TIMEOUT:-300}" "$image" "$tmp/initrd1" ""
tr -d '\r' <"$tmp/console.log" >"$tmp/console"

echo "1..3"
nfail=0
if grep -q '^UKEXEC-LOADED rc=0' "$tmp/console"; then
	echo "ok 1 - kexec -c -l of the 6.1 Image in the guest"
	grep -a '^segment\[\|^entry =' "$tmp/console" | sed 's/^/# /'
else
	nfail=1
	echo "not ok 1 - kexec -c -l of the 6.1 Image in the guest"
	tail -30 "$tmp/console" | sed 's/^/# /'
fi
qemu_check_second_kernel 2 "$tmp/console" "$tmp/initrd2" "$qemu_secs" || nfail=$((nfail + 1))
[ $nfail -eq 0 ]
