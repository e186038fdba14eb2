#!/bin/bash
# kexec-tools' other x86_64 image types, built as kexec-tools builds them and
# checked byte by byte on the recorded 6.1 machine (tests/golden/x86_64-debian-6.1):
# - multiboot-x86: the tiny test kernel tests/e2e-x86_64/mbtest.S (needs
#   as --32 and ld -m elf_i386) with --command-line and two --module: its
#   PT_LOAD at p_paddr, the MBI (flags, command line, loader name, modules
#   and their command lines, the memory map, mem_lower/mem_upper) and the
#   purgatory's entry32_regs (eax 0x2BADB002, ebx the MBI, eip e_entry);
# - multiboot2-x86: the same kernel (it has both headers; without -t it is
#   multiboot2, kexec-tools' order): the tag list (meminfo, memory map,
#   command line, loader name, modules, end), eax 0x36D76289; with header
#   tags written into it: relocatable (the load address in its range by its
#   preference, or its link address; the load base tag; eip moved) and
#   framebuffer (the EGA text tag with --console-vga; none without /dev/fb0);
# - bzImage with its 32-bit entry (-t bzImage, --entry-32bit) of the cached
#   Debian 6.1 kernel: placement limits, boot_params (setup header, command
#   line, initrd), entry32_regs (esi boot_params, eip the kernel); and -p;
# - its 16-bit entry (--real-mode): the setup code below 640 KiB with its heap
#   and the command line, entry16_regs, entry32 into entry16; -p refused;
# - beoboot (a bzImage, command line and initrd in one file): the same plan;
# - nbi-x86: tests/e2e-x86_64/nbitest.S wrapped by mknbi.py (real-mode and
#   32-bit entries): the header, the segments, the entry registers; bad images;
# - elf-x86: the same test kernel without its multiboot headers (as --32
#   --defsym PLAIN_ELF=1): --args-linux (PT_LOAD, boot_params without a
#   setup header, command line, initrd, entry32_regs esi = boot_params),
#   --args-none (nothing but the PT_LOAD and the purgatory, every register 0
#   but esp and eip), --args-elf (kexec-tools' default: ELF boot notes, their
#   IP checksum, the stack arguments), probed without -t, and its refusals.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"
machine=$top/tests/golden/x86_64-debian-6.1
kernel=$(ls "$cache"/6.1/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -d "$machine/sysroot" ] || skip_all "no recorded machine $machine"

# plan DIR ARGS...: a dry run's --print-plan into DIR/plan, --dump-plan into DIR/dump
plan() {
	local d=$1; shift
	rm -rf "$d" && mkdir -p "$d" &&
	"$kexec" --dry-run -c --arch=x86_64 --print-plan --dump-plan="$d/dump" "$@" \
		>"$d/plan" 2>"$tmp/err"
}
# refusal DESC CODE PATTERN ARGS...: exit CODE, one line matching PATTERN, no plan
refusal() {
	local desc=$1 code=$2 pat=$3 st
	shift 3
	"$kexec" --dry-run -c --arch=x86_64 --print-plan "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq "$code" ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -qF -- "$pat" "$tmp/err" &&
		[ ! -s "$tmp/out" ]
	ok $? "$desc: exit $st, one line: $(head -c 220 "$tmp/err")"
}
sys=--sysroot=$machine/sysroot
# what the python checks below share: a --dump-plan directory's segments
# (mem, memsz, bytes, what), the bytes at an address, a C string, check()
export PLANDUMP_PY=$tmp
cat > "$tmp/plandump.py" <<'PY'
fails = []
def load(dump):
    global segs
    segs = []
    for l in open(dump + '/manifest'):
        f = l.split()
        if f and f[0] == 'segment':
            segs.append((int(f[3], 16), int(f[4], 16), open(dump + '/' + f[2], 'rb').read(), ' '.join(f[7:])))
    return segs, {s[3]: s for s in segs}
def at(addr, n):
    for m, z, b, w in segs:
        if m <= addr and addr + n <= m + z:
            return (b + bytes(z - len(b)))[addr - m:addr - m + n]
    raise SystemExit('nothing loaded at 0x%x' % addr)
def cstr(addr):
    for m, z, b, w in segs:
        if m <= addr < m + z:
            b = b[addr - m:]
            return b[:b.index(b'\0')].decode()
    raise SystemExit('no string at 0x%x' % addr)
def check(cond, what):
    if not cond: fails.append(what)
PY

# ---- multiboot-x86 ----
if as --32 -o "$tmp/mbtest.o" "$top/tests/e2e-x86_64/mbtest.S" 2>"$tmp/as.err" &&
	ld -m elf_i386 -z max-page-size=0x1000 -T "$top/tests/e2e-x86_64/mbtest.ld" \
		-o "$tmp/mbtest.elf" "$tmp/mbtest.o" 2>/dev/null; then
	echo "module one: its bytes" > "$tmp/mod1"
	printf 'second\n' | gzip > "$tmp/mod2.gz"
	plan "$tmp/mb" $sys -t multiboot-x86 -l --command-line="hello world" \
		--module="$tmp/mod1 arg1 arg2" --module="$tmp/mod2.gz" "$tmp/mbtest.elf"
	ok $? "-t multiboot-x86 plans: $(head -c 200 "$tmp/err")"
	grep -q "not the in-kernel plan: -t multiboot-x86: kexec-tools' multiboot loader" "$tmp/mb/plan"
	ok $? "the plan says it is not the in-kernel one"
	python3 - "$tmp/mbtest.elf" "$tmp/mb/dump" "$machine/sysroot" "$tmp/mod1" "$tmp" <<'PY'
import os, struct, sys, gzip
elf, dump, root, mod1, tmp = sys.argv[1:]
e = open(elf, 'rb').read()
sys.path.insert(0, os.environ['PLANDUMP_PY'])
from plandump import *
segs, seg = load(dump)
# the PT_LOAD at its p_paddr
phoff, = struct.unpack_from('<I', e, 28); phnum, = struct.unpack_from('<H', e, 44)
entry, = struct.unpack_from('<I', e, 24)
for i in range(phnum):
    t, off, va, pa, fsz, msz = struct.unpack_from('<6I', e, phoff + 32 * i)
    if t == 1:
        check(at(pa, fsz) == e[off:off + fsz], 'PT_LOAD at 0x%x' % pa)
        check(at(pa + fsz, msz - fsz) == bytes(msz - fsz), 'PT_LOAD bss at 0x%x' % pa)
