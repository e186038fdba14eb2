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
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_srcdir=$(cd "$top_srcdir" && pwd)
e2e_dir=$top_srcdir/tests/e2e-arm64
cache=${UKEXEC_ARM64_CACHE:-$e2e_dir/cache}
image=${UKEXEC_ARM64_IMAGE:-}
busybox=${UKEXEC_ARM64_BUSYBOX:-}
linux_src=/usr/src/linux-source-6.1.tar.xz

skip() {
	echo "1..0 # SKIP $*"
	[ -n "${top_builddir:-}" ] && exit 0
	exit 77
}
for t in aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu qemu-system-aarch64:qemu-system-arm \
	cpio:cpio bc:bc flex:flex bison:bison; do
	command -v "${t%%:*}" >/dev/null || skip "no ${t%%:*} (apt-get install ${t#*:})"
done
[ -s "$linux_src" ] || skip "no $linux_src (apt-get install linux-source-6.1)"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "1..1"; echo "not ok 1 - $*"; exit 1; }

# the inputs: Debian's arm64 busybox, the oracle kernel (both cached)
mkdir -p "$cache"
if [ -z "$busybox" ]; then
	"$top_srcdir/scripts/fetch-arm64" "$cache" >"$tmp/fetch.log" 2>&1 ||
		{ sed 's/^/# /' "$tmp/fetch.log"; fail "scripts/fetch-arm64 $cache"; }
	busybox=$cache/busybox
fi
[ -s "$busybox" ] || fail "no arm64 busybox at $busybox"
if [ -z "$image" ]; then
	kdir=$("$top_srcdir/scripts/build-arm64-kernel" 2>"$tmp/kernel.log") ||
		{ sed 's/^/# /' "$tmp/kernel.log"; fail "scripts/build-arm64-kernel"; }
	sed 's/^/# /' "$tmp/kernel.log"
	image=$kdir/Image
fi
[ -s "$image" ] || fail "no arm64 kernel at $image"

# the static arm64 ukexec, with the kernel source's libfdt
exec 9>"$cache/build.lock"
flock 9
fdt=$cache/libfdt
if [ ! -s "$fdt/lib/libfdt.a" ]; then
	rm -rf "$fdt" && mkdir -p "$fdt/src" "$fdt/include" "$fdt/lib" &&
		tar -xJf "$linux_src" -C "$fdt/src" --strip-components=4 \
			--wildcards 'linux-source-6.1/scripts/dtc/libfdt/*' &&
		cp "$fdt/src/libfdt.h" "$fdt/src/fdt.h" "$fdt/src/libfdt_env.h" "$fdt/include/" &&
		for c in "$fdt"/src/*.c "$e2e_dir/fdt-check-full.c"; do
			aarch64-linux-gnu-gcc -O2 -I"$fdt/src" -c -o "$fdt/src/$(basename "$c" .c).o" "$c" || exit 1
		done &&
		aarch64-linux-gnu-ar rcs "$fdt/lib/libfdt.a" "$fdt"/src/*.o ||
		{ rm -rf "$fdt"; fail "libfdt for arm64 from $linux_src"; }
fi
build=$cache/build-static
mkdir -p "$build"
if [ ! -f "$build/Makefile" ]; then
	(cd "$build" && env -u CC -u LD -u NM LIBFDT_CFLAGS="-I$fdt/include" \
		LIBFDT_LIBS="$fdt/lib/libfdt.a" "$top_srcdir/configure" --host=aarch64-linux-gnu \
		--without-zlib --without-lzma --without-zstd LDFLAGS=-static >configure.log 2>&1) ||
		fail "arm64 static configure: $build/configure.log"
fi
env -u CC -u LD -u NM make -C "$build" -j2 kexec/kexec >"$build/make.log" 2>&1 ||
	fail "arm64 static build: $build/make.log"
flock -u 9

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
cp "$build/kexec/kexec" "$tmp/outer/kexec"
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
