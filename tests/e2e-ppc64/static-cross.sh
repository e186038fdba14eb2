#!/bin/bash
# The static ppc64le cross build (issue 13):
#   ./configure --host=powerpc64le-linux-gnu LDFLAGS=-static
# with libfdt built for ppc64le from linux-source-6.1's scripts/dtc/libfdt
# (Debian has no ppc64el libfdt without multiarch) and without the
# decompressors (no ppc64el zlib/liblzma/libzstd either; a ppc64 vmlinux is
# not compressed). The tool then runs on ppc64le under qemu-user, natively
# (no --arch), and must plan the recorded pseries machine
# (tests/golden/ppc64-pseries-6.1) as the kernel did and as the host build
# does: the kernel's -l and -p segment tables, the same segment bytes as the
# host build's but for the device tree (random seeds) and the purgatory (its
# digest of them). The binaries are left in CACHE/kexec-static and
# CACHE/vmcore-dmesg-static for boot.sh and kdump.sh.
#
#   static-cross.sh [BUILD_DIR]   (the host build, default build-check)
# TAP; exit 77 without the cross compiler, qemu-ppc64le-static, the kernel
# source or Debian's ppc64el vmlinux (scripts/fetch-ppc64).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
hostbuild=$(cd "${1:-$top/build-check}" && pwd)
hostkexec=$hostbuild/kexec/kexec
cache=${UKEXEC_PPC64_CACHE:-$here/cache}
g=$top/tests/golden/ppc64-pseries-6.1
linux_src=/usr/src/linux-source-6.1.tar.xz
skip() { echo "1..0 # SKIP $*"; exit 77; }
for t in powerpc64le-linux-gnu-gcc powerpc64le-linux-gnu-ar powerpc64le-linux-gnu-readelf qemu-ppc64le-static; do
	command -v $t >/dev/null || skip "$t not found"
done
[ -f "$linux_src" ] || skip "$linux_src not found (linux-source-6.1)"
[ -x "$hostkexec" ] || skip "no host build at $hostbuild"
payload=$cache/debian-vmlinux
[ "$(sha256sum < "$payload" 2>/dev/null | cut -d' ' -f1)" = "$(awk '$1 == "payload-sha256" { print $2 }' "$g/inputs")" ] ||
	skip "no Debian ppc64el vmlinux in $cache (scripts/fetch-ppc64)"
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
w=$(mktemp -d) || exit 1
trap 'rm -rf "$w"' EXIT

