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
# build-arm64.sh and build-ppc64le.sh are this script with ARCH given.
# SRC=/path/to/unpacked/linux-source-6.1 skips unpacking the tarball.
# Needs: linux-source-6.1 bc flex bison and the cross compiler above.
set -euo pipefail
arch=${1:-}
die() { echo "build-$arch: $*" >&2; exit 1; }
case $arch in
arm64)
	karch=arm64 cross=aarch64-linux-gnu- pkg=gcc-aarch64-linux-gnu
	arch_fragment=$(cat <<'EOF'
CONFIG_64BIT=y
CONFIG_SERIAL_AMBA_PL011=y
CONFIG_SERIAL_AMBA_PL011_CONSOLE=y
# KEXEC depends on PM_SLEEP_SMP (SMP is forced on arm64): PM_SLEEP via SUSPEND
CONFIG_SUSPEND=y
EOF
)
	required="KEXEC KEXEC_FILE CRASH_DUMP PROC_VMCORE PROC_KCORE BLK_DEV_INITRD RD_GZIP
	SERIAL_AMBA_PL011 SERIAL_AMBA_PL011_CONSOLE DEVTMPFS TMPFS MAGIC_SYSRQ SRCU PM_SLEEP_SMP HOTPLUG_CPU OF ARM_PSCI_FW ARM_GIC_V3 ARM_ARCH_TIMER"
	targets="Image Image.gz"
	;;
ppc64le)
	karch=powerpc cross=powerpc64le-linux-gnu- pkg=gcc-powerpc64le-linux-gnu
	arch_fragment=$(cat <<'EOF'
CONFIG_PPC64=y
CONFIG_PPC_BOOK3S_64=y
CONFIG_CPU_LITTLE_ENDIAN=y
CONFIG_PPC_PSERIES=y
CONFIG_PPC_RADIX_MMU=y
# SLOF enters the kernel through the OF client interface: needs prom_init
CONFIG_PPC_OF_BOOT_TRAMPOLINE=y
# Debian's ppc64el userspace (busybox, glibc) uses VMX/VSX
CONFIG_ALTIVEC=y
CONFIG_VSX=y
CONFIG_HVC_CONSOLE=y
# ppc64 KEXEC_FILE depends on CRYPTO=y && CRYPTO_SHA256=y (purgatory digest)
CONFIG_CRYPTO=y
CONFIG_CRYPTO_SHA256=y
EOF
)
	required="PPC64 CPU_LITTLE_ENDIAN PPC_BOOK3S_64 PPC_PSERIES PPC_OF_BOOT_TRAMPOLINE ALTIVEC VSX HVC_CONSOLE KEXEC KEXEC_FILE CRASH_DUMP
	PROC_VMCORE PROC_KCORE RELOCATABLE BLK_DEV_INITRD RD_GZIP DEVTMPFS TMPFS MAGIC_SYSRQ SRCU"
	targets=vmlinux
	;;
*)
	echo "usage: build-kernel.sh arm64|ppc64le [OUT_DIR]" >&2; exit 2 ;;
esac
out=${2:-/tmp/archr/out-$arch}
tarball=${TARBALL:-/usr/src/linux-source-6.1.tar.xz}
jobs=${JOBS:-$(nproc)}
command -v "${cross}gcc" >/dev/null || die "no ${cross}gcc (apt-get install $pkg)"

fragment=$(cat <<'EOF'
CONFIG_PRINTK=y
CONFIG_TTY=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_RD_GZIP=y
CONFIG_BINFMT_ELF=y
CONFIG_BINFMT_SCRIPT=y
CONFIG_PROC_FS=y
CONFIG_PROC_SYSCTL=y
CONFIG_SYSFS=y
CONFIG_DEVTMPFS=y
CONFIG_DEVTMPFS_MOUNT=y
CONFIG_SHMEM=y
CONFIG_TMPFS=y
CONFIG_FUTEX=y
CONFIG_POSIX_TIMERS=y
CONFIG_KEXEC=y
CONFIG_KEXEC_FILE=y
CONFIG_CRASH_DUMP=y
CONFIG_PROC_VMCORE=y
# fs/proc/vmcore.c uses SRCU but PROC_VMCORE does not select it (6.1)
CONFIG_INOTIFY_USER=y
CONFIG_PROC_KCORE=y
CONFIG_MAGIC_SYSRQ=y
CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE=0x1
# CONFIG_MODULES is not set
EOF
)

export ARCH=$karch CROSS_COMPILE=$cross
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2024'
export KBUILD_BUILD_USER=ukexec KBUILD_BUILD_HOST=ukexec KBUILD_BUILD_VERSION=1
work=$(mktemp -d "${TMPDIR:-/tmp}/archr-$arch.XXXXXX")
trap 'rm -rf "$work"' EXIT
t0=$SECONDS
if [ -n "${SRC:-}" ]; then src=$SRC; else tar -xf "$tarball" -C "$work"; src=$(echo "$work"/linux-source-*); fi
obj=$work/build
printf '%s\n%s\n' "$arch_fragment" "$fragment" > "$work/fragment.config"
mkdir -p "$out"
{
	make -C "$src" O="$obj" tinyconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$work/fragment.config"
	make -C "$src" O="$obj" olddefconfig
} >"$out/build.log" 2>&1 || { tail -20 "$out/build.log"; die "config failed"; }
bad=0
for opt in $required; do
	grep -qx "CONFIG_$opt=y" "$obj/.config" || { echo "build-$arch: CONFIG_$opt did not stick" >&2; bad=1; }
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
