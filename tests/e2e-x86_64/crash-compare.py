#!/usr/bin/env python3
"""Compare two kdump loads of the same machine byte for byte (tests/e2e-x86_64/crash.sh).

    crash-compare.py [--ver V] [--golden DIR] A B

A: the in-kernel loader's boot (kexec -s -d -p), B: ukexec's plan with the
kernel's own purgatory (kexec -c -d -p --purgatory-from --print-plan
--dump-plan). Each directory holds region.bin (the "Crash kernel" region
dumped over QMP after the load), region.where ("start size") and rec/ (the
guest's files: kernel.log = dmesg of the load, tool.log = what kexec printed,
manifest = B's --dump-plan manifest, sysroot/ = the system view).

Checks, in order:
  1. the segment tables: the kernel's (dmesg: "segment[i]: ..." with
     KEXEC_FILE_DEBUG on 6.12, "Loading segment i: ..." via dynamic debug on
     6.1) against ours (--print-plan); the entry point when the kernel says it
  2. for each segment the bytes [mem, mem+memsz) of dump A against dump B,
     and where they differ
  3. the expected differences: the RNG seed (setup_data of type 9 chained
     from boot_params.hdr.setup_data) and purgatory_sha256_digest. The
     digest is located through purgatory_sha_regions (the {start, len}
     table that lists the hashed segments; the digest follows it at +0x100
     in the kernel's purgatory) and recomputed from each dump over those
     regions: each dump's stored digest must equal the SHA-256 of its own
     memory. Any other differing byte is reported as a finding, with the
     field it falls in.
  4. B's dump holds the bytes B's --dump-plan manifest says it loaded
     (sha256 of [mem, mem+bufsz)); A's and B's system views are the same
     (both boots identical), but for /proc/cmdline.
Prints a report and a last line "SUMMARY ...". Exit 0: only the expected
differences; 1: other differences (findings); 2: the inputs are unusable.
--golden DIR: write boot A's oracle files into DIR (elfcorehdr.bin,
boot_params.bin, purgatory.bin: each segment's bufsz bytes as loaded by the
kernel; segments.txt; kernel-plan.log; sysroot/).
"""
import argparse
import difflib
import filecmp
import hashlib
import mmap
import os
import re
import shutil
import struct
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SETUP_RNG_SEED = 9
HDR_SETUP_DATA = 0x250
NREGIONS = 16  # purgatory_sha_regions[KEXEC_SEGMENT_MAX]


class Unusable(Exception):
    pass


def hexint(s):
    return int(s, 16)


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


# ---------------------------------------------------------------- tables
SEG_KERNEL = re.compile(r"kexec_file: (?:segment\[(\d+)\]|Loading segment (\d+)): buf=\S+ "
                        r"bufsz=(0x[0-9a-f]+) mem=(0x[0-9a-f]+) memsz=(0x[0-9a-f]+)")
SEG_OURS = re.compile(r"^segment\[(\d+)\]: buf=\S+ bufsz=(0x[0-9a-f]+) mem=(0x[0-9a-f]+) "
                      r"memsz=(0x[0-9a-f]+)\s*$")
KERNEL_NAMES = [
    (re.compile(r"Loaded ELF headers at (0x[0-9a-f]+)"), "elfcorehdr"),
    (re.compile(r"Loaded purgatory at (0x[0-9a-f]+)"), "purgatory"),
    (re.compile(r"Loaded boot_param, command line and misc at (0x[0-9a-f]+)"), "boot_params"),
    (re.compile(r"Loaded 64bit kernel at (0x[0-9a-f]+)"), "kernel"),
    (re.compile(r"Loaded initrd at (0x[0-9a-f]+)"), "initrd"),
]


class Seg:
    def __init__(self, idx, bufsz, mem, memsz, name="?"):
        self.idx, self.bufsz, self.mem, self.memsz, self.name = idx, bufsz, mem, memsz, name

    def key(self):
        return (self.bufsz, self.mem, self.memsz)

    def __str__(self):
        return "segment[%d] %-11s bufsz=0x%x mem=0x%x memsz=0x%x" % (
            self.idx, self.name, self.bufsz, self.mem, self.memsz)


def complete_table(segs, source):
    """segs ({index: Seg}) as a list, if it has every index from 0; else
    Unusable (no complete segment table in source)."""
    if not segs or sorted(segs) != list(range(len(segs))):
        raise Unusable("no complete segment table in %s" % source)
    return [segs[i] for i in range(len(segs))]


