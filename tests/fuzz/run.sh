#!/bin/sh
# Build the fuzzers standalone (clang, libFuzzer, ASan, UBSan) and run each for
# SECONDS (default 35: six harnesses keep the phase near 5 minutes on 2 cores):
# fuzz-purgatory from the build's purgatory.ro and the
# relocation test objects; fuzz-bzimage (the x86_64 loaders, -l and -p, on a
# recorded machine, and the kernel-purgatory extraction) from the heads of the
# cached Debian kernels; fuzz-s390x (the s390x ELF and image loaders, -l and
# -p); fuzz-arm64 (the arm64 Image/zboot loader and the DTB, -l and -p);
# fuzz-ppc64 (the ppc64 ELF vmlinux loader and the pseries FDT, -l and -p);
# fuzz-sysview (the machine view as a generated sysroot; x86_64, arm64,
# s390x and ppc64 loads on it), fuzz-options
# (the command line), fuzz-vmcore-dmesg (crash dumps).
# Usage: tests/fuzz/run.sh [SECONDS] [BUILDDIR]
set -e
secs=${1:-35}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$src}
out=${FUZZ_OUT:-/tmp/ukexec-fuzz}
mkdir -p "$out/corpus" "$out/artifacts"
[ -f "$build/config.h" ] || { echo "run.sh: no config.h in $build (configure first)" >&2; exit 2; }
CC=${CC_FUZZ:-clang}
FLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
libs=""
grep -q '^#define HAVE_ZLIB 1' "$build/config.h" && libs="$libs -lz"
grep -q '^#define HAVE_LZMA 1' "$build/config.h" && libs="$libs -llzma"
grep -q '^#define HAVE_ZSTD 1' "$build/config.h" && libs="$libs -lzstd"
# the arm64 loader builds its DTB with kexec/fdt.c (libfdt)
fdtsrc=
grep -q '^#define HAVE_LIBFDT 1' "$build/config.h" && { libs="$libs -lfdt"; fdtsrc=$src/kexec/fdt.c; }
# the tool's common sources the loader harnesses link (each adds its arches)
core_srcs="$src/kexec/log.c $src/kexec/arch.c $src/kexec/profile.c $src/kexec/file.c
	$src/kexec/plan.c $src/kexec/sysview.c $src/kexec/digest.c $src/kexec/crashdump.c
	$src/kexec/resource.c $src/kexec/kexec_file.c $src/kexec/purgatory.c $src/kexec/reloc.c
	$src/kexec/decompress.c $src/kexec/elf_load.c $src/lib/sha256.c $src/lib/kexec_elf.c
	$src/lib/arch/sha256-dispatch.c $src/lib/arch/x86_64/sha256-ni.c"