# libfdt for ppc64le, from the kernel source (the arm64 static build's recipe)
fdt=$w/libfdt
mkdir -p "$fdt/src" "$fdt/include" "$fdt/lib"
tar -xJf "$linux_src" -C "$fdt/src" --strip-components=4 --wildcards 'linux-source-6.1/scripts/dtc/libfdt/*' &&
	cp "$fdt/src/libfdt.h" "$fdt/src/fdt.h" "$fdt/src/libfdt_env.h" "$fdt/include/" &&
	for c in "$fdt"/src/*.c "$top/tests/e2e-arm64/fdt-check-full.c"; do
		powerpc64le-linux-gnu-gcc -O2 -I"$fdt/src" -c -o "$fdt/src/$(basename "$c" .c).o" "$c" || exit 1
	done &&
	powerpc64le-linux-gnu-ar rcs "$fdt/lib/libfdt.a" "$fdt"/src/*.o
ok $? "libfdt for ppc64le from $linux_src"

b=$w/build
mkdir -p "$b"
(cd "$b" && env -u CC -u LD -u NM LIBFDT_CFLAGS="-I$fdt/include" LIBFDT_LIBS="$fdt/lib/libfdt.a" \
	"$top/configure" -q --host=powerpc64le-linux-gnu --without-zlib --without-lzma --without-zstd \
	LDFLAGS=-static >"$w/configure.log" 2>&1 &&
	grep -q '^#define HAVE_LIBFDT 1' config.h &&
	env -u CC -u LD -u NM make -s -j2 kexec/kexec kdump/vmcore-dmesg >"$w/make.log" 2>&1)
st=$?
ok $st "./configure --host=powerpc64le-linux-gnu LDFLAGS=-static (with libfdt) && make kexec/kexec kdump/vmcore-dmesg"
[ $st -eq 0 ] || { tail -20 "$w/configure.log" "$w/make.log" | sed 's/^/# /'; echo "1..$n"; exit 1; }
grep -E 'warning:' "$w/make.log" | sed 's/^/# /'
! grep -q 'warning:' "$w/make.log"
ok $? "the cross build is warning-free (-Wall -Wextra)"
x=$b/kexec/kexec
powerpc64le-linux-gnu-readelf -h "$x" | grep -q 'Machine: *PowerPC64' &&
	! powerpc64le-linux-gnu-readelf -lW "$x" | grep -q 'INTERP\|DYNAMIC'
ok $? "kexec/kexec: a static ppc64le executable ($(stat -c %s "$x") bytes, no PT_INTERP/PT_DYNAMIC)"

kernel_segments() {
	sed -n -E 's/.*kexec_file: Loading segment [0-9]+: buf=[^ ]* bufsz=([^ ]*) mem=([^ ]*) memsz=([^ ]*).*/\1 \2 \3/p' "$1"
}
our_segments() {
	sed -n -E 's/^segment\[[0-9]+\]: buf=[^ ]* bufsz=([^ ]*) mem=([^ ]*) memsz=([^ ]*).*/\1 \2 \3/p' "$1"
}
get() { sed -n "s/^$1 //p" "$g/inputs"; }
for load in l p; do
	args=(--dry-run --sysroot="$g/sysroot" -$load "$payload" --initrd="$g/initrd.img"
	      --append="$(get cmdline-$load)" --purgatory="$g/kexec_purgatory" --print-plan)
	qemu-ppc64le-static "$x" "${args[@]}" --dump-plan="$w/x-$load" >"$w/x-$load.plan" 2>"$w/x-$load.err"
	ok $? "-$load dry run on ppc64le (qemu-user), the native arch: $(head -c 200 "$w/x-$load.err")"
	kernel_segments "$g/kernel-plan-$load.log" >"$w/want"
	our_segments "$w/x-$load.plan" >"$w/got"
	[ -s "$w/want" ] && cmp -s "$w/want" "$w/got"
	ok $? "-$load: the segment table = the kernel's ($(wc -l < "$w/want") segments)"
	"$hostkexec" --arch=ppc64 "${args[@]}" --dump-plan="$w/h-$load" >/dev/null 2>&1
	# manifest: index file mem memsz bufsz sha256 what; the FDT's seeds and the digest differ
	diff <(awk '$1 == "segment" && $NF != "tree" && $NF != "purgatory" { print $4, $5, $6, $7 }' "$w/x-$load/manifest") \
	     <(awk '$1 == "segment" && $NF != "tree" && $NF != "purgatory" { print $4, $5, $6, $7 }' "$w/h-$load/manifest") >&2 &&
		[ -s "$w/x-$load/manifest" ]
	ok $? "-$load: every segment but the device tree and the purgatory has the host build's bytes (sha256)"
done
# the native build embeds our purgatory (built by its own compiler): planned
# without --purgatory, the same table as the host build's with its embedded one
oargs=(--dry-run --sysroot="$g/sysroot" -l "$payload" --initrd="$g/initrd.img" --append="$(get cmdline-l)" --print-plan)
qemu-ppc64le-static "$x" "${oargs[@]}" >"$w/x-own.plan" 2>"$w/x-own.err" &&
	"$hostkexec" --arch=ppc64 "${oargs[@]}" >"$w/h-own.plan" 2>&1 &&
	[ -n "$(our_segments "$w/x-own.plan")" ] &&
	diff <(our_segments "$w/x-own.plan") <(our_segments "$w/h-own.plan") >&2
ok $? "-l without --purgatory: our embedded purgatory, the host build's table ($(our_segments "$w/x-own.plan" | awk 'NR == 2 { print $1 }') bytes at $(sed -n 's/^entry = //p' "$w/x-own.plan")) $(head -c 200 "$w/x-own.err")"

# for boot.sh: the binary these checks passed with
if [ $failed -eq 0 ]; then
	cp "$x" "$cache/kexec-static.tmp" && mv "$cache/kexec-static.tmp" "$cache/kexec-static"
	cp "$b/kdump/vmcore-dmesg" "$cache/vmcore-dmesg-static.tmp" &&
		mv "$cache/vmcore-dmesg-static.tmp" "$cache/vmcore-dmesg-static"
fi
echo "1..$n"
[ $failed -eq 0 ]
