#!/bin/bash
# Cross-build a small kernel with KEXEC + KEXEC_FILE + CRASH_DUMP from
# Debian's linux-source-6.1 (tinyconfig + fragment), for QEMU:
#   build-kernel.sh ARCH [OUT_DIR]   (default /tmp/archr/out-ARCH)
#   arm64    for -M virt; needs gcc-aarch64-linux-gnu. Result: OUT/Image (raw
#            arm64 Image: what QEMU -kernel and the in-kernel kexec_file_load
#            image loader take), OUT/Image.gz, OUT/vmlinux, OUT/config.
#   ppc64le  for -M pseries; needs gcc-powerpc64le-linux-gnu. Result:
#            OUT/vmlinux (ELF, what QEMU -kernel and kexec_file_load's ELF
#            loader take), OUT/vmlinux.stripped, OUT/config.
# The config fragment: kernel-ARCH.config + kernel-common.config (tinyconfig
# + fragment). build-arm64.sh and build-ppc64le.sh are this script with ARCH.
# EXTRA_CONFIG="DEBUG_FS DYNAMIC_DEBUG" adds (and requires) those options
# (NAME=VALUE for a value: the ppc64le 64 KiB-page oracle of
# tests/golden/ppc64-pseries-6.1-64k is EXTRA_CONFIG="PPC_64K_PAGES
# FRAME_WARN=2048": with 64 KiB pages slice.c's frame exceeds tinyconfig's
# 1024-byte warning, an error under PPC_WERROR; Debian's is 2048):
# the arm64 plan recorder (tests/e2e-arm64/record-plan.sh) needs the memblock
# debugfs files and the loader's pr_debug lines.
# SRC=/path/to/unpacked/linux-source-6.1 skips unpacking the tarball.
# Needs: linux-source-6.1 bc flex bison and the cross compiler above.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
arch=${1:-}
die() { echo "build-$arch: $*" >&2; exit 1; }
case $arch in
arm64)
	karch=arm64 cross=aarch64-linux-gnu- pkg=gcc-aarch64-linux-gnu
	required="KEXEC KEXEC_FILE CRASH_DUMP PROC_VMCORE PROC_KCORE BLK_DEV_INITRD RD_GZIP
	SERIAL_AMBA_PL011 SERIAL_AMBA_PL011_CONSOLE DEVTMPFS TMPFS MAGIC_SYSRQ SRCU PM_SLEEP_SMP HOTPLUG_CPU OF ARM_PSCI_FW ARM_GIC_V3 ARM_ARCH_TIMER"
	targets="Image Image.gz"
	;;
ppc64le)
	karch=powerpc cross=powerpc64le-linux-gnu- pkg=gcc-powerpc64le-linux-gnu
	required="PPC64 CPU_LITTLE_ENDIAN PPC_BOOK3S_64 PPC_PSERIES PPC_OF_BOOT_TRAMPOLINE ALTIVEC VSX HVC_CONSOLE KEXEC KEXEC_FILE CRASH_DUMP
	PROC_VMCORE PROC_KCORE RELOCATABLE BLK_DEV_INITRD RD_GZIP DEVTMPFS TMPFS MAGIC_SYSRQ SRCU DYNAMIC_DEBUG"
	targets=vmlinux
	;;
*)
	echo "usage: build-kernel.sh arm64|ppc64le [OUT_DIR]" >&2; exit 2 ;;
esac
required="${EXTRA_CONFIG:-} $required"
out=${2:-/tmp/archr/out-$arch}
tarball=${TARBALL:-/usr/src/linux-source-6.1.tar.xz}
jobs=${JOBS:-$(nproc)}
command -v "${cross}gcc" >/dev/null || die "no ${cross}gcc (apt-get install $pkg)"

export ARCH=$karch CROSS_COMPILE=$cross
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2024'
export KBUILD_BUILD_USER=ukexec KBUILD_BUILD_HOST=ukexec KBUILD_BUILD_VERSION=1
work=$(mktemp -d "${TMPDIR:-/tmp}/archr-$arch.XXXXXX")
trap 'rm -rf "$work"' EXIT
t0=$SECONDS
if [ -n "${SRC:-}" ]; then src=$SRC; else tar -xf "$tarball" -C "$work"; src=$(echo "$work"/linux-source-*); fi
obj=$work/build
cat "$here/kernel-$arch.config" "$here/kernel-common.config" > "$work/fragment.config"
for opt in ${EXTRA_CONFIG:-}; do
	case $opt in *=*) echo "CONFIG_$opt" ;; *) echo "CONFIG_$opt=y" ;; esac
done >> "$work/fragment.config"
mkdir -p "$out"
{
	make -C "$src" O="$obj" tinyconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$work/fragment.config"
	make -C "$src" O="$obj" olddefconfig
} >"$out/build.log" 2>&1 || { tail -20 "$out/build.log"; die "config failed"; }
bad=0
for opt in $required; do
	case $opt in *=*) want=CONFIG_$opt ;; *) want=CONFIG_$opt=y ;; esac
	grep -qx "$want" "$obj/.config" || { echo "build-$arch: CONFIG_$opt did not stick" >&2; bad=1; }
done
cp "$obj/.config" "$out/config"
[ $bad = 0 ] || die "config incomplete (see $out/config)"
# shellcheck disable=SC2086
make -C "$src" O="$obj" -j"$jobs" $targets >>"$out/build.log" 2>&1 || { tail -30 "$out/build.log"; die "build failed"; }
case $arch in
arm64)
	cp "$obj/arch/arm64/boot/Image" "$obj/arch/arm64/boot/Image.gz" "$obj/vmlinux" "$out/"
	echo "build-arm64: $out/Image ($(stat -c %s "$out/Image") bytes, Image.gz $(stat -c %s "$out/Image.gz")) in $((SECONDS - t0)) s"
	;;
ppc64le)
	cp "$obj/vmlinux" "$out/"
	"${cross}strip" -o "$out/vmlinux.stripped" "$out/vmlinux"
	echo "build-ppc64le: $out/vmlinux ($(stat -c %s "$out/vmlinux") bytes, stripped $(stat -c %s "$out/vmlinux.stripped")) in $((SECONDS - t0)) s"
	;;
esac