def kernel_table(log):
    segs, names, entry = {}, {}, None
    for line in log.splitlines():
        m = SEG_KERNEL.search(line)
        if m:
            i = int(m.group(1) or m.group(2))
            segs[i] = Seg(i, hexint(m.group(3)), hexint(m.group(4)), hexint(m.group(5)))
        for rx, name in KERNEL_NAMES:
            m = rx.search(line)
            if m:
                names[hexint(m.group(1))] = name
        m = re.search(r"kexec_file_load: type:\d+, start:(0x[0-9a-f]+)", line)
        if m:
            entry = hexint(m.group(1))
    table = complete_table(segs, "the kernel's log")
    for s in table:
        s.name = names.get(s.mem, "?")
    return table, entry


def our_table(log, manifest):
    segs, entry = {}, None
    for line in log.splitlines():
        m = SEG_OURS.match(line)
        if m:
            i = int(m.group(1))
            segs[i] = Seg(i, hexint(m.group(2)), hexint(m.group(3)), hexint(m.group(4)))
        m = re.match(r"^entry = (0x[0-9a-f]+)\s*$", line)
        if m:
            entry = hexint(m.group(1))
    table = complete_table(segs, "ukexec's --print-plan output")
    sums = {}
    for line in manifest.splitlines():
        f = line.split()
        if len(f) >= 8 and f[0] == "segment":
            i = int(f[1])
            if i < len(table):
                table[i].name = f[7]
                sums[i] = f[6]
    return table, entry, sums


# ---------------------------------------------------------------- fields
def bootparam_fields():
    """(offset, size, name) of boot_params fields, from kexec/arch/x86_64/bootparam.h"""
    fields = []
    try:
        text = read(os.path.join(TOP, "kexec/arch/x86_64/bootparam.h"))
    except OSError:
        return fields
    sizes = {"u8": 1, "u16": 2, "u32": 4, "u64": 8}
    for m in re.finditer(r"#define\s+((?:BP|HDR)_\w+)\s+(0x[0-9a-f]+)\s*(?:/\*\s*(\w+)([^*]*)\*/)?", text):
        name, off, typ = m.group(1), hexint(m.group(2)), m.group(3)
        if name.endswith("_SIZE") and not typ:
            continue
        if name == "BP_SIZE":
            continue
        fields.append((off, sizes.get(typ or "", 0), name))
    return fields


BP_FIELDS = bootparam_fields()


def bp_field(off):
    if off >= 0x1000:
        return "past struct boot_params (command line, setup_data)"
    if 0x2d0 <= off < 0x2d0 + 128 * 20:
        k, r = divmod(off - 0x2d0, 20)
        return "e820_table[%d].%s" % (k, "addr" if r < 8 else "size" if r < 16 else "type")
    best = None
    for o, size, name in BP_FIELDS:
        if size and o <= off < o + size:
            return "%s+%d" % (name, off - o)
        if o <= off and (best is None or o > best[0]):
            best = (o, name)
    return "%s+0x%x (nearest field before)" % (best[1], off - best[0]) if best else "?"


def elf_field(buf, off):
    if off < 64:
        names = [(0, 16, "e_ident"), (16, 2, "e_type"), (18, 2, "e_machine"), (20, 4, "e_version"),
                 (24, 8, "e_entry"), (32, 8, "e_phoff"), (40, 8, "e_shoff"), (48, 4, "e_flags"),
                 (52, 2, "e_ehsize"), (54, 2, "e_phentsize"), (56, 2, "e_phnum"),
                 (58, 2, "e_shentsize"), (60, 2, "e_shnum"), (62, 2, "e_shstrndx")]
        for o, n, name in names:
            if o <= off < o + n:
                return "Elf64_Ehdr.%s+%d" % (name, off - o)
    phoff, phnum = struct.unpack_from("<QH", buf, 32)[0], struct.unpack_from("<H", buf, 56)[0]
    if phoff <= off < phoff + 56 * phnum:
        k, r = divmod(off - phoff, 56)
        names = [(0, 4, "p_type"), (4, 4, "p_flags"), (8, 8, "p_offset"), (16, 8, "p_vaddr"),
                 (24, 8, "p_paddr"), (32, 8, "p_filesz"), (40, 8, "p_memsz"), (48, 8, "p_align")]
        for o, n, name in names:
            if o <= r < o + n:
                return "Elf64_Phdr[%d].%s+%d" % (k, name, r - o)
    return "past the program headers"