# the image loaders are not needed; keep the link independent of them
cat > "$out/stub.c" <<'EOC'
#include <stddef.h>
#include "arch.h"
__attribute__((weak)) const struct arch arch_x86_64, arch_s390x, arch_ppc64, arch_arm64;
__attribute__((weak)) const unsigned char kexec_purgatory[1];
__attribute__((weak)) const size_t kexec_purgatory_size;
EOC
$CC $FLAGS -I"$src/include" -I"$src/kexec" -I"$build" -o "$out/fuzz-purgatory" \
	"$src/tests/fuzz/fuzz-purgatory.c" "$src/kexec/purgatory.c" "$src/kexec/reloc.c" \
	"$src/kexec/decompress.c" "$src/kexec/plan.c" "$src/kexec/log.c" "$src/kexec/arch.c" \
	"$src/kexec/sysview.c" "$src/kexec/profile.c" "$src/kexec/file.c" "$src/lib/sha256.c" "$src/lib/kexec_elf.c" \
	"$src"/kexec/arch/*/reloc-*.c "$out/stub.c" $libs
# seeds
[ -f "$build/purgatory/purgatory.ro" ] && cp "$build/purgatory/purgatory.ro" "$out/corpus/"
for s in "$src"/tests/reloc/x86_64/*.S; do
	as --64 -o "$out/corpus/x86_64-$(basename "$s" .S).o" "$s" 2>/dev/null || true
done
for a in s390x:s390x-linux-gnu-as:-m64 arm64:aarch64-linux-gnu-as: ppc64:powerpc64le-linux-gnu-as:-a64; do
	dir=${a%%:*}; rest=${a#*:}; tool=${rest%%:*}; fl=${rest#*:}
	command -v "$tool" >/dev/null 2>&1 || continue
	for s in "$src"/tests/reloc/$dir/*.S; do
		$tool $fl -o "$out/corpus/$dir-$(basename "$s" .S).o" "$s" 2>/dev/null || true
	done
done
# fuzz NAME CORPUS LOG [MAX_LEN]: run $out/NAME for $secs seconds; one line with the figures
fuzz() {
	local start end execs
	start=$(date +%s)
	"$out/$1" -max_total_time="$secs" -max_len="${4:-65536}" -rss_limit_mb=2048 \
		-artifact_prefix="$out/artifacts/$1-" "$2" 2>"$3" || { tail -40 "$3"; exit 1; }
	end=$(date +%s)
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$3" | grep -o '[0-9]*$' || true)
	[ -n "$execs" ] || execs=$(grep -Eo '#[0-9]+' "$3" | tail -1 | tr -d '#')
	echo "$1: $((end - start)) s, $execs executions, no crash (log: $3)"
}
fuzz fuzz-purgatory "$out/corpus" "$out/log"

# the x86_64 image path: needs the build's embedded purgatory
[ -f "$build/purgatory/purgatory-blob.c" ] || { echo "run.sh: no purgatory-blob.c in $build (make first)" >&2; exit 2; }
# and the purgatories a build embeds for other arches (configure's PPC64_CC)
blobs="$build/purgatory/purgatory-blob.c"
grep -q '^#define HAVE_PPC64_PURGATORY 1' "$build/config.h" && blobs="$blobs $build/purgatory/ppc64/purgatory-blob.c"
mkdir -p "$out/corpus-bz"
for k in "$src"/tests/e2e-x86_64/cache/*/boot/vmlinuz-*; do
	[ -f "$k" ] || continue
	# the first 64 KiB, its header saying so (syssize), so the loader goes past its checks
	python3 - "$k" "$out/corpus-bz/$(basename "$k").head" <<'EOP'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read(65536))
sects = d[0x1f1] or 4
struct.pack_into('<I', d, 0x1f4, (len(d) - (sects + 1) * 512) // 16)
open(sys.argv[2], 'wb').write(d)
EOP
done
# an x86_64 ELF executable (the elf-x86_64 loader): two PT_LOADs, the second with bss
python3 - "$out/corpus-bz/vmlinux.elf" <<'EOP'
import struct, sys
eh = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + bytes(9), 2, 62, 1, 0x1000000,
                 64, 0, 0, 64, 56, 2, 64, 0, 0)
ph = struct.pack('<IIQQQQQQ', 1, 5, 0x1000, 0xffffffff81000000, 0x1000000, 0x1000, 0x1000, 0x1000)
ph += struct.pack('<IIQQQQQQ', 1, 6, 0x2000, 0xffffffff81001000, 0x1001000, 0x800, 0x3000, 0x1000)
d = bytearray(0x3000); d[:len(eh + ph)] = eh + ph
open(sys.argv[1], 'wb').write(d)
EOP
# the multiboot(2) test kernel (the multiboot loaders), when as --32 is there
as --32 -o "$out/mbtest.o" "$src/tests/e2e-x86_64/mbtest.S" 2>/dev/null &&
	ld -m elf_i386 -z max-page-size=0x1000 -T "$src/tests/e2e-x86_64/mbtest.ld" \
		-o "$out/corpus-bz/mbtest.elf" "$out/mbtest.o" 2>/dev/null || true
# and without its multiboot headers (the elf-x86 loader; fuzz_plan passes --args-linux)
as --32 --defsym PLAIN_ELF=1 -o "$out/elf32.o" "$src/tests/e2e-x86_64/mbtest.S" 2>/dev/null &&
	ld -m elf_i386 -z max-page-size=0x1000 -T "$src/tests/e2e-x86_64/mbtest.ld" \
		-o "$out/corpus-bz/elf32.elf" "$out/elf32.o" 2>/dev/null || true
