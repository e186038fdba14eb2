#!/bin/bash
# Cross-build a small ppc64le (pseries) kernel with KEXEC + KEXEC_FILE + CRASH_DUMP
# from Debian's linux-source-6.1 (tinyconfig + fragment), for QEMU -M pseries.
#   build-ppc64le.sh [OUT_DIR]      (default /tmp/archr/out-ppc64le)
# SRC=/path/to/unpacked/linux-source-6.1 skips unpacking the tarball.
# Needs: linux-source-6.1 bc flex bison gcc-powerpc64le-linux-gnu.
# Result: OUT/vmlinux (ELF, what QEMU -kernel and kexec_file_load's ELF loader
# take), OUT/vmlinux.stripped, OUT/config.
set -euo pipefail
out=${1:-/tmp/archr/out-ppc64le}
tarball=${TARBALL:-/usr/src/linux-source-6.1.tar.xz}
jobs=${JOBS:-$(nproc)}
die() { echo "build-ppc64le: $*" >&2; exit 1; }
command -v powerpc64le-linux-gnu-gcc >/dev/null || die "no powerpc64le-linux-gnu-gcc (apt-get install gcc-powerpc64le-linux-gnu)"

fragment=$(cat <<'EOF'
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
CONFIG_PRINTK=y
CONFIG_TTY=y
CONFIG_HVC_CONSOLE=y
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
# ppc64 KEXEC_FILE depends on CRYPTO=y && CRYPTO_SHA256=y (purgatory digest)
CONFIG_CRYPTO=y
CONFIG_CRYPTO_SHA256=y
CONFIG_KEXEC_FILE=y
CONFIG_CRASH_DUMP=y
CONFIG_PROC_VMCORE=y
# fs/proc/vmcore.c uses SRCU but PROC_VMCORE does not select it (6.1)
CONFIG_INOTIFY_USER=y
CONFIG_PROC_KCORE=y
CONFIG_MAGIC_SYSRQ=y
CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE=0x1
# the recorder reads the kernel's plan from kexec_file's pr_debug lines (dyndbg=)
CONFIG_DYNAMIC_DEBUG=y
# CONFIG_MODULES is not set
EOF
)
required="PPC64 CPU_LITTLE_ENDIAN PPC_BOOK3S_64 PPC_PSERIES PPC_OF_BOOT_TRAMPOLINE ALTIVEC VSX HVC_CONSOLE KEXEC KEXEC_FILE CRASH_DUMP
	PROC_VMCORE PROC_KCORE RELOCATABLE BLK_DEV_INITRD RD_GZIP DEVTMPFS TMPFS MAGIC_SYSRQ SRCU DYNAMIC_DEBUG"

export ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2024'
export KBUILD_BUILD_USER=ukexec KBUILD_BUILD_HOST=ukexec KBUILD_BUILD_VERSION=1
work=$(mktemp -d "${TMPDIR:-/tmp}/archr-ppc64le.XXXXXX")
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
	grep -qx "CONFIG_$opt=y" "$obj/.config" || { echo "build-ppc64le: CONFIG_$opt did not stick" >&2; bad=1; }
done
cp "$obj/.config" "$out/config"
[ $bad = 0 ] || die "config incomplete (see $out/config)"
make -C "$src" O="$obj" -j"$jobs" vmlinux >>"$out/build.log" 2>&1 || { tail -30 "$out/build.log"; die "build failed"; }
cp "$obj/vmlinux" "$out/"
${CROSS_COMPILE}strip -o "$out/vmlinux.stripped" "$out/vmlinux"
echo "build-ppc64le: $out/vmlinux ($(stat -c %s "$out/vmlinux") bytes, stripped $(stat -c %s "$out/vmlinux.stripped")) in $((SECONDS - t0)) s"
