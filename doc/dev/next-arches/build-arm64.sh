#!/bin/bash
# Cross-build a small arm64 kernel with KEXEC + KEXEC_FILE + CRASH_DUMP from
# Debian's linux-source-6.1 (tinyconfig + fragment), for QEMU -M virt.
#   build-arm64.sh [OUT_DIR]      (default /tmp/archr/out-arm64)
# SRC=/path/to/unpacked/linux-source-6.1 skips unpacking the tarball.
# EXTRA_CONFIG="DEBUG_FS DYNAMIC_DEBUG" adds (and requires) those options:
# the plan recorder (tests/e2e-arm64/record-plan.sh) needs the memblock
# debugfs files and the loader's pr_debug lines.
# Needs: linux-source-6.1 bc flex bison gcc-aarch64-linux-gnu.
# Result: OUT/Image (raw arm64 Image: what QEMU -kernel and the in-kernel
# kexec_file_load image loader take), OUT/Image.gz, OUT/vmlinux, OUT/config.
set -euo pipefail
out=${1:-/tmp/archr/out-arm64}
tarball=${TARBALL:-/usr/src/linux-source-6.1.tar.xz}
jobs=${JOBS:-$(nproc)}
die() { echo "build-arm64: $*" >&2; exit 1; }
command -v aarch64-linux-gnu-gcc >/dev/null || die "no aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu)"

fragment=$(cat <<'EOF'
CONFIG_64BIT=y
CONFIG_PRINTK=y
CONFIG_TTY=y
CONFIG_SERIAL_AMBA_PL011=y
CONFIG_SERIAL_AMBA_PL011_CONSOLE=y
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
# KEXEC depends on PM_SLEEP_SMP (SMP is forced on arm64): PM_SLEEP via SUSPEND
CONFIG_SUSPEND=y
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
for opt in ${EXTRA_CONFIG:-}; do fragment+=$'\n'"CONFIG_$opt=y"; done
required="${EXTRA_CONFIG:-} KEXEC KEXEC_FILE CRASH_DUMP PROC_VMCORE PROC_KCORE BLK_DEV_INITRD RD_GZIP
	SERIAL_AMBA_PL011 SERIAL_AMBA_PL011_CONSOLE DEVTMPFS TMPFS MAGIC_SYSRQ SRCU PM_SLEEP_SMP HOTPLUG_CPU OF ARM_PSCI_FW ARM_GIC_V3 ARM_ARCH_TIMER"

export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2024'
export KBUILD_BUILD_USER=ukexec KBUILD_BUILD_HOST=ukexec KBUILD_BUILD_VERSION=1
work=$(mktemp -d "${TMPDIR:-/tmp}/archr-arm64.XXXXXX")
trap 'rm -rf "$work"' EXIT
t0=$SECONDS
if [ -n "${SRC:-}" ]; then src=$SRC; else tar -xf "$tarball" -C "$work"; src=$(echo "$work"/linux-source-*); fi
obj=$work/build
printf '%s\n' "$fragment" > "$work/fragment.config"
mkdir -p "$out"
{
	make -C "$src" O="$obj" tinyconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$work/fragment.config"
	make -C "$src" O="$obj" olddefconfig
} >"$out/build.log" 2>&1 || { tail -20 "$out/build.log"; die "config failed"; }
bad=0
for opt in $required; do
	grep -qx "CONFIG_$opt=y" "$obj/.config" || { echo "build-arm64: CONFIG_$opt did not stick" >&2; bad=1; }
done
cp "$obj/.config" "$out/config"
[ $bad = 0 ] || die "config incomplete (see $out/config)"
make -C "$src" O="$obj" -j"$jobs" Image Image.gz >>"$out/build.log" 2>&1 || { tail -30 "$out/build.log"; die "build failed"; }
cp "$obj/arch/arm64/boot/Image" "$obj/arch/arm64/boot/Image.gz" "$obj/vmlinux" "$out/"
echo "build-arm64: $out/Image ($(stat -c %s "$out/Image") bytes, Image.gz $(stat -c %s "$out/Image.gz")) in $((SECONDS - t0)) s"