def field(seg, buf, off):
    if seg.name == "boot_params":
        return bp_field(off)
    if seg.name == "elfcorehdr":
        return elf_field(buf, off)
    return "%s+0x%x" % (seg.name, off)


# ---------------------------------------------------------------- expected differences
def rng_seeds(seg, buf):
    """[(off, len)] of the data of the setup_data entries of type 9, walking the chain"""
    out, seen = [], set()
    addr = struct.unpack_from("<Q", buf, HDR_SETUP_DATA)[0]
    while addr and addr not in seen:
        seen.add(addr)
        off = addr - seg.mem
        if off < 0 or off + 16 > len(buf):
            break
        nxt, typ, ln = struct.unpack_from("<QII", buf, off)
        if typ == SETUP_RNG_SEED:
            out.append((off + 16, ln))
        addr = nxt
    return out


def find_sha_regions(pbuf, table, purg):
    """offset of purgatory_sha_regions in the purgatory segment: the
    {start, len} table of the hashed segments (every segment but purgatory,
    and on 6.12 maybe but the elfcorehdr), zero-filled to 16 entries"""
    others = [s for s in table if s is not purg]
    candidates = [others, [s for s in others if s.name != "elfcorehdr"]]
    for hashed in candidates:
        want = b"".join(struct.pack("<QQ", s.mem, s.memsz) for s in hashed)
        want += bytes(16 * (NREGIONS - len(hashed)))
        off = pbuf.find(want)
        while off >= 0 and off % 8:
            off = pbuf.find(want, off + 1)
        if off >= 0:
            return off, hashed
    return None, None


def report(summary, findings):
    """The last lines: SUMMARY and each finding; the exit status (1: findings)."""
    print("SUMMARY %s" % summary)
    for f in findings:
        print("FINDING %s" % f)
    return 1 if findings else 0


def check_tables(findings, ta, tb):
    """A's segment table (the kernel's) against B's (ukexec's), entry by
    entry: printed, a finding for each that differs."""
    print("segment table (A: the kernel's dmesg; B: --print-plan):")
    for i in range(max(len(ta), len(tb))):
        sa = ta[i] if i < len(ta) else None
        sb = tb[i] if i < len(tb) else None
        same = sa and sb and sa.key() == sb.key() and sa.name == sb.name
        print("  A %s" % (sa or "-"))
        if not same:
            print("  B %s   <-- differs" % (sb or "-"))
            findings.append("segment table: %s vs %s" % (sa or "-", sb or "-"))


def check_seeds(findings, bp, buf_a, buf_b):
    """The RNG seeds in A's and B's boot_params (bp's bytes buf_a, buf_b):
    printed, a finding unless at the same place; returns the expected
    differences they make in boot_params."""
    sa, sb = rng_seeds(bp, buf_a), rng_seeds(bp, buf_b)
    print("RNG seed (setup_data type 9): A at boot_params+%s, B at boot_params+%s" % (
        ",".join("0x%x/%d" % x for x in sa) or "none", ",".join("0x%x/%d" % x for x in sb) or "none"))
    if sa != sb:
        findings.append("the RNG seed setup_data is not at the same place: A %s, B %s" % (sa, sb))
    return [(off, ln, "RNG seed (setup_data type 9)") for off, ln in sa]


def check_digests(findings, roff, hashed, pbuf_a, pbuf_b, digest_a, digest_b):
    """purgatory_sha_regions (at roff in A's purgatory bytes pbuf_a, listing
    the segments hashed) must be the same in B's, and each side's stored
    purgatory_sha256_digest the digest of its own memory (digest_a(hashed),
    digest_b(hashed)). Returns the expected differences in the purgatory."""
    if roff is None:
        findings.append("purgatory_sha_regions not found in A's purgatory segment")
        print("purgatory_sha_regions: not found in A's purgatory")
        return []
    doff = roff + 16 * NREGIONS
    print("purgatory_sha_regions at purgatory+0x%x (%d regions: %s); purgatory_sha256_digest at "
          "purgatory+0x%x" % (roff, len(hashed), " ".join(s.name for s in hashed), doff))
    if pbuf_b[roff:roff + 16 * NREGIONS] != pbuf_a[roff:roff + 16 * NREGIONS]:
        findings.append("B's purgatory_sha_regions differs from A's")
    for side, pbuf, digest in (("A", pbuf_a, digest_a), ("B", pbuf_b, digest_b)):
        stored = bytes(pbuf[doff:doff + 32])
        computed = digest(hashed)
        ok = stored == computed
        print("  %s: stored digest %s, SHA-256 of its dump over the regions %s: %s" % (
            side, stored.hex(), computed.hex(), "equal" if ok else "DIFFERENT"))
        if not ok:
            findings.append("%s's purgatory_sha256_digest is not the digest of its own memory" % side)
    return [(doff, 32, "purgatory_sha256_digest")]