$CC $FLAGS -DSHA256_BLOCKS=sha256_blocks -I"$src/include" -I"$src/kexec" -I"$build" -o "$out/fuzz-bzimage" \
	"$src/tests/fuzz/fuzz-bzimage.c" $core_srcs "$src"/kexec/arch/*/*.c $blobs $fdtsrc $libs
export UKEXEC_FUZZ_SYSROOT="$src/tests/golden/x86_64-debian-6.12-high/sysroot"
fuzz fuzz-bzimage "$out/corpus-bz" "$out/log-bz"

# the arm64 loader (Image, zboot, DTB; -l and -p) on the recorded QEMU virt
# machine; seeds: the recorded image header padded, gzip'ed, in a zboot, and
# the packed DTB the kernel built
mkdir -p "$out/corpus-arm64"
g=$src/tests/golden/arm64-virt-6.1/plan
rm -rf "$out/arm64-root"
cp -r "$g/sysroot" "$out/arm64-root" && chmod -R u+w "$out/arm64-root" && gzip -d "$out/arm64-root/sys/firmware/fdt.gz"
python3 - "$g" "$out/corpus-arm64" <<'EOP'
import gzip, struct, sys
g, out = sys.argv[1:3]
head = open(g + "/image.head", "rb").read()
img = bytearray(head + bytes(0x10000 - len(head)))
struct.pack_into("<Q", img, 16, len(img))
open(out + "/image", "wb").write(b"\0" + bytes(img))
gz = gzip.compress(bytes(img), mtime=0)
z = bytearray(0x1000)
z[0:2] = b"MZ"; z[4:8] = b"zimg"; struct.pack_into("<II", z, 8, 0x1000, len(gz)); z[24:28] = b"gzip"
open(out + "/zboot", "wb").write(b"\0" + bytes(z) + gz)
open(out + "/image.gz", "wb").write(b"\0" + gz)
open(out + "/dtb", "wb").write(b"\1" + open(g + "/plan-kexec.dtb", "rb").read())
EOP
$CC $FLAGS -DSHA256_BLOCKS=sha256_blocks -I"$src/include" -I"$src/kexec" -I"$build" -o "$out/fuzz-arm64" \
	"$src/tests/fuzz/fuzz-arm64.c" $core_srcs "$src"/kexec/arch/*/*.c $blobs $fdtsrc $libs
UKEXEC_FUZZ_SYSROOT="$out/arm64-root" fuzz fuzz-arm64 "$out/corpus-arm64" "$out/log-arm64" 131072
# the recorded 1 GiB s390x machine, with a crash region listed as s390 lists it
# (fuzz-s390x's machine, a fuzz-sysview seed), and the stand-in s390x
# purgatory when s390x binutils are there
rm -rf "$out/s390x-root" "$out/s390x-fcp-root" "$out/s390x-purgatory.o"
mkdir -p "$out/s390x-root"
cp -r "$src/tests/e2e-s390x/sysroot-qemu-1g/." "$out/s390x-root/"
printf '%s\n' '00000000-0fffffff : System RAM' '10000000-17ffffff : Crash kernel' \
	'18000000-3fffffff : System RAM' > "$out/s390x-root/proc/iomem"
command -v s390x-linux-gnu-as >/dev/null 2>&1 &&
	s390x-linux-gnu-as -m64 -o "$out/s390x-purgatory.o" "$src/tests/fuzz/s390x-purgatory.S"
# and the same machine IPL'ed from FCP under secure IPL: a parameter block to parse
cp -r "$out/s390x-root" "$out/s390x-fcp-root"
echo fcp > "$out/s390x-fcp-root/sys/firmware/ipl/ipl_type"
echo 1 > "$out/s390x-fcp-root/sys/firmware/ipl/secure"
python3 -c 'import struct, sys; sys.stdout.buffer.write(struct.pack(">I", 0x100) + bytes([0x80, 0]) + bytes(i & 0xff for i in range(0x42, 0x42 + 0xfa)))' \
	> "$out/s390x-fcp-root/sys/firmware/ipl/binary_parameter"

# the machine view as a whole: a generated sysroot tree (tests/fuzz/fuzz-sysview.c)
# under the x86_64 -l and -p loads of the first cached kernel head, and the
# arm64 and s390x ones on trees with their files; seeds: the recorded machines
mkdir -p "$out/corpus-sv"
python3 "$src/tests/fuzz/sysroot-seed.py" "$out/corpus-sv" "$src"/tests/golden/*/sysroot \
	"$src"/tests/golden/*/*/sysroot "$out/s390x-root" "$out/s390x-fcp-root"