# the purgatory's entry32_regs: eax = the multiboot magic
purg = [s for s in segs if s[3] == 'purgatory'][0]
i = purg[2].find(struct.pack('<I', 0x2BADB002))
check(i >= 0, 'entry32_regs with eax = 0x2BADB002')
eax, ebx, ecx, edx, esi, edi, esp, ebp, eip = struct.unpack_from('<9I', purg[2], i)
check(eip == entry, 'eip 0x%x = e_entry 0x%x' % (eip, entry))
check(purg[0] <= esp <= purg[0] + purg[1], 'esp 0x%x in the purgatory' % esp)
check(purg[0] + purg[1] <= 0x80000000, 'the purgatory below 2 GiB')
mbi_seg = [s for s in segs if s[3] == 'multiboot information'][0]
check(ebx == mbi_seg[0], 'ebx 0x%x = the MBI 0x%x' % (ebx, mbi_seg[0]))
flags, lower, upper, _, cmdline, mods_count, mods_addr = struct.unpack_from('<7I', at(ebx, 28))
check(flags == 0x24d, 'MBI flags 0x%x = CMDLINE|BOOT_LOADER_NAME|MEMORY|MEM_MAP|MODS' % flags)
check(cstr(cmdline) == elf + ' hello world', 'cmdline %r' % cstr(cmdline))
check(cstr(struct.unpack_from('<I', at(ebx + 64, 4))[0]).startswith('ukexec '), 'boot loader name')
check(mods_count == 2, 'mods_count %d' % mods_count)
want = [(open(mod1, 'rb').read(), mod1 + ' arg1 arg2'),
        (gzip.decompress(open(tmp + '/mod2.gz', 'rb').read()), tmp + '/mod2.gz')]
for k in range(min(mods_count, 2)):
    start, end, cl, pad = struct.unpack_from('<4I', at(mods_addr + 16 * k, 16))
    check(at(start, end - start) == want[k][0] and start % 4096 == 0, 'module %d bytes at 0x%x' % (k, start))
    check(cstr(cl) == want[k][1], 'module %d command line %r' % (k, cstr(cl)))
# the memory map: the recorded firmware map, RAM 1, the rest 0xbad
mm = sorted((int(open('%s/sys/firmware/memmap/%s/start' % (root, d)).read(), 16),
             int(open('%s/sys/firmware/memmap/%s/end' % (root, d)).read(), 16),
             open('%s/sys/firmware/memmap/%s/type' % (root, d)).read().strip())
            for d in os.listdir(root + '/sys/firmware/memmap'))
