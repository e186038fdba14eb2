#!/bin/bash
# kexec-tools' load options the in-kernel loader has no argument for, on the
# recorded x86_64 6.1 machine with the cached Debian 6.1 kernel: --entry,
# --load-preserve-context (backup segments, KEXEC_PRESERVE_CONTEXT) and
# --load-jump-back-helper, each built as kexec-tools builds it, with the plan
# saying it is not the in-kernel one.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"
machine=$top/tests/golden/x86_64-debian-6.1
kernel=$(ls "$cache"/6.1/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -f "$kernel" ] && [ -d "$machine/sysroot" ] || skip_all "no cached 6.1 kernel (scripts/fetch-kernels)"

# plan OUT ARGS...: the --print-plan of a dry run into OUT, stderr in $tmp/err
plan() {
	out=$1; shift
	"$kexec" --dry-run -c --arch=x86_64 --sysroot="$machine/sysroot" --print-plan "$@" \
		>"$out" 2>"$tmp/err"
}
# the segments' mem and memsz, one per line
placement() { grep -o 'mem=0x[0-9a-f]* memsz=0x[0-9a-f]*' "$1"; }

plan "$tmp/plain" -l "$kernel"; ok $? "the plain plan"
plan "$tmp/entry" -l --entry=0x1000000 "$kernel"
ok $? "--entry=0x1000000 plans: $(head -c 200 "$tmp/err")"
grep -qx "entry = 0x1000000" "$tmp/entry"; ok $? "--entry: the plan's entry is the given address"
[ "$(placement "$tmp/entry")" = "$(placement "$tmp/plain")" ]
ok $? "--entry: the segments are the plain plan's"
grep -q "not the in-kernel plan: --entry" "$tmp/entry"; ok $? "--entry: the plan says it is not the in-kernel one"
plan "$tmp/entry0" -l --entry=0 "$kernel"
diff <(grep -v buf= "$tmp/entry0") <(grep -v buf= "$tmp/plain") >/dev/null
ok $? "--entry=0 is kexec-tools' 'no entry': the plain plan"
"$kexec" --dry-run -d --arch=x86_64 --sysroot="$machine/sysroot" --entry=0x1000000 -l "$kernel" \
	>/dev/null 2>"$tmp/err"
grep -q "^--entry: kexec_file_load has no such argument; using the userspace plan" "$tmp/err"
ok $? "-a --entry: -d says the userspace plan and kexec_load are used"

# --load-preserve-context: the plan in the range, KEXEC_PRESERVE_CONTEXT, and
# every other page of System RAM in the range in an empty (backup) segment
plan "$tmp/pc" --load-preserve-context --mem-max=0x1fffffff "$kernel"
ok $? "--load-preserve-context --mem-max=0x1fffffff plans: $(head -c 200 "$tmp/err")"
grep -qx "flags = 0x2" "$tmp/pc"; ok $? "flags = KEXEC_PRESERVE_CONTEXT"
grep -q "not the in-kernel plan: --load-preserve-context" "$tmp/pc"
ok $? "the plan says it is not the in-kernel one"
# covers IOMEM MIN MAX PLAN: the segments tile the whole pages of System RAM in [MIN, MAX]
covers() {
	python3 - "$@" <<'PY'
import re, sys
iomem, lo, hi, plan = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0), sys.argv[4]
want = set()
for line in open(iomem):
    m = re.match(r'([0-9a-f]+)-([0-9a-f]+) : System RAM$', line.rstrip())
    if m:
        s, e = max(int(m.group(1), 16), lo), min(int(m.group(2), 16), hi)
        want |= set(range((s + 0xfff) >> 12, (e + 1) >> 12))
have, overlap = set(), 0
for m, z in re.findall(r'mem=0x([0-9a-f]+) memsz=0x([0-9a-f]+)', open(plan).read()):
    pages = set(range(int(m, 16) >> 12, (int(m, 16) + int(z, 16)) >> 12))
    overlap += len(have & pages)
    have |= pages
print("missing %d extra %d overlapping %d" % (len(want - have), len(have - want), overlap))
sys.exit(0 if want == have and not overlap else 1)
PY
}
out=$(covers "$machine/sysroot/proc/iomem" 0 0x1fffffff "$tmp/pc")
ok $? "the segments tile every page of System RAM below --mem-max ($out)"
[ "$(grep -c 'bufsz=0x0 ' "$tmp/pc")" -ge 2 ]; ok $? "the backup segments are empty (bufsz 0)"
# the jump back: the purgatory's cmdline_end is the command line's NUL, and
# kexec-tools' 64 bytes behind it are free for " kexec_jump_back_entry=0x<16
# digits>": no EFI memory map or setup_data there (the recorded BIOS and EFI
# machines; 33 bytes of command line leave no alignment slack after the 30
# for elfcorehdr=)
for m in x86_64-debian-6.1 x86_64-debian-6.1-efi; do
	"$kexec" --dry-run -d -c --arch=x86_64 --sysroot="$top/tests/golden/$m/sysroot" \
		--load-preserve-context --mem-max=0x17ffffff --append="console=ttyS0 mem=512M quiet abcd" \
		--dump-plan="$tmp/pcd-$m" -l "$kernel" >/dev/null 2>"$tmp/err"
	end=$(sed -n 's/^--load-preserve-context: cmdline_end = \(0x[0-9a-f]*\) .*/\1/p' "$tmp/err")
	python3 - "$tmp/pcd-$m" "${end:-0}" <<'PY'