$CC $FLAGS -DSHA256_BLOCKS=sha256_blocks -I"$src/include" -I"$src/kexec" -I"$build" -o "$out/fuzz-sysview" \
	"$src/tests/fuzz/fuzz-sysview.c" $core_srcs "$src"/kexec/backend.c "$src"/kexec/options.c "$src"/kexec/compare.c \
	"$src"/kexec/arch/*/*.c $blobs $fdtsrc $libs
kernel_head=$(ls "$out"/corpus-bz/*.head 2>/dev/null | head -n1)
if [ -n "$kernel_head" ]; then
	UKEXEC_FUZZ_KERNEL="$kernel_head" UKEXEC_FUZZ_S390X_PURGATORY=$([ -f "$out/s390x-purgatory.o" ] && echo "$out/s390x-purgatory.o") \
		UKEXEC_FUZZ_PPC64_PURGATORY="$src/tests/golden/ppc64-pseries-6.1/kexec_purgatory" \
		fuzz fuzz-sysview "$out/corpus-sv" "$out/log-sv" 262144
else
	echo "fuzz-sysview: skipped (no cached kernel: scripts/fetch-kernels)"
fi

# the command line (tests/fuzz/fuzz-options.c)
mkdir -p "$out/corpus-opt"
printf -- '-l\0/vmlinuz\0--initrd=/initrd\0--append=console=ttyS0\0--dry-run\0--print-plan' > "$out/corpus-opt/load"
printf -- '-p\0-c\0--mem-min=0x1000000\0--mem-max=0x3fffffff\0--reuse-cmdline\0--dump-plan=/x\0k' > "$out/corpus-opt/crash"
printf -- '-s\0-d\0--sysroot=/r\0--arch=s390x\0--kexec-file-profile=6.1\0--purgatory-from=k\0k' > "$out/corpus-opt/misc"
printf -- '-u\0-e\0-f\0-x\0-i\0-S\0--load-preserve-context\0--entry=0x100' > "$out/corpus-opt/actions"
$CC $FLAGS -I"$src/include" -I"$src/kexec" -I"$build" -o "$out/fuzz-options" \
	"$src/tests/fuzz/fuzz-options.c" "$src"/kexec/options.c "$src"/kexec/log.c
fuzz fuzz-options "$out/corpus-opt" "$out/log-opt" 4096

# vmcore-dmesg (tests/fuzz/fuzz-vmcore-dmesg.c); seeds: synthetic dumps
mkdir -p "$out/corpus-vmcore"
cc -I"$src/include" -I"$src/tests/unit" -o "$out/vmcore-seeds" "$src/tests/fuzz/vmcore-seeds.c" \
	"$src/tests/unit/vmcore-synth.c"
"$out/vmcore-seeds" "$out/corpus-vmcore"
$CC $FLAGS -I"$src/include" -I"$src/kexec" -I"$src/kdump" -I"$build" -o "$out/fuzz-vmcore-dmesg" \
	"$src/tests/fuzz/fuzz-vmcore-dmesg.c" "$src"/kdump/vmcore.c "$src"/kdump/printk.c \
	"$src"/lib/kexec_elf.c
fuzz fuzz-vmcore-dmesg "$out/corpus-vmcore" "$out/log-vmcore" 65536

# the ppc64 ELF vmlinux loader and the machine's FDT (-l and -p) on the
# recorded pseries machine, with the kernel's purgatory; seeds: a small
# vmlinux, one carrying the purgatory as kexec_purgatory (for
# --purgatory-from), the recorded FDT
if grep -q '^#define HAVE_LIBFDT 1' "$build/config.h"; then
	g=$src/tests/golden/ppc64-pseries-6.1
	mkdir -p "$out/corpus-ppc64"
	rm -rf "$out/ppc64-root"
	cp -r "$g/sysroot" "$out/ppc64-root" && chmod -R u+w "$out/ppc64-root"
	python3 - "$g" "$out/corpus-ppc64" <<'EOP'
import struct, sys
g, out = sys.argv[1:3]
def elf(sections, load):
    """a little-endian ppc64 ET_EXEC: one PT_LOAD (offset 0x1000, 4 KiB) and sections"""
    body = bytearray(0x2000)
    shstr = b"\0" + b"".join(n.encode() + b"\0" for n, *_ in sections) + b".shstrtab\0"
    for off, data in load:
        body[off:off + len(data)] = data
    shoff = len(body) + len(shstr)
    sh = [bytes(64)]
    ni = 1
    for name, typ, addr, off, size, link, entsize in sections:
        sh.append(struct.pack("<IIQQQQIIQQ", ni, typ, 2, addr, off, size, link, 0, 8, entsize))
        ni += len(name) + 1
    sh.append(struct.pack("<IIQQQQIIQQ", ni, 3, 0, 0, len(body), len(shstr), 0, 0, 1, 0))
    eh = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 2, 21, 1,
                     0xc000000000000000, 64, shoff, 2, 64, 56, 1, 64, len(sh), len(sh) - 1)
    ph = struct.pack("<IIQQQQQQ", 1, 7, 0x1000, 0xc000000000000000, 0, 0x1000, 0x3000, 0x10000)
    body[0:64] = eh
    body[64:120] = ph
    return bytes(body) + shstr + b"".join(sh)
open(out + "/vmlinux", "wb").write(b"\0" + elf([], []))
pur = open(g + "/kexec_purgatory", "rb").read()
ro = struct.pack("<Q", len(pur)) + pur        # kexec_purgatory_size, then the blob
strtab = b"\0kexec_purgatory_size\0kexec_purgatory\0"
sym = bytes(24) + struct.pack("<IBBHQQ", 1, 0x11, 0, 1, 0xc000000000001000, 8) + \
      struct.pack("<IBBHQQ", 22, 0x11, 0, 1, 0xc000000000001008, len(pur))
rodata, symoff, stroff = 0x1000, 0x1000 + len(ro), 0x1000 + len(ro) + len(sym)
if stroff + len(strtab) > 0x2000:
    raise SystemExit("kexec_purgatory too large for the seed")
open(out + "/vmlinux-purgatory", "wb").write(b"\0" + elf(
    [(".rodata", 1, 0xc000000000001000, rodata, len(ro), 0, 0),
     (".symtab", 2, 0, symoff, len(sym), 3, 24), (".strtab", 3, 0, stroff, len(strtab), 0, 0)],
    [(rodata, ro), (symoff, sym), (stroff, strtab)]))
open(out + "/fdt", "wb").write(b"\1" + open(g + "/sysroot/sys/firmware/fdt", "rb").read())
EOP
	$CC $FLAGS -DSHA256_BLOCKS=sha256_blocks -I"$src/include" -I"$src/kexec" -I"$build" -o "$out/fuzz-ppc64" \
		"$src/tests/fuzz/fuzz-ppc64.c" $core_srcs "$src"/kexec/arch/*/*.c $blobs $fdtsrc $libs
	UKEXEC_FUZZ_SYSROOT="$out/ppc64-root" UKEXEC_FUZZ_PPC64_PURGATORY="$g/kexec_purgatory" \
		fuzz fuzz-ppc64 "$out/corpus-ppc64" "$out/log-ppc64" 131072