mlen, maddr = struct.unpack_from('<II', at(ebx + 44, 8))
check(mlen == 24 * len(mm), 'mmap_length %d for %d ranges' % (mlen, len(mm)))
got = sorted(struct.unpack_from('<IQQI', at(maddr, mlen), 24 * k) for k in range(mlen // 24))
exp = sorted((20, s, en - s + 1, 1 if t == 'System RAM' else 0xbad) for s, en, t in mm)
check(got == exp, 'memory map entries')
lo = max([en + 1 for s, en, t in mm if t == 'System RAM' and s == 0] or [0])
up = max([en + 1 - 0x100000 for s, en, t in mm if t == 'System RAM' and s <= 0x100000 < en] or [0])
check((lower, upper) == (lo >> 10, up >> 10), 'mem_lower/upper %d/%d KiB, want %d/%d' % (lower, upper, lo >> 10, up >> 10))
check(all(m + z <= 1 << 32 for m, z, b, w in segs), 'every segment below 4 GiB')
print('; '.join(fails) or 'MBI at 0x%x, %d segments' % (ebx, len(segs)))
sys.exit(1 if fails else 0)
PY
	ok $? "multiboot: PT_LOAD, MBI, modules, memory map and entry32_regs as kexec-tools builds them"
	plan "$tmp/mb2" $sys -l --command-line="hello world" --module="$tmp/mod1 arg1 arg2" \
		--module="$tmp/mod2.gz" "$tmp/mbtest.elf"
	ok $? "both headers, no -t: planned: $(head -c 200 "$tmp/err")"
	grep -q "not the in-kernel plan: -t multiboot2-x86: kexec-tools' multiboot2 loader" "$tmp/mb2/plan"
	ok $? "both headers, no -t: multiboot2, as kexec-tools' probe order"
	python3 - "$tmp/mbtest.elf" "$tmp/mb2/dump" "$machine/sysroot" "$tmp/mod1" "$tmp" <<'PY'
import os, struct, sys, gzip
elf, dump, root, mod1, tmp = sys.argv[1:]
e = open(elf, 'rb').read()
sys.path.insert(0, os.environ['PLANDUMP_PY'])
from plandump import *
segs, seg = load(dump)
entry, = struct.unpack_from('<I', e, 24)
purg = [s for s in segs if s[3] == 'purgatory'][0]
mbi = [s for s in segs if s[3] == 'multiboot2 information'][0]
i = purg[2].find(struct.pack('<II', 0x36D76289, mbi[0]))
check(i >= 0, 'entry32_regs with eax = 0x36D76289, ebx = the information at 0x%x' % mbi[0])
if i >= 0:
    check(struct.unpack_from('<9I', purg[2], i)[8] == entry, 'eip = e_entry')
b = mbi[2]
total, = struct.unpack_from('<I', b, 0)
check(total == len(b) and mbi[0] % 8 == 0, 'total_size %d, %d bytes, 8-aligned' % (total, len(b)))
tags, off = [], 8
while off + 8 <= len(b):
    t, z = struct.unpack_from('<II', b, off)
    tags.append((t, b[off + 8:off + z]))
    off += (z + 7) & ~7
    if t == 0: break
check([t for t, p in tags] == [4, 6, 1, 2, 3, 3, 0], 'tag types %s' % [t for t, p in tags])
tag = {}
for t, p in tags: tag.setdefault(t, []).append(p)
mm = sorted((int(open('%s/sys/firmware/memmap/%s/start' % (root, d)).read(), 16),
             int(open('%s/sys/firmware/memmap/%s/end' % (root, d)).read(), 16),
             open('%s/sys/firmware/memmap/%s/type' % (root, d)).read().strip())
            for d in os.listdir(root + '/sys/firmware/memmap'))
kind = {'System RAM': 1, 'ACPI Tables': 3, 'ACPI Non-volatile Storage': 4}
es, ev = struct.unpack_from('<II', tag[6][0])
got = sorted(struct.unpack_from('<QQII', tag[6][0], 8 + 24 * k) for k in range((len(tag[6][0]) - 8) // 24))
check((es, ev) == (24, 0) and got == sorted((s, en - s + 1, kind.get(t, 2), 0) for s, en, t in mm), 'memory map tag')
lo = max([en + 1 for s, en, t in mm if t == 'System RAM' and s <= 0x10000] or [0])
up = max([en + 1 - 0x100000 for s, en, t in mm if t == 'System RAM' and s <= 0x100000 < en] or [0])
check(struct.unpack('<II', tag[4][0]) == (lo >> 10, up >> 10), 'meminfo %s KiB' % (struct.unpack('<II', tag[4][0]),))
check(tag[1][0].rstrip(b'\0') == (elf + ' hello world').encode(), 'cmdline %r' % tag[1][0])
check(tag[2][0].startswith(b'ukexec '), 'loader name')
want = [(open(mod1, 'rb').read(), mod1 + ' arg1 arg2'),
        (gzip.decompress(open(tmp + '/mod2.gz', 'rb').read()), tmp + '/mod2.gz')]
for k, p in enumerate(tag.get(3, [])[:2]):
    s, en = struct.unpack_from('<II', p)
    check(at(s, en - s) == want[k][0] and s % 4096 == 0, 'module %d bytes at 0x%x' % (k, s))
    check(p[8:].rstrip(b'\0') == want[k][1].encode(), 'module %d command line %r' % (k, p[8:]))
print('; '.join(fails) or 'multiboot2 information at 0x%x, %d tags' % (mbi[0], len(tags)))
sys.exit(1 if fails else 0)
PY
	ok $? "multiboot2: the tag list and entry32_regs as kexec-tools builds them (meminfo in KiB)"
	# multiboot2 header tags: mbtest's multiboot2 header (file offset 0x1010,
	# an optional framebuffer tag) rewritten with a relocatable tag (10: min, max,
	# align, preference) and/or a framebuffer tag (5, optional): the code
	# after it is overwritten, which a plan does not run
	python3 - "$tmp/mbtest.elf" "$tmp" <<'PY'
import struct, sys
e = open(sys.argv[1], 'rb').read(); t = sys.argv[2]
h = 0x1010
assert struct.unpack_from('<I', e, h)[0] == 0xe85250d6
def hdr(name, tags):
    body = b''.join(tags) + struct.pack('<HHI', 0, 0, 8)
    n = 16 + len(body)
    b = bytearray(e)
    b[h:h + n] = struct.pack('<IIII', 0xe85250d6, 0, n, (-(0xe85250d6 + n)) & 0xffffffff) + body
    open(t + '/' + name, 'wb').write(b)
def rel(lo, hi, align, pref):
    return struct.pack('<HHIIIII', 10, 1, 24, lo, hi, align, pref) + bytes(0)
fb = struct.pack('<HHIIII', 5, 1, 20, 1024, 768, 32) + bytes(4)
hdr('mb2-rel-high.elf', [rel(0x2000000, 0x7fffffff, 0x200000, 2)])
hdr('mb2-rel-low.elf', [rel(0x2000000, 0x7fffffff, 0x200000, 1)])
hdr('mb2-rel-link.elf', [rel(0x100000, 0xffffffff, 0x1000, 2)])
hdr('mb2-fb.elf', [fb])
hdr('mb2-plain.elf', [])
req = lambda flags, *types: struct.pack('<HHI', 1, flags, 8 + 4 * len(types)) + struct.pack('<%dI' % len(types), *types) + bytes(4 * (len(types) % 2))
hdr('mb2-req-ok.elf', [req(0, 4, 6)])	# Xen's request
hdr('mb2-req-acpi.elf', [req(0, 4, 6, 14), struct.pack('<HHIIIII', 2, 0, 24, 0x100000, 0x100000, 0, 0) + bytes(0)])
PY
	# mb2check DIR ELF WANT_TAGS [MIN MAX ALIGN high|low|link] [ega]: the
	# kernel's bytes at its load base (the highest or lowest aligned RAM
	# in [MIN, MAX] of the recorded /proc/iomem, or its link address),
	# eip = e_entry + the shift, the load base tag, the framebuffer tag
	mb2check() {
		python3 - "$machine/sysroot" "$@" <<'PY'
import struct, sys
root, dump, elf, want = sys.argv[1:5]
more = sys.argv[5:]
e = open(elf, 'rb').read()
segs = []
for l in open(dump + '/manifest'):
    f = l.split()
    if f and f[0] == 'segment':
        segs.append((int(f[3], 16), int(f[4], 16), open(dump + '/' + f[2], 'rb').read(), ' '.join(f[7:])))
def at(addr, n):
    for m, z, b, w in segs:
        if m <= addr and addr + n <= m + z:
            return (b + bytes(z - len(b)))[addr - m:addr - m + n]
    raise SystemExit('nothing loaded at 0x%x' % addr)
fails = []
def check(cond, what):
    if not cond: fails.append(what)
phoff, = struct.unpack_from('<I', e, 28); phnum, = struct.unpack_from('<H', e, 44)
entry, = struct.unpack_from('<I', e, 24)
loads = [struct.unpack_from('<6I', e, phoff + 32 * i) for i in range(phnum)]
loads = [l for l in loads if l[0] == 1 and l[5]]
first = min(l[3] for l in loads); last = max(l[3] + l[5] for l in loads)
size = (last - first + 0xfff) & ~0xfff
base = first
if more and more[0] != 'ega':
    lo, hi, align = (int(x, 0) for x in more[:3]); how = more[3]
    ram = []
    for l in open(root + '/proc/iomem'):
        if not l.startswith(' ') and l.split(' : ')[1].strip() == 'System RAM':
            s, en = (int(x, 16) for x in l.split(' : ')[0].split('-'))
            ram.append((s, en))
    if how == 'high':
        c = [((min(en, hi) + 1 - size) // align) * align for s, en in ram]
        base = max(a for a, (s, en) in zip(c, ram) if a >= max(s, lo))
    elif how == 'low':
        c = [-(-max(s, lo) // align) * align for s, en in ram]
        base = min(a for a, (s, en) in zip(c, ram) if a + size - 1 <= min(en, hi))
for l in loads:
    check(at(l[3] - first + base, l[4]) == e[l[1]:l[1] + l[4]], 'PT_LOAD 0x%x at 0x%x' % (l[3], l[3] - first + base))
purg = [s for s in segs if s[3] == 'purgatory'][0]
mbi = [s for s in segs if s[3] == 'multiboot2 information'][0]
i = purg[2].find(struct.pack('<II', 0x36D76289, mbi[0]))
check(i >= 0, 'entry32_regs with the information')
if i >= 0:
    eip = struct.unpack_from('<9I', purg[2], i)[8]
    check(eip == entry - first + base, 'eip 0x%x = e_entry moved by 0x%x' % (eip, base - first))
b = mbi[2]
total, = struct.unpack_from('<I', b, 0)
tags, off = [], 8
while off + 8 <= len(b):
    t, z = struct.unpack_from('<II', b, off)
    tags.append((t, z, b[off + 8:off + z]))
    off += (z + 7) & ~7
    if t == 0: break
check(total == off == len(b), 'total_size %d, tags end at %d, %d bytes' % (total, off, len(b)))
check(','.join(str(t) for t, z, p in tags) == want, 'tag types %s, want %s' % ([t for t, z, p in tags], want))
for t, z, p in tags:
    if t == 21:
        check(z == 12 and struct.unpack('<I', p)[0] == base, 'load base tag %s, want 0x%x' % (p.hex(), base))
    if t == 8:
        check(z == 32 and struct.unpack('<QIIIBBH', p) == (0xb8000, 160, 80, 25, 16, 2, 0),
              'EGA text framebuffer tag size %d %s' % (z, p.hex()))
print('; '.join(fails) or 'kernel at 0x%x, tags %s' % (base, want))
sys.exit(1 if fails else 0)
PY
	}
	plan "$tmp/mb2rh" $sys -l "$tmp/mb2-rel-high.elf" && mb2check "$tmp/mb2rh/dump" "$tmp/mb2-rel-high.elf" \
		4,6,21,1,2,0 0x2000000 0x7fffffff 0x200000 high
	ok $? "multiboot2 relocatable (prefers high), linked below its range: the highest aligned RAM, load base tag, eip moved"
	plan "$tmp/mb2rl" $sys -l "$tmp/mb2-rel-low.elf" && mb2check "$tmp/mb2rl/dump" "$tmp/mb2-rel-low.elf" \
		4,6,21,1,2,0 0x2000000 0x7fffffff 0x200000 low
	ok $? "multiboot2 relocatable (prefers low): the lowest aligned RAM in its range"
	plan "$tmp/mb2rk" $sys -l "$tmp/mb2-rel-link.elf" && mb2check "$tmp/mb2rk/dump" "$tmp/mb2-rel-link.elf" \
		4,6,21,1,2,0 0x100000 0xffffffff 0x1000 link
	ok $? "multiboot2 relocatable, its link address free RAM inside its range: kept there (kexec-tools)"
	plan "$tmp/mb2fb" $sys -l --console-vga "$tmp/mb2-fb.elf" && mb2check "$tmp/mb2fb/dump" "$tmp/mb2-fb.elf" \
		4,6,1,2,8,0 ega
	ok $? "multiboot2 framebuffer header tag + --console-vga: the EGA text framebuffer tag after the loader name"
	plan "$tmp/mb2nofb" $sys -d -l "$tmp/mb2-fb.elf" && mb2check "$tmp/mb2nofb/dump" "$tmp/mb2-fb.elf" 4,6,1,2,0 &&
		grep -q "dev/fb0: No such file or directory: no framebuffer tag" "$tmp/err"
	ok $? "multiboot2 framebuffer header tag, no /dev/fb0 on the machine: no framebuffer tag, -d says why"
	plan "$tmp/mb2vga" $sys -l --console-vga "$tmp/mb2-plain.elf" && mb2check "$tmp/mb2vga/dump" "$tmp/mb2-plain.elf" 4,6,1,2,0
	ok $? "--console-vga, no framebuffer header tag: no framebuffer tag"
	plan "$tmp/mb2rq" $sys -l "$tmp/mb2-req-ok.elf" && [ ! -s "$tmp/err" ]
	ok $? "multiboot2 information request for meminfo and the memory map (Xen's): no warning: $(head -c 200 "$tmp/err")"
	plan "$tmp/mb2rq2" $sys -l "$tmp/mb2-req-acpi.elf" && [ "$(wc -l < "$tmp/err")" -eq 2 ] &&
		grep -q "requires information tag 14, which is not passed; loading anyway" "$tmp/err" &&
		grep -q "multiboot2 header tag 2 is not supported; loading anyway" "$tmp/err"
	ok $? "multiboot2 required ACPI information and address tag: planned, one warning each: $(tr '\n' '|' < "$tmp/err" | head -c 300)"
	python3 - "$tmp/mb2-rel-high.elf" "$tmp/mb2-rel-big.elf" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
struct.pack_into('<II', b, 0x1010 + 16 + 8, 0x2000000, 0x2000fff)	# min, max: one page
open(sys.argv[2], 'wb').write(b)
PY
	refusal "a relocatable range smaller than the image" 255 "do not fit its multiboot2 relocatable range 0x2000000-0x2000fff" \
		$sys -l "$tmp/mb2-rel-big.elf"
	"$kexec" --dry-run -d --arch=x86_64 $sys -t multiboot-x86 -l "$tmp/mbtest.elf" >/dev/null 2>"$tmp/err"
	grep -q "^-t multiboot-x86: kexec_file_load has no such argument; using the userspace plan" "$tmp/err"
	ok $? "-a -t multiboot-x86: -d says the userspace plan and kexec_load are used"
	refusal "-p with a multiboot image" 255 "-p with a multiboot image" \
		--sysroot="$machine/crash/sysroot" -t multiboot-x86 -p "$tmp/mbtest.elf"
	refusal "--initrd with a multiboot image" 255 "--initrd: a multiboot image takes its ramdisk as a --module" \
		$sys -t multiboot-x86 -l --initrd="$tmp/mod1" "$tmp/mbtest.elf"
	refusal "a missing module file" 1 "/nonexistent/mod: No such file" \
		$sys -l --module="/nonexistent/mod x" "$tmp/mbtest.elf"
	# mbtest's header is at file offset 0x1000: magic, flags, checksum
	python3 - "$tmp/mbtest.elf" "$tmp" <<'PY'
import struct, sys
e = bytearray(open(sys.argv[1], 'rb').read()); t = sys.argv[2]
h = 0x1000
assert struct.unpack_from('<I', e, h)[0] == 0x1BADB002
def put(name, b):
    open(t + '/' + name, 'wb').write(b)
assert struct.unpack_from('<I', e, h + 16)[0] == 0xe85250d6
nohdr = bytearray(e); struct.pack_into('<I', nohdr, h, 0); struct.pack_into('<I', nohdr, h + 16, 0)
put('nohdr.elf', nohdr)
aout = bytearray(e); struct.pack_into('<III', aout, h, 0x1BADB002, 0x10003, (-(0x1BADB002 + 0x10003)) & 0xffffffff)
put('aout.elf', aout)
mb2arch = bytearray(e); struct.pack_into('<IIII', mb2arch, h + 16, 0xe85250d6, 4, 24, (-(0xe85250d6 + 4 + 24)) & 0xffffffff)
put('mb2arch.elf', mb2arch)
nbi = bytearray(512); nbi[0:4] = b'\x36\x13\x03\x1b'; struct.pack_into('<I', nbi, 4, 4); put('nbi', nbi)
PY
	refusal "-t multiboot-x86: an i386 ELF without a multiboot header" 255 \
		"an i386 ELF without a multiboot header in its first 8 KiB (-t elf-x86 loads it)" \
		$sys -t multiboot-x86 -l "$tmp/nohdr.elf"
	refusal "a multiboot header asking for the a.out kludge" 255 "asks for the a.out kludge layout" \
		$sys -t multiboot-x86 -l "$tmp/aout.elf"
	refusal "a multiboot2 header for another architecture" 255 "a multiboot2 header for architecture 4, not i386" \
		$sys -l "$tmp/mb2arch.elf"
	refusal "-p with a multiboot2 image" 255 "-p with a multiboot2 image" \
		--sysroot="$machine/crash/sysroot" -p "$tmp/mbtest.elf"
	# ---- nbi-x86: tests/e2e-x86_64/nbitest.S wrapped by mknbi.py ----
	if as --32 -o "$tmp/nbitest.o" "$top/tests/e2e-x86_64/nbitest.S" &&
		objcopy -O binary "$tmp/nbitest.o" "$tmp/nbitest.bin"; then
		python3 "$top/tests/e2e-x86_64/mknbi.py" "$tmp/nbitest.bin" UKEXEC-NBI "$tmp/t16.nbi" &&
		python3 "$top/tests/e2e-x86_64/mknbi.py" --entry32 "$tmp/nbitest.bin" UKEXEC-NBI "$tmp/t32.nbi"
		plan "$tmp/nbi16" $sys -l "$tmp/t16.nbi"
		ok $? "an nbi image (real-mode entry) without -t: detected and planned: $(head -c 200 "$tmp/err")"
		grep -q "not the in-kernel plan: nbi-x86: kexec-tools' nbi loader, entered at its cs:ip in 16-bit real mode" \
			"$tmp/nbi16/plan"
		ok $? "nbi: the plan says it is not the in-kernel one"
		plan "$tmp/nbi32" $sys -t nbi-x86 -l "$tmp/t32.nbi"
		ok $? "-t nbi-x86 (32-bit entry) plans: $(head -c 200 "$tmp/err")"
		python3 - "$tmp" <<'PY'
import struct, sys
t = sys.argv[1]
code = open(t + '/nbitest.bin', 'rb').read()
fails = []
def check(cond, what):
    if not cond: fails.append(what)
for kind in ('16', '32'):
    f = open('%s/t%s.nbi' % (t, kind), 'rb').read()
    seg = {}
    for l in open('%s/nbi%s/dump/manifest' % (t, kind)):
        w = l.split()
        if w and w[0] == 'segment':
            seg[int(w[3], 16)] = (int(w[4], 16), open('%s/nbi%s/dump/%s' % (t, kind, w[2]), 'rb').read(), ' '.join(w[7:]))
    check(seg.get(0x10000, (0, b''))[1] == f[:512], kind + ': the 512-byte header at ds:bx 0x1000:0')
    check(seg.get(0x20000, (0, b''))[1] == code, kind + ': the program at 0x20000 (absolute)')
    check(seg.get(0x21000, (0, b''))[1] == b'UKEXEC-NBI \0', kind + ': the message at 0x21000 (appended)')
    pur = [(m, z, b) for m, (z, b, w) in seg.items() if w == 'purgatory']
    check(len(pur) == 1 and pur[0][0] + pur[0][1] <= 0xa0000, kind + ': the purgatory below 640 KiB')
    if len(pur) != 1:
        continue
    pm, pz, pb = pur[0]
    # entry32_regs: eax..edi and ebp 0, esp the purgatory's stack
    r32 = [struct.unpack_from('<9I', pb, o) for o in range(0, len(pb) - 36, 4)]
    r32 = [r for r in r32 if r[:6] == (0,) * 6 and r[7] == 0 and pm <= r[6] <= pm + pz and r[8]]
    if kind == '32':
        check([r[8] for r in r32] == [0x20100], '32: entry32_regs: eip 0x20100, the others 0')
        continue
    e16 = [r[8] for r in r32 if pm <= r[8] < pm + pz and
           pb[r[8] - pm:r[8] - pm + 7] == b'\xfa\xe8\x00\x00\x00\x00\x5b']
    check(len(e16) == 1, '16: entry32_regs: eip at entry16')
    hit = [o for o in range(0, len(pb) - 48, 2) if struct.unpack_from('<8I8H', pb, o) == (0,) * 13 + (0, 0x2000, 0)]
    check(len(hit) >= 1, '16: entry16_regs: cs:ip 0x2000:0000, the others 0')
print('; '.join(fails) or 'header, program, message, purgatory, entry registers')
sys.exit(1 if fails else 0)
PY
		ok $? "nbi: segments at the header's addresses, entered at cs:ip (entry16) or linear (entry32)"
		head -c 700 "$tmp/t16.nbi" > "$tmp/nbicut"
		refusal "an nbi image cut short" 255 "lies past the end of the file" $sys -l "$tmp/nbicut"
		python3 - "$tmp/t16.nbi" "$tmp/nbiodd" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
struct.pack_into('<I', b, 16 + 4, 0x20200)	# the first segment off a page
open(sys.argv[2], 'wb').write(b)
PY
		refusal "an nbi segment off a page" 255 "nbi segment at 0x20200 is not page aligned" $sys -l "$tmp/nbiodd"
		refusal "-p with an nbi image" 255 "-p with an nbi image" --sysroot="$machine/crash/sysroot" \
			-p "$tmp/t16.nbi"
		refusal "an nbi image and --append" 255 "an nbi image takes no command line" $sys -l \
			--append=quiet "$tmp/t16.nbi"
	else
		diag "no objcopy: the nbi checks are skipped"
	fi
else
	diag "no as --32 / ld -m elf_i386: $(head -c 200 "$tmp/as.err"); the multiboot checks are skipped"
fi

# ---- elf-x86 ----
if as --32 --defsym PLAIN_ELF=1 -o "$tmp/elf32.o" "$top/tests/e2e-x86_64/mbtest.S" 2>"$tmp/as.err" &&
	ld -m elf_i386 -z max-page-size=0x1000 -T "$top/tests/e2e-x86_64/mbtest.ld" \
		-o "$tmp/elf32.elf" "$tmp/elf32.o" 2>/dev/null; then
	# elf32check DUMP STYLE [CMDLINE INITRD]: the plan's bytes as kexec-tools' elf_x86_load builds them
	elf32check() {
		python3 - "$tmp/elf32.elf" "$@" <<'PY'
import os, struct, sys
elf, dump, style = sys.argv[1:4]
e = open(elf, 'rb').read()
sys.path.insert(0, os.environ['PLANDUMP_PY'])
from plandump import *
segs, seg = load(dump)
phoff, = struct.unpack_from('<I', e, 28); phnum, = struct.unpack_from('<H', e, 44)
entry, = struct.unpack_from('<I', e, 24)
for i in range(phnum):
    t, off, va, pa, fsz, msz = struct.unpack_from('<6I', e, phoff + 32 * i)
    if t == 1:
        check(at(pa, fsz) == e[off:off + fsz], 'PT_LOAD at 0x%x' % pa)
        check(at(pa + fsz, msz - fsz) == bytes(msz - fsz), 'PT_LOAD bss at 0x%x' % pa)
pm, pz, pb, _ = seg['purgatory']
check(pm + pz <= 0x80000000, 'the purgatory below 2 GiB')
want = {'kernel', 'purgatory'} | ({'boot_params'} | ({'initrd'} if len(sys.argv) > 5 else set())
                                  if style == 'linux' else {'ELF boot notes'} if style == 'elf' else set())
check(set(seg) == want and len(segs) == len(want), 'segments %s, want %s' % (sorted(seg), sorted(want)))
esi = 0
if style == 'linux':
    cmdline, initrd = sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else None
    bm, bz, bp, _ = seg['boot_params']
    esi = bm
    check(bm + bz <= 1 << 32, 'boot_params below 4 GiB')
    # no setup header in the image: init_linux_parameters()' fields
    check(bp[0x202:0x206] == b'HdrS', 'boot_params header %r' % bp[0x202:0x206])
    check(struct.unpack_from('<H', bp, 0x206)[0] == 0x206, 'protocol 0x%x' % struct.unpack_from('<H', bp, 0x206))
    check(struct.unpack_from('<I', bp, 0x22c)[0] == 0x37ffffff, 'initrd_addr_max')
    check(struct.unpack_from('<I', bp, 0x238)[0] == 2048, 'cmdline_size')
    check(bp[0x210] == 0xd0, 'type_of_loader 0x%x' % bp[0x210])
    cl, = struct.unpack_from('<I', bp, 0x228)
    got = bp[cl - bm:].split(b'\0')[0].decode() if bm <= cl < bm + len(bp) else None
    check(got == cmdline, 'command line %r, want %r' % (got, cmdline))
    check(bp[0x1e8] > 0, 'an E820 table')
    ri, rs = struct.unpack_from('<II', bp, 0x218)
    if initrd:
        rd = open(initrd, 'rb').read()
        im, iz, ib, _ = seg['initrd']
        check((ri, rs) == (im, len(rd)) and ib == rd, 'initrd at 0x%x size 0x%x' % (ri, rs))
        check(0x1000000 <= im and im + len(rd) - 1 <= 0x37ffffff, 'initrd in 16 MiB-896 MiB')
    else:
        check((ri, rs) == (0, 0), 'no initrd, 0x%x 0x%x' % (ri, rs))
stack = (pm, pm + pz)
if style == 'elf':
    cmdline = sys.argv[4].encode() + b'\0'
    nm, nz, nb, _ = seg['ELF boot notes']
    n = nb[4096:]
    magic, size, csum, records = struct.unpack_from('<IIHH', n)
    check(magic == 0x0E1FB007 and size == len(n) and records == 3, 'Elf_Bhdr 0x%x size %d records %d' % (magic, size, records))
    s = 0
    for k in range(0, size, 2):
        s += struct.unpack_from('<H', n, k)[0]
        s = s - 0xffff if s > 0xffff else s
    check(s == 0xffff, 'the notes\' IP checksum 0x%x does not check (sum 0x%x)' % (csum, s))
    recs, o = [], 12
    for k in range(records):
        namesz, descsz, typ = struct.unpack_from('<III', n, o)
        d = o + 12 + (namesz + 3 & ~3)
        recs.append((typ, n[d:d + descsz]))
        o = d + (descsz + 3 & ~3)
    check(recs[0] == (2, b'ukexec\0') and recs[1][0] == 3 and recs[2] == (4, cmdline),
          'records %r' % recs)
    # [esp] no return address, [esp+4] the notes, at the top of the segment's stack page
    check(struct.unpack_from('<II', nb, 4096 - 8) == (0, nm + 4096), 'the stack arguments %r' % (struct.unpack_from('<II', nb, 4088),))
    stack = (nm + 4096 - 8, nm + 4096 - 8)
# entry32_regs: eax ebx ecx edx edi ebp 0, esi boot_params (or 0), esp in the purgatory
# (--args-elf: at the stack arguments), eip e_entry
def regs(o):
    r = struct.unpack_from('<9I', pb, o)
    return r[0:4] == (0, 0, 0, 0) and r[5] == 0 and r[7] == 0 and stack[0] <= r[6] <= stack[1] and \
        r[4] == esi and r[8] == entry
hit = [o for o in range(0, len(pb) - 36, 4) if regs(o)]
check(len(hit) == 1, 'entry32_regs: esi = 0x%x, eip = e_entry 0x%x, the rest 0, esp in the purgatory' % (esi, entry))
print('; '.join(fails) or '%d segments, esi 0x%x eip 0x%x' % (len(segs), esi, entry))
sys.exit(1 if fails else 0)
PY
	}
	plan "$tmp/e32" $sys -t elf-x86 --args-linux -l --append="hello elf32" \
		--initrd="$machine/initrd.img" "$tmp/elf32.elf"
	ok $? "-t elf-x86 --args-linux plans: $(head -c 200 "$tmp/err")"
	grep -q "not the in-kernel plan: -t elf-x86: kexec-tools' i386 ELF loader (--args-linux" "$tmp/e32/plan"
	ok $? "the plan says it is not the in-kernel one"
	elf32check "$tmp/e32/dump" linux "hello elf32" "$machine/initrd.img"
	ok $? "elf-x86 --args-linux: PT_LOAD, boot_params, command line, initrd, entry32_regs as kexec-tools"
	plan "$tmp/e32p" $sys --args-none --args-linux -l --append="probed" "$tmp/elf32.elf"
	grep -q "not the in-kernel plan: -t elf-x86" "$tmp/e32p/plan" &&
		elf32check "$tmp/e32p/dump" linux "probed"
	ok $? "an i386 ELF without -t is elf-x86 (after multiboot-x86); the last --args-* wins"
	plan "$tmp/e32n" $sys -t elf-x86 --args-none -l "$tmp/elf32.elf"
	ok $? "-t elf-x86 --args-none plans: $(head -c 200 "$tmp/err")"
	elf32check "$tmp/e32n/dump" none
	ok $? "elf-x86 --args-none: the PT_LOAD and the purgatory only, every register 0 but esp and eip"
	"$kexec" --dry-run -d --arch=x86_64 $sys -t elf-x86 --args-none -l "$tmp/elf32.elf" >/dev/null 2>"$tmp/err"
	grep -q "^-t elf-x86: kexec_file_load has no such argument; using the userspace plan" "$tmp/err"
	ok $? "-a -t elf-x86: -d says the userspace plan and kexec_load are used"
	plan "$tmp/e32e" $sys -l --append="notes line" "$tmp/elf32.elf"
	grep -q "not the in-kernel plan: -t elf-x86: kexec-tools' i386 ELF loader (--args-elf" "$tmp/e32e/plan" &&
		elf32check "$tmp/e32e/dump" elf "notes line"
	ok $? "elf-x86 without --args-* (--args-elf): ELF boot notes (checksum, records), [esp] 0, [esp+4] the notes"
	refusal "--initrd with --args-elf" 255 "no ramdisk with --args-elf" \
		$sys -l --initrd="$machine/initrd.img" "$tmp/elf32.elf"
	refusal "-p with an i386 ELF" 255 "-p with an i386 ELF: it runs only at its link addresses" \
		--sysroot="$machine/crash/sysroot" --args-linux -p "$tmp/elf32.elf"
	plan "$tmp/e32mod" $sys --args-linux --module="$machine/initrd.img" -l "$tmp/elf32.elf" &&
		grep -q "^kexec: warning: --module=.*: $tmp/elf32.elf is an i386 ELF without a multiboot header, which takes no modules: ignored" "$tmp/err"
	ok $? "--module with an i386 ELF: ignored with a warning, as kexec-tools ignores it: $(head -c 200 "$tmp/err")"
	refusal "an i386 ELF object" 255 "$tmp/elf32.o: an i386 ELF, but not an executable (ET_EXEC)" \
		$sys --args-linux -l "$tmp/elf32.o"
	# e_machine EM_486 (6): kexec-tools' elf_x86_any_probe() takes it beside EM_386; EM_860 (7) not
	for m in 6 7; do
		cp "$tmp/elf32.elf" "$tmp/em$m.elf" &&
			printf "\\$(printf %o $m)" | dd of="$tmp/em$m.elf" bs=1 seek=18 conv=notrunc 2>/dev/null
	done
	plan "$tmp/e486" $sys --args-linux -l --append="em486" "$tmp/em6.elf" &&
		grep -q "not the in-kernel plan: -t elf-x86: kexec-tools' i386 ELF loader (--args-linux" "$tmp/e486/plan"
	ok $? "an i386 ELF with e_machine EM_486 is elf-x86 too, as kexec-tools: $(head -c 200 "$tmp/err")"
	refusal "an ELF32 of e_machine EM_860" 255 "$tmp/em7.elf: " $sys --args-linux -l "$tmp/em7.elf"
else
	diag "no as --32 / ld -m elf_i386: $(head -c 200 "$tmp/as.err"); the elf-x86 checks are skipped"
fi

# ---- bzImage, 32-bit entry ----
if [ ! -f "$kernel" ]; then
	diag "no cached 6.1 kernel (scripts/fetch-kernels): the bzImage checks are skipped"
	done_testing
	exit
fi
# bzcheck DUMP CMDLINE INITRD [CRASHK]: the 32-bit bzImage plan's bytes (a crash
# plan's inside CRASHK, START-END in hex)
bzcheck() {
	python3 - "$kernel" "$@" <<'PY'
import os, struct, sys
kernel, dump, cmdline, initrd = sys.argv[1:5]
crash = sys.argv[5] if len(sys.argv) > 5 else None
k = open(kernel, 'rb').read()
sys.path.insert(0, os.environ['PLANDUMP_PY'])
from plandump import *
segs, seg = load(dump)
kern16 = ((k[0x1f1] or 4) + 1) * 512
km, kz, kb, _ = seg['kernel']
init_size, = struct.unpack_from('<I', k, 0x260); align, = struct.unpack_from('<I', k, 0x230)
check(kb == k[kern16:], 'the kernel segment is the protected-mode code')
check(kz >= init_size and km % align == 0 and km >= 0x100000, 'kernel at 0x%x (align 0x%x, memsz 0x%x)' % (km, align, kz))
check(km + kz - 1 <= 0x37ffffff, 'kernel below 896 MiB')
pm, pz, pb, _ = seg['purgatory']
check(pm + pz <= 0x80000000, 'the purgatory below 2 GiB')
bm, bz_, bp, _ = seg['boot_params']
if not crash:
    check(bm + bz_ <= 0xa0000, 'boot_params 0x%x-0x%x in the first 640 KiB' % (bm, bm + bz_))
# the setup header as in the image, but for what a boot loader fills in
end = 0x202 + k[0x201]
own = set(range(0x210, 0x212)) | set(range(0x218, 0x220)) | set(range(0x228, 0x22c)) | set(range(0x250, 0x258))
diff = [hex(o) for o in range(0x1f1, end) if o not in own and bp[o] != k[o]]
check(not diff, 'setup header bytes differ at %s' % diff[:4])
check(bp[0x210] == 0xd0 and bp[0x211] == 0, 'type_of_loader 0x%x loadflags 0x%x' % (bp[0x210], bp[0x211]))
cl, = struct.unpack_from('<I', bp, 0x228)
got = bp[cl - bm:].split(b'\0')[0].decode()
want = ('elfcorehdr=0x%x ' % seg['elfcorehdr'][0] if crash else '') + cmdline
check(got == want, 'command line %r, want %r' % (got, want))
rd = open(initrd, 'rb').read()
ri, rs = struct.unpack_from('<II', bp, 0x218)
im, iz, ib, _ = seg['initrd']
check((ri, rs) == (im, len(rd)) and ib == rd, 'initrd at 0x%x size 0x%x' % (ri, rs))
iam, = struct.unpack_from('<I', k, 0x22c)
check(im + len(rd) - 1 <= iam, 'initrd below initrd_addr_max')
check(bp[0x1e8] > 0, 'an E820 table')
# entry32_regs: eax..edx 0, esi boot_params, eip the kernel
def regs(o):
    r = struct.unpack_from('<9I', pb, o)
    return r[0:4] == (0, 0, 0, 0) and r[5] == 0 and r[7] == 0 and pm <= r[6] <= pm + pz and \
        r[4] == bm and r[8] == km
hit = [o for o in range(0, len(pb) - 36, 4) if regs(o)]
check(len(hit) == 1, 'entry32_regs: eax ebx ecx edx edi ebp 0, esp in the purgatory, esi = boot_params 0x%x, eip = kernel 0x%x' % (bm, km))
if crash:
    lo, hi = (int(x, 16) for x in crash.split('-'))
    out = [hex(m) for m, z, b, w in segs if m < lo or m + z - 1 > hi]
    check(not out, 'segments outside the crash region %s: %s' % (crash, out))
print('; '.join(fails) or 'kernel 0x%x boot_params 0x%x purgatory 0x%x' % (km, bm, pm))
sys.exit(1 if fails else 0)
PY
}
append="console=ttyS0 ukexec.test=32"
plan "$tmp/bz" $sys -t bzImage -l --initrd="$machine/initrd.img" --append="$append" "$kernel"
ok $? "-t bzImage plans: $(head -c 200 "$tmp/err")"
grep -q "not the in-kernel plan: a 32-bit entry" "$tmp/bz/plan"; ok $? "the plan says it is not the in-kernel one"
bzcheck "$tmp/bz/dump" "$append" "$machine/initrd.img"
ok $? "-t bzImage: kernel, boot_params, initrd and entry32_regs as kexec-tools' 32-bit entry"
plan "$tmp/bz32" $sys --entry-32bit -l --initrd="$machine/initrd.img" --append="$append" "$kernel"
[ "$(grep -o 'mem=0x[0-9a-f]* memsz=0x[0-9a-f]*' "$tmp/bz32/plan")" = \
	"$(grep -o 'mem=0x[0-9a-f]* memsz=0x[0-9a-f]*' "$tmp/bz/plan")" ]
ok $? "--entry-32bit with a bzImage64: kexec-tools' bzImage64 loader hands it to the 32-bit one"
"$kexec" --dry-run -d --arch=x86_64 $sys --entry-32bit -l "$kernel" >/dev/null 2>"$tmp/err"
grep -q "^--entry-32bit: kexec_file_load has no such argument; using the userspace plan" "$tmp/err"
ok $? "-a --entry-32bit: -d says the userspace plan and kexec_load are used"
plan "$tmp/bzp" --sysroot="$machine/crash/sysroot" -t bzImage -p --initrd="$machine/initrd.img" \
	--append="$append" "$kernel"
ok $? "-t bzImage -p plans: $(head -c 200 "$tmp/err")"
crashk=$(sed -n 's/^ *\([0-9a-f]*-[0-9a-f]*\) : Crash kernel$/\1/p' "$machine/crash/sysroot/proc/iomem")
bzcheck "$tmp/bzp/dump" "$append" "$machine/initrd.img" "$crashk"
ok $? "-t bzImage -p: in the crash region, elfcorehdr= on the command line"
# bz16check DUMP CMDLINE: the --real-mode plan's bytes: the setup code below
# 640 KiB with its heap and the command line, entry16_regs at it, entry32 into entry16
bz16check() {
	python3 - "$kernel" "$@" <<'PY'
import struct, sys
kernel, dump, cmdline = sys.argv[1:4]
k = open(kernel, 'rb').read()
seg = {}
for l in open(dump + '/manifest'):
    f = l.split()
    if f and f[0] == 'segment':
        seg[' '.join(f[7:])] = (int(f[3], 16), int(f[4], 16), open(dump + '/' + f[2], 'rb').read())
fails = []
def check(cond, what):
    if not cond: fails.append(what)
kern16 = ((k[0x1f1] or 4) + 1) * 512
sm, sz, sb = seg['real-mode setup code']
pm, pz, pb = seg['purgatory']
km = seg['kernel'][0]
check(sm % 16 == 0 and sm >= 0x3000 and sm + len(sb) <= 0xa0000 and pm + pz <= 0xa0000,
      'setup 0x%x and purgatory 0x%x below 640 KiB' % (sm, pm))
check(sm + len(sb) <= pm, 'the purgatory above the setup code')
own = set(range(0x20, 0x24)) | {0x210, 0x211} | set(range(0x214, 0x218)) | set(range(0x218, 0x220)) | \
      set(range(0x224, 0x226)) | set(range(0x228, 0x22c))
diff = [hex(o) for o in range(kern16) if o not in own and sb[o] != k[o]]
check(not diff, 'the setup code as in the image but for the loader fields: differs at %s' % diff[:4])
heap, = struct.unpack_from('<H', k, 0x224)
extra = (0xfffc - heap) & ~0x1ff
cl_off = heap + extra
magic, off = struct.unpack_from('<HH', sb, 0x20)
cl, = struct.unpack_from('<I', sb, 0x228)
check((magic, off, cl) == (0xa33f, cl_off, sm + cl_off), 'cl_magic 0x%x cl_offset 0x%x cmd_line_ptr 0x%x' % (magic, off, cl))
check(sb[cl_off:].split(b'\0')[0].decode() == cmdline, 'the command line at cl_offset')
check(sb[0x210] == 0xd0 and sb[0x211] == 0x80, 'type_of_loader 0x%x loadflags 0x%x (CAN_USE_HEAP)' % (sb[0x210], sb[0x211]))
hep, = struct.unpack_from('<H', sb, 0x224)
check(hep == heap + extra - 0x200, 'heap_end_ptr 0x%x' % hep)
c32, = struct.unpack_from('<I', sb, 0x214)
check(c32 == km, 'code32_start 0x%x, the kernel at 0x%x' % (c32, km))
check(sb[0x1e8] == k[0x1e8], 'no E820 table: the BIOS gives it')
s16 = sm >> 4
def regs16(o):
    r = struct.unpack_from('<8I8H', pb, o)
    return r[8:13] == (s16,) * 5 and r[13] == 0 and r[14] == s16 + 0x20 and r[6] == cl_off and \
        r[:6] == (0,) * 6 and r[7] == 0
hit = [o for o in range(0, len(pb) - 48, 4) if regs16(o)]
check(len(hit) == 1, 'entry16_regs: ds es ss fs gs 0x%x, cs:ip 0x%x:0, esp 0x%x (below the command line)' % (s16, s16 + 0x20, cl_off))
# entry32_regs' eip at entry16, which starts cli; call 1f; 1: popl %ebx
ENTRY16 = b'\xfa\xe8\x00\x00\x00\x00\x5b'
eips = [struct.unpack_from('<I', pb, o + 32)[0] for o in range(0, len(pb) - 36, 4)
        if struct.unpack_from('<8I', pb, o)[:6] == (0,) * 6 and pm <= struct.unpack_from('<I', pb, o + 32)[0] < pm + pz]
ok16 = [e for e in eips if pb[e - pm:e - pm + 7] == ENTRY16]
check(len(ok16) == 1 and ok16[0] % 16 == 0, 'entry32_regs: eip at entry16 (16-byte aligned)')
print('; '.join(fails) or 'setup 0x%x purgatory 0x%x kernel 0x%x' % (sm, pm, km))
sys.exit(1 if fails else 0)
PY
}
plan "$tmp/bz16" $sys --real-mode -l --initrd="$machine/initrd.img" --append="$append" "$kernel"
ok $? "--real-mode plans: $(head -c 200 "$tmp/err")"
grep -q "not the in-kernel plan: a 16-bit entry (--real-mode)" "$tmp/bz16/plan"
ok $? "--real-mode: the plan says it is not the in-kernel one"
bz16check "$tmp/bz16/dump" "$append"
ok $? "--real-mode: setup code, heap, command line and entry16_regs as kexec-tools' 16-bit entry"
plan "$tmp/bz16t" $sys -t bzImage --real-mode -l --initrd="$machine/initrd.img" --append="$append" "$kernel"
cmp -s "$tmp/bz16/dump/manifest" "$tmp/bz16t/dump/manifest"
ok $? "-t bzImage --real-mode: the same plan as a bzImage64 given --real-mode"
refusal "--real-mode on an EFI-booted machine" 255 "--real-mode: this machine booted through EFI" \
	--sysroot="$machine-efi/sysroot" --real-mode -l "$kernel"
refusal "-p --real-mode" 255 "--real-mode: a crash kernel cannot be entered in real mode" \
	--sysroot="$machine/crash/sysroot" --real-mode -p "$kernel"
# kexec-tools' bzImage loaders ignore --module: ukexec too, with one warning per module
# (the same segments; their bytes hold a fresh RNG seed each run)
plan "$tmp/bzm" $sys -l --append="$append" "$kernel" &&
	plan "$tmp/bzmod" $sys --module="$machine/initrd.img x" --module=/nonexistent -l --append="$append" "$kernel" &&
	cmp -s <(sed 's/buf=0x[0-9a-f]* //' "$tmp/bzm/plan") <(sed 's/buf=0x[0-9a-f]* //' "$tmp/bzmod/plan") &&
	[ "$(grep -c "^kexec: warning: --module=.*: $kernel is a bzImage, which takes no modules: ignored" "$tmp/err")" -eq 2 ]
ok $? "--module with a bzImage: the same plan, a warning per module: $(head -c 200 "$tmp/err")"

# ---- beoboot: "BeoB", arch 1, flags 1 (initrd), cmdline_size; kernel_size, initrd_size ----
python3 - "$kernel" "$machine/initrd.img" "$append" "$tmp/beoboot" <<'PY'
import struct, sys
k = open(sys.argv[1], 'rb').read(); rd = open(sys.argv[2], 'rb').read(); cl = sys.argv[3].encode() + b'\0'
open(sys.argv[4], 'wb').write(b'BeoB' + struct.pack('<BBHII', 1, 1, len(cl), len(k), len(rd)) + cl + k + rd)
PY
plan "$tmp/beo" $sys -l "$tmp/beoboot"
ok $? "a beoboot image without -t: detected and planned: $(head -c 200 "$tmp/err")"
bzcheck "$tmp/beo/dump" "$append" "$machine/initrd.img"
ok $? "beoboot: its command line, bzImage and initrd loaded as -t bzImage loads them"
head -c 100000 "$tmp/beoboot" > "$tmp/beocut"
refusal "a beoboot image cut short" 255 "a beoboot image cut short" $sys -l "$tmp/beocut"
done_testing