import struct, sys
d, end = sys.argv[1], int(sys.argv[2], 0)
segs = {}
for line in open(d + "/manifest"):
    f = line.split()
    if f and f[0] == "segment":
        segs[" ".join(f[7:])] = (open(d + "/" + f[2], "rb").read(), int(f[3], 0))
bp, bp_mem = segs["boot_params"]
purg, _ = segs["purgatory"]
cmdline = b"console=ttyS0 mem=512M quiet abcd"
off = end - bp_mem
room = len(b" kexec_jump_back_entry=0x" + b"f" * 16 + b"\0")
fails = []
if bp[0x1000:0x1000 + len(cmdline) + 1] != cmdline + b"\0" or off != 0x1000 + len(cmdline):
    fails.append("cmdline_end 0x%x is not the NUL of the command line at 0x%x" % (end, bp_mem + 0x1000))
if bp[off:off + room] != bytes(room):
    fails.append("the %d bytes at cmdline_end are not zero" % room)
# what boot_params points at inside itself: the EFI memory map, the setup_data chain
used = []
lo, hi = struct.unpack_from("<I", bp, 0x1d0)[0], struct.unpack_from("<I", bp, 0x1dc)[0]
if lo or hi:
    used.append(("the EFI memory map", lo | hi << 32))
sd = struct.unpack_from("<Q", bp, 0x250)[0]
while sd and bp_mem <= sd < bp_mem + len(bp):
    used.append(("setup_data type %d" % struct.unpack_from("<I", bp, sd - bp_mem + 8)[0], sd))
    sd = struct.unpack_from("<Q", bp, sd - bp_mem)[0]
for what, addr in used:
    if end <= addr < end + room:
        fails.append("%s at 0x%x is in the room" % (what, addr))
if purg.count(struct.pack("<Q", end)) != 1:
    fails.append("the purgatory does not hold cmdline_end = 0x%x once" % end)
print("; ".join(fails) or "cmdline_end 0x%x, %d bytes free behind it, then %s" % (
    end, room, ", ".join("%s at 0x%x" % u for u in sorted(used, key=lambda u: u[1]))))
sys.exit(1 if fails else 0)
PY
	ok $? "--load-preserve-context on $m: kexec_jump_back_entry= fits at the command line's NUL"
done
"$kexec" --dry-run -c --arch=x86_64 --sysroot="$machine/sysroot" --load-preserve-context \
	--mem-max=0x1fffffff --purgatory-from="$kernel" -l "$kernel" >/dev/null 2>"$tmp/err"
[ $? -eq 0 ] && grep -q "^kexec: warning: --load-preserve-context: .* has no cmdline_end: the new kernel is not given kexec_jump_back_entry=" "$tmp/err"
ok $? "with the kernel's purgatory (no cmdline_end): loaded, one warning: $(head -c 200 "$tmp/err")"
plan "$tmp/pc2" --load-preserve-context --mem-min=0x10000000 --mem-max=0x1fffffff "$kernel"
out=$(covers "$machine/sysroot/proc/iomem" 0x10000000 0x1fffffff "$tmp/pc2")
ok $? "with --mem-min too: the segments tile the range ($out)"
plan "$tmp/pc3" --load-preserve-context --mem-max=0x3fffffff "$kernel"
[ $? -eq 255 ] && grep -q "half of memory" "$tmp/err"
ok $? "backing up all of RAM is refused as the kernel does: $(head -c 200 "$tmp/err")"