else
	echo "fuzz-ppc64: skipped (built without libfdt)"
fi

# the s390x loaders (ELF and image, -l and -p): needs s390x binutils for the
# stand-in purgatory; seeds: a small ELF and a small image of the shapes the
# loaders take (tests/e2e-s390x/crash-swap/crash-kernel.S, linked both ways)
command -v s390x-linux-gnu-as >/dev/null 2>&1 || { echo "fuzz-s390x: skipped (no s390x-linux-gnu-as)"; exit 0; }
mkdir -p "$out/corpus-s390x"
s390x-linux-gnu-as -m64 -o "$out/ck.o" "$src/tests/e2e-s390x/crash-swap/crash-kernel.S" 2>/dev/null &&
	s390x-linux-gnu-ld -Ttext=0 -e 0x10010 -o "$out/corpus-s390x/crash-kernel.elf" "$out/ck.o" &&
	s390x-linux-gnu-objcopy -O binary "$out/corpus-s390x/crash-kernel.elf" "$out/corpus-s390x/crash-kernel.img" || true
$CC $FLAGS -I"$src/include" -I"$src/kexec" -I"$build" -o "$out/fuzz-s390x" \
	"$src/tests/fuzz/fuzz-s390x.c" $core_srcs "$src"/kexec/arch/s390x/*.c "$out/stub.c" $libs
UKEXEC_FUZZ_SYSROOT="$out/s390x-root" UKEXEC_FUZZ_S390X_PURGATORY="$out/s390x-purgatory.o" \
	fuzz fuzz-s390x "$out/corpus-s390x" "$out/log-s390x" 131072	# an image is > 0x10780 bytes