def digest_of(region, start, regions):
    h = hashlib.sha256()
    for s in regions:
        h.update(region[s.mem - start:s.mem - start + s.memsz])
    return h.digest()


# ---------------------------------------------------------------- byte diff
def diff_runs(a, b, base_a, base_b, n, chunk=1 << 20):
    """[(off, end)] of the differing runs in a[base_a:+n] vs b[base_b:+n]"""
    runs = []
    for c in range(0, n, chunk):
        m = min(chunk, n - c)
        x = a[base_a + c:base_a + c + m]
        y = b[base_b + c:base_b + c + m]
        if x == y:
            continue
        i = 0
        while i < m:
            if x[i] != y[i]:
                j = i
                while j < m and x[j] != y[j]:
                    j += 1
                off = c + i
                if runs and runs[-1][1] >= off - 8:  # merge runs closer than 8 bytes
                    runs[-1] = (runs[-1][0], c + j)
                else:
                    runs.append((off, c + j))
                i = j
            else:
                i += 1
    return runs


def ndiff(a, b):
    return sum(1 for x, y in zip(a, b) if x != y)


# ---------------------------------------------------------------- main
def same_kcore_headers(a, b):
    """the Elf64_Ehdr and Elf64_Phdr array of two /proc/kcore heads are equal"""
    x, y = read(a, "rb"), read(b, "rb")
    if len(x) < 64 or x[:64] != y[:64]:
        return False
    phoff, phnum = struct.unpack_from("<Q", x, 32)[0], struct.unpack_from("<H", x, 56)[0]
    end = phoff + 56 * phnum
    return end <= len(x) and x[:end] == y[:end]


BIOS_ROM_LINE = re.compile(r"^000([0-9a-f]{5})-000([0-9a-f]{5}) : Adapter ROM$")


def same_but_bios_roms(la, lb):
    """two /proc/iomem texts (lists of lines) are equal but for top-level
    "Adapter ROM" lines below 1 MiB. The kernel's probe_roms() finds those by
    a 0x55aa signature and a byte checksum, every 2 KiB from the end of the
    video ROM to 0xf0000 (0xe0000 when an extension ROM is there); SeaBIOS
    keeps run-time data in 0xe0000-0xeffff, so a "ROM" at 0xe8000 shows in
    some TCG boots and not in others (once in CI, at 270fe23). No loader reads
    these lines: the crash memory map and the ELF core headers come from the
    System RAM, reserved and ACPI ranges, which must still be equal."""
    def rest(lines):
        return [l for l in lines if not BIOS_ROM_LINE.match(l)]
    return la != lb and rest(la) == rest(lb)