# --load-jump-back-helper: kexec-tools' one empty segment and the entry, the
# segment at the entry's page (kexec-tools' at 0 fails from 6.8 on)
plan "$tmp/jb" --load-jump-back-helper --entry=0x123450fb
ok $? "--load-jump-back-helper --entry=0x123450fb plans"
printf 'nr_segments = 1\nsegment[0]: buf=(nil) bufsz=0x0 mem=0x12345000 memsz=0x0\nentry = 0x123450fb\nflags = 0x2\n' > "$tmp/jb.want"
diff <(head -n 4 "$tmp/jb") "$tmp/jb.want" >/dev/null && grep -q "not the in-kernel plan" "$tmp/jb"
ok $? "the helper: one empty segment at the entry's page, the entry, KEXEC_PRESERVE_CONTEXT"
"$kexec" --dry-run --load-jump-back-helper >/dev/null 2>"$tmp/err"
[ $? -eq 255 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q "needs --entry=ADDR" "$tmp/err"
ok $? "no --entry: one line, exit 255 as kexec-tools: $(cat "$tmp/err")"
mkdir -p "$tmp/loaded/sys/kernel" && echo 1 > "$tmp/loaded/sys/kernel/kexec_loaded"
"$kexec" --dry-run --sysroot="$tmp/loaded" --load-jump-back-helper --entry=0x1000 >/dev/null 2>"$tmp/err"
[ $? -eq 255 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q "a kernel is loaded" "$tmp/err"
ok $? "a kernel loaded with -l: one line, exit 255 as kexec-tools: $(cat "$tmp/err")"
# -t elf-x86_64 (kdump-config passes --args-linux with a vmlinux): kexec-tools'
# ELF loader, the vmlinux extracted from the cached 6.1 bzImage (xz payload);
# tests/e2e-x86_64 c-elf-exec boots the same load in QEMU
python3 - "$kernel" "$tmp/vmlinux" <<'PY'
import lzma, struct, sys
b = open(sys.argv[1], 'rb').read()
off = ((b[0x1f1] or 4) + 1) * 512
po, pl = struct.unpack_from('<II', b, 0x248)
open(sys.argv[2], 'wb').write(lzma.LZMADecompressor().decompress(b[off + po:off + po + pl]))
PY
ok $? "the vmlinux of the 6.1 bzImage"
plan "$tmp/elf" -l --args-linux --initrd="$machine/initrd.img" --append="console=ttyS0" "$tmp/vmlinux"
ok $? "-l vmlinux --args-linux plans: $(head -c 200 "$tmp/err")"
# the PT_LOADs at their p_paddr, as kexec-tools' elf_exec_load() puts them
python3 - "$tmp/vmlinux" "$tmp/elf" <<'PY'
import re, struct, sys
v = open(sys.argv[1], 'rb').read()
phoff, = struct.unpack_from('<Q', v, 32); phentsize, phnum = struct.unpack_from('<HH', v, 54)
want = []
for i in range(phnum):
    t, _, _, _, paddr, filesz, memsz, _ = struct.unpack_from('<IIQQQQQQ', v, phoff + i * phentsize)
    if t == 1:
        want.append((paddr, filesz, (memsz + 0xfff) & ~0xfff))
got = [(int(m, 16), int(b, 16), int(z, 16)) for b, m, z in
       re.findall(r'bufsz=0x([0-9a-f]+) mem=0x([0-9a-f]+) memsz=0x([0-9a-f]+)', open(sys.argv[2]).read())]
missing = [hex(w[0]) for w in want if w not in got]
print("PT_LOADs %d, missing %s" % (len(want), missing))
sys.exit(1 if missing or not want else 0)
PY
ok $? "every PT_LOAD at its p_paddr with its size"
grep -q "not the in-kernel plan: -t elf-x86_64" "$tmp/elf"; ok $? "the plan says it is not the in-kernel one"
plan "$tmp/elf-t" -t elf-x86_64 -l --args-linux "$tmp/vmlinux"; ok $? "-t elf-x86_64 names the loader"
# refusals: one line each
refusal() {
	desc=$1 code=$2 pat=$3; shift 3
	"$kexec" --dry-run -c --arch=x86_64 "$@" >/dev/null 2>"$tmp/err"
	st=$?
	[ $st -eq "$code" ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -qF -- "$pat" "$tmp/err"
	ok $? "$desc: exit $st, one line: $(head -c 200 "$tmp/err")"
}
refusal "a vmlinux without --args-linux (kexec-tools' default: ELF boot notes)" 255 \
	"gets ELF boot notes or nothing, which Linux does not read; give --args-linux" \
	--sysroot="$machine/sysroot" -l "$tmp/vmlinux"
refusal "a vmlinux with --args-none" 255 "an ELF kernel with --args-none" \
	--sysroot="$machine/sysroot" -l --args-none "$tmp/vmlinux"
refusal "-p with a vmlinux (its link addresses are outside the crash region)" 255 \
	"-p with an ELF vmlinux: it runs only at its link addresses (0x1000000...)" \
	--sysroot="$machine/crash/sysroot" -p --args-linux "$tmp/vmlinux"
printf '\177ELF\2\1\1' > "$tmp/notx86" && head -c 4096 /dev/zero >> "$tmp/notx86"
refusal "an ELF that is no x86_64 executable" 255 "an ELF file, but not an x86_64 ELF64 executable" \
	--sysroot="$machine/sysroot" -l "$tmp/notx86"
done_testing