def load_side(d):
    start, size = (int(x, 0) for x in read(os.path.join(d, "region.where")).split())
    f = open(os.path.join(d, "region.bin"), "rb")
    if os.fstat(f.fileno()).st_size != size:
        raise Unusable("%s/region.bin: %d bytes, expected %d" % (d, os.fstat(f.fileno()).st_size, size))
    return start, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ver", default="?")
    ap.add_argument("--golden")
    ap.add_argument("a")
    ap.add_argument("b")
    o = ap.parse_args()
    findings = []

    ta, entry_a = kernel_table(read(os.path.join(o.a, "rec/kernel.log"), "r"))
    manifest = os.path.join(o.b, "rec/manifest")
    tb, entry_b, sums_b = our_table(read(os.path.join(o.b, "rec/tool.log")),
                                    read(manifest) if os.path.exists(manifest) else "")
    start_a, ra = load_side(o.a)
    start_b, rb = load_side(o.b)
    print("x86_64 %s kdump oracle: A = in-kernel loader (kexec -s -p), B = ukexec -c -p --purgatory-from"
          % o.ver)
    print("crash region: A 0x%x+0x%x, B 0x%x+0x%x" % (start_a, len(ra), start_b, len(rb)))
    if start_a != start_b or len(ra) != len(rb):
        findings.append("the crash region differs between the boots")

    # 1. the tables
    check_tables(findings, ta, tb)
    if entry_a is not None:
        print("entry: A 0x%x, B %s" % (entry_a, "0x%x" % entry_b if entry_b is not None else "-"))
        if entry_a != entry_b:
            findings.append("entry point: A 0x%x, B %s" % (entry_a, entry_b))
    else:
        print("entry: the kernel does not log it (6.1); B 0x%x" % (entry_b or 0))

    # 3 (first: the masks) the expected differences, in each dump
    expected = {}  # segment index -> [(off, len, what)]
    bp = next((s for s in ta if s.name == "boot_params"), None)
    purg = next((s for s in ta if s.name == "purgatory"), None)
    if bp is None or purg is None:
        raise Unusable("no boot_params or purgatory segment named in the kernel's log")
    expected[bp.idx] = check_seeds(findings, bp, ra[bp.mem - start_a:bp.mem - start_a + bp.memsz],
                                   rb[bp.mem - start_b:bp.mem - start_b + bp.memsz])

    pbuf_a = ra[purg.mem - start_a:purg.mem - start_a + purg.bufsz]
    pbuf_b = rb[purg.mem - start_b:purg.mem - start_b + purg.bufsz]
    roff, hashed = find_sha_regions(pbuf_a, ta, purg)
    exp = check_digests(findings, roff, hashed, pbuf_a, pbuf_b,
                        lambda h: digest_of(ra, start_a, h), lambda h: digest_of(rb, start_b, h))
    if exp:
        expected[purg.idx] = exp

    # 2. the bytes
    total_cmp = total_diff = total_expected = 0
    print("bytes [mem, mem+memsz) per segment, dump A vs dump B:")
    for i, sa in enumerate(ta):
        if i >= len(tb):
            break
        sb = tb[i]
        n = min(sa.memsz, sb.memsz)
        oa, ob = sa.mem - start_a, sb.mem - start_b
        if oa < 0 or ob < 0 or oa + n > len(ra) or ob + n > len(rb):
            findings.append("segment %d lies outside the dumped region" % i)
            continue
        runs = diff_runs(ra, rb, oa, ob, n)
        nd = sum(ndiff(ra[oa + x:oa + y], rb[ob + x:ob + y]) for x, y in runs)
        exp = expected.get(i, [])
        nexp = 0
        unexpected = []
        for x, y in runs:
            inside = next((e for e in exp if e[0] <= x and y <= e[0] + e[1]), None)
            if inside:
                nexp += ndiff(ra[oa + x:oa + y], rb[ob + x:ob + y])
            else:
                unexpected.append((x, y))
        total_cmp += n
        total_diff += nd
        total_expected += nexp
        print("  segment[%d] %-11s %10d bytes compared, %d differing (%d expected)" % (
            i, sa.name, n, nd, nexp))
        for off, ln, what in exp:
            print("      expected: +0x%x..+0x%x %s: %d of %d bytes differ" % (
                off, off + ln, what, ndiff(ra[oa + off:oa + off + ln], rb[ob + off:ob + off + ln]), ln))
        segbuf = ra[oa:oa + n]
        for x, y in unexpected[:20]:
            what = field(sa, segbuf, x)
            print("      DIFFERS: +0x%x..+0x%x (%d bytes) %s: A %s B %s" % (
                x, y, y - x, what, ra[oa + x:oa + min(y, x + 32)].hex(), rb[ob + x:ob + min(y, x + 32)].hex()))
            findings.append("segment[%d] %s +0x%x..+0x%x (%s)" % (i, sa.name, x, y, what))
        if len(unexpected) > 20:
            print("      ... %d more runs" % (len(unexpected) - 20))
            findings.append("segment[%d]: %d more differing runs" % (i, len(unexpected) - 20))

    # 4. B's dump vs B's manifest; the two system views
    for i, sb in enumerate(tb):
        if i in sums_b:
            got = hashlib.sha256(rb[sb.mem - start_b:sb.mem - start_b + sb.bufsz]).hexdigest()
            if got != sums_b[i]:
                findings.append("B's memory at segment %d is not the buffer its manifest lists" % i)
                print("B: segment[%d] in memory does not match the manifest's sha256" % i)
    if sums_b:
        print("B: memory holds the %d buffers of its --dump-plan manifest: %s" % (
            len(tb), "yes" if all(f.find("manifest") < 0 for f in findings) else "NO"))
    cmp = filecmp.dircmp(os.path.join(o.a, "rec/sysroot"), os.path.join(o.b, "rec/sysroot"))
    diffs = []

    def walk(c, p):
        diffs.extend(os.path.join(p, f) for f in c.diff_files + c.left_only + c.right_only + c.funny_files)
        for name, sub in c.subdirs.items():
            walk(sub, os.path.join(p, name))
    walk(cmp, "")
    diffs = [d for d in diffs if d != "proc/cmdline"]
    if "proc/kcore" in diffs and same_kcore_headers(os.path.join(o.a, "rec/sysroot/proc/kcore"),
                                                    os.path.join(o.b, "rec/sysroot/proc/kcore")):
        diffs.remove("proc/kcore")  # its notes describe the reading task: compare the headers only
    if "proc/iomem" in diffs and same_but_bios_roms(
            read(os.path.join(o.a, "rec/sysroot/proc/iomem")).splitlines(),
            read(os.path.join(o.b, "rec/sysroot/proc/iomem")).splitlines()):
        diffs.remove("proc/iomem")
        print("proc/iomem: A and B differ only in BIOS-area \"Adapter ROM\" lines (probe_roms' "
              "checksum scan; no loader reads them)")
    print("system views of boots A and B: %s" % (
        "identical (but proc/cmdline, and the notes of proc/kcore: its ELF and program headers are)"
        if not diffs else "differ: " + " ".join(diffs)))
    if diffs:
        findings.append("the two boots' system views differ: %s" % " ".join(diffs))
        # the lines that differ, so that a rare difference can be told apart
        for d in diffs[:4]:
            try:
                la = open(os.path.join(o.a, "rec/sysroot", d), errors="replace").read().splitlines()
                lb = open(os.path.join(o.b, "rec/sysroot", d), errors="replace").read().splitlines()
            except OSError:
                continue
            for line in list(difflib.unified_diff(la, lb, "A/" + d, "B/" + d, n=0, lineterm=""))[:12]:
                print("  " + line)

    if o.golden:
        write_golden(o.golden, o.a, ta, entry_a, ra, start_a, expected, roff, hashed)

    return report("%d segments, %d bytes compared, %d differing (%d expected: RNG seed + "
                  "purgatory_sha256_digest), %d findings" % (len(ta), total_cmp, total_diff, total_expected,
                                                             len(findings)), findings)


def write_golden(g, a, table, entry, region, start, expected, roff, hashed):
    os.makedirs(g, exist_ok=True)
    with open(os.path.join(g, "segments.txt"), "w") as f:
        f.write("# the in-kernel loader's crash plan (boot A's dmesg): index name mem memsz bufsz\n")
        f.write("# mask NAME OFFSET LENGTH: bytes expected to differ between loads (random)\n")
        for s in table:
            f.write("segment %d %s 0x%x 0x%x 0x%x\n" % (s.idx, s.name, s.mem, s.memsz, s.bufsz))
        if entry is not None:
            f.write("entry 0x%x\n" % entry)
        for s in table:
            for off, ln, what in expected.get(s.idx, []):
                f.write("mask %s 0x%x 0x%x %s\n" % (s.name, off, ln, what.replace(" ", "_")))
        if roff is not None:
            f.write("sha-regions purgatory 0x%x %s\n" % (roff, ",".join(s.name for s in hashed)))
    for s in table:
        if s.name in ("elfcorehdr", "boot_params", "purgatory"):
            with open(os.path.join(g, s.name + ".bin"), "wb") as f:
                f.write(region[s.mem - start:s.mem - start + s.bufsz])
    shutil.copy(os.path.join(a, "rec/kernel.log"), os.path.join(g, "kernel-plan.log"))
    shutil.copy(os.path.join(a, "rec/tool.log"), os.path.join(g, "tool.log"))
    shutil.copy(os.path.join(a, "rec/crash-region"), os.path.join(g, "crash-region"))
    if os.path.exists(os.path.join(a, "rec/notes")):
        shutil.copy(os.path.join(a, "rec/notes"), os.path.join(g, "notes"))
    shutil.rmtree(os.path.join(g, "sysroot"), ignore_errors=True)
    shutil.copytree(os.path.join(a, "rec/sysroot"), os.path.join(g, "sysroot"))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (Unusable, OSError, ValueError) as e:
        print("crash-compare: %s" % e)
        sys.exit(2)
