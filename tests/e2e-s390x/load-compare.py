#!/usr/bin/env python3
"""Compare two s390x normal loads (kexec -l) of the same machine byte for
byte, in guest memory at the next kernel's entry
(tests/e2e-s390x/load-oracle.sh).

    load-compare.py [--purgatory-ro FILE] A B

A: the boot that loaded with the in-kernel loader (kexec -s -l), B: the one
that loaded ukexec's plan (kexec -c -l, ukexec's purgatory); same kernel,
initrd and command line. Each directory holds console.log (its
UKEXEC-MANIFEST: lines are the manifest of ukexec's --dry-run --dump-plan in
that boot, UKEXEC-PURG-B64: the planned purgatory, UKEXEC-KHEAD the kernel
segment's first 8 bytes as planned, UKEXEC-LOADPLAN: the manifest of B's
real load), mem.bin (guest memory [0, SIZE) dumped over QMP while the CPU
stood at 0x10000 with DAT off: the purgatory has run, the new kernel not
yet), mem.where ("0 SIZE") and gdb.json (the stop).

Checks:
  1. both boots' dry runs planned the same segment table, and B's load is
     that plan (the same manifest)
  2. the short PSW at absolute 0, which the purgatory writes before its last
     diag 308: 0x0008000080010000 in A and in B
  3. the kernel from byte 8 on (an ELF file: every PT_LOAD segment), the
     initrd and the IPL report (and any gap between segments): A's bytes
     equal B's over [mem, mem+memsz)
  4. B holds what its plan says: for every segment but the purgatory the
     manifest's sha256 over [mem, mem+bufsz) (the first 8 bytes of the
     segment at 0 taken from the plan: the purgatory rewrote them) and zeros
     up to memsz;
     the planned purgatory buffer hashes to the manifest's sha256, and B's
     purgatory memory differs from it only where the purgatory writes while
     it runs (saved_gprs, the stack in swap_buffer, .bss), named by symbol
     when --purgatory-ro (ukexec's purgatory/purgatory.ro) is given
  5. A's purgatory is the kernel's, not ours: counted (bytes differing from
     B's), not compared; but (with --purgatory-ro) it must hold B's planned
     purgatory_sha_regions (kexec_calculate_store_digests: {mem, memsz} of
     every other segment) and the SHA-256 of A's memory over them, taken
     with A's restart PSW at 0 (to the kernel's purgatory_start, found by its
     first instructions): the kernel's purgatory checked the bytes compared
Prints a report, "FINDING ..." lines for each difference, and a last line
"SUMMARY ...". Exit 0: no finding; 1: findings; 2: the inputs are unusable.
"""
import argparse
import base64
import bisect
import hashlib
import importlib.util
import json
import os
import struct
import sys

from purgatory_elf import PurgatoryObject, SHT_NOBITS, STT_SECTION, STT_FILE

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("crash_compare", os.path.join(HERE, "crash-compare.py"))
cc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cc)
Unusable, Seg = cc.Unusable, cc.Seg

ENTRY_PSW = 0x0008000080010000      # short PSW, 31-bit, STARTUP_NORMAL_OFFSET
RESTART_PSW = 0x0008000080000000    # + purgatory_start: the image's first 8 bytes
START_INSN = bytes.fromhex("a7180001ae100012")   # lhi %r1,1; sigp %r1,%r0,0x12
PAGE = 0x1000
# where ukexec's purgatory may write while it runs (purgatory/arch/s390x/head.S)
WRITABLE = ("saved_gprs", "swap_buffer")


class Boot:
    def __init__(self, d, name):
        self.dir, self.name = d, name
        try:
            with open(os.path.join(d, "console.log"), errors="replace") as f:
                log = f.read().replace("\r", "")
            with open(os.path.join(d, "mem.where")) as f:
                self.start, self.size = (int(x, 0) for x in f.read().split())
            with open(os.path.join(d, "mem.bin"), "rb") as f:
                self.mem = f.read()
        except (OSError, ValueError) as e:
            raise Unusable("%s: %s" % (d, e))
        lines = log.splitlines()

        def tagged(tag):
            return [l[len(tag):] for l in lines if l.startswith(tag)]
        self.manifest = tagged("UKEXEC-MANIFEST: ")
        self.loadplan = tagged("UKEXEC-LOADPLAN: ")
        self.segs = [Seg(l) for l in self.manifest if l.startswith("segment ")]
        if not self.segs:
            said = [l for l in lines if l.startswith(("UKEXEC-DRYRUN", "UKEXEC-PLAN: "))]
            raise Unusable("%s: no manifest in the console log (%s)" % (d, "; ".join(said[:3])))
        try:
            self.purg = base64.b64decode("".join(tagged("UKEXEC-PURG-B64: ")))
            kh = tagged("UKEXEC-KHEAD ")
            self.khead = base64.b64decode(kh[0]) if kh else None
        except ValueError as e:
            raise Unusable("%s: bad base64: %s" % (d, e))
        if self.start != 0 or len(self.mem) != self.size:
            raise Unusable("%s: mem.bin has %d bytes from 0x%x, not 0x%x from 0"
                           % (d, len(self.mem), self.start, self.size))
        try:
            with open(os.path.join(d, "gdb.json")) as f:
                self.stop = json.load(f)
        except (OSError, ValueError):
            self.stop = {}

    def read(self, mem, n):
        if mem < 0 or mem + n > self.size:
            raise Unusable("%s: 0x%x+0x%x lies outside the dump [0, 0x%x)" % (self.name, mem, n, self.size))
        return self.mem[mem:mem + n]

    def seg(self, what):
        return next((s for s in self.segs if s.what == what), None)


def runs(offs):
    """[(first, last)] of consecutive offsets"""
    out = []
    for o in offs:
        if out and out[-1][1] == o - 1:
            out[-1][1] = o
        else:
            out.append([o, o])
    return out


def hexb(b):
    return b.hex() if len(b) <= 16 else b[:16].hex() + "..."


class Purgatory:
    """Symbols of purgatory.ro placed as the loaders place its sections
    (purgatory_elf.py), for naming an offset."""

    def __init__(self, path):
        p = PurgatoryObject(open(path, "rb").read())
        self.sections = sorted((p.offs[i], p.offs[i] + s["size"], s["name"], s["type"] == SHT_NOBITS)
                               for i, s in enumerate(p.sections) if i in p.offs)
        self.syms = sorted(set((p.offs[shndx] + value, nm)
                               for nm, info, shndx, value, size in p.symbols
                               if shndx in p.offs and info & 0xf not in (STT_SECTION, STT_FILE)
                               and nm and not nm.startswith(".L")))
        self.addrs = [a for a, _ in self.syms]

    def where(self, off):
        """(symbol+offset, in a NOBITS section)"""
        sec = next((s for s in self.sections if s[0] <= off < s[1]), None)
        i = bisect.bisect_right(self.addrs, off) - 1
        nobits = bool(sec and sec[3])
        if i < 0 or (sec and self.addrs[i] < sec[0]):
            return ("%s+0x%x" % (sec[2], off - sec[0]) if sec else "+0x%x" % off), nobits
        a, nm = self.syms[i]
        return "%s+0x%x" % (nm, off - a), nobits


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--purgatory-ro")
    ap.add_argument("a")
    ap.add_argument("b")
    args = ap.parse_args(argv[1:])
    try:
        a, b = Boot(args.a, "A"), Boot(args.b, "B")
    except Unusable as e:
        print("unusable: %s" % e)
        print("SUMMARY unusable inputs")
        return 2
    purgro = None
    if args.purgatory_ro:
        try:
            purgro = Purgatory(args.purgatory_ro)
        except (OSError, ValueError, struct.error) as e:
            print("(no purgatory symbols: %s)" % e)
    findings = []

    def finding(msg):
        findings.append(msg)
        print("FINDING " + msg)

    for x in (a, b):
        st = x.stop.get("stops", [])
        last = st[-1] if st else {}
        print("%s: stopped at pswa %s pswm %s (%d stop%s)" % (
            x.name, last.get("pswa", "?"), last.get("pswm", "?"), len(st), "" if len(st) == 1 else "s"))
    print("plan (B's dry run):")
    for s in b.segs:
        print("  %s" % s)

    # 1. the tables
    if [s.key() for s in a.segs] != [s.key() for s in b.segs]:
        finding("the dry runs of A and B planned different segment tables")
        for s in a.segs:
            print("  A %s" % s)
    if b.loadplan != b.manifest:
        finding("B's load (kexec -c -l --dump-plan) is not its dry run's plan")
        for l in b.loadplan:
            print("  load: %s" % l)
    segs = sorted(b.segs, key=lambda s: s.mem)
    end = max(s.mem + s.memsz for s in segs)
    try:
        # 2. the PSW at 0
        psw_a, psw_b = struct.unpack(">Q", a.read(0, 8))[0], struct.unpack(">Q", b.read(0, 8))[0]
        print("PSW at 0: A 0x%016x, B 0x%016x (want 0x%016x)" % (psw_a, psw_b, ENTRY_PSW))
        if psw_a != ENTRY_PSW or psw_b != ENTRY_PSW:
            finding("PSW at 0: A 0x%016x B 0x%016x, not 0x%016x" % (psw_a, psw_b, ENTRY_PSW))

        # 3. A against B, all but the purgatory (and the PSW: 2.)
        ranges = []     # (name, base, mem, n): compare [mem, mem+n), offsets from base
        pos = 0
        for s in segs:
            if s.mem > pos:
                ranges.append(("gap", pos, pos, s.mem - pos))
            if s.what != "purgatory":
                skip = 8 if s.mem == 0 else 0
                ranges.append(("segment[%d] %s" % (s.idx, s.what), s.mem, s.mem + skip, s.memsz - skip))
            pos = max(pos, s.mem + s.memsz)
        compared = 8
        ndiff = 0
        names = ["PSW"]
        for what, base, mem, n in ranges:
            da, db = a.read(mem, n), b.read(mem, n)
            diff = cc.differing(da, db)
            compared += n
            ndiff += len(diff)
            names.append(what)
            print("%s [0x%x, 0x%x): %d bytes compared, %d differ" % (what, mem, mem + n, n, len(diff)))
            for lo, hi in runs(diff)[:16]:
                finding("%s +0x%x..+0x%x (%d bytes, at 0x%x): A %s B %s" % (
                    what, lo + mem - base, hi + 1 + mem - base, hi + 1 - lo, mem + lo,
                    hexb(da[lo:hi + 1]), hexb(db[lo:hi + 1])))
        if ndiff:
            print("A and B differ in %d bytes" % ndiff)

        # 4. B against its plan
        planned = 0
        written = []
        for s in b.segs:
            data = bytearray(b.read(s.mem, s.memsz))
            if s.what == "purgatory":
                if hashlib.sha256(b.purg).hexdigest() != s.sha256 or len(b.purg) != s.bufsz:
                    finding("B's planned purgatory (UKEXEC-PURG-B64, %d bytes) does not hash to the manifest's sha256"
                            % len(b.purg))
                    continue
                want = b.purg + bytes(s.memsz - s.bufsz)
                diff = cc.differing(bytes(data), want)
                bad = []
                where = {}
                for lo, hi in runs(diff):
                    if purgro:
                        nm, nobits = purgro.where(lo)
                        sym = nm.split("+")[0]
                        ok = nobits or sym in WRITABLE
                    else:       # no symbols: reported, not judged
                        nm, ok, sym = "+0x%x" % lo, True, "(no --purgatory-ro)"
                    where.setdefault(sym, 0)
                    where[sym] += hi + 1 - lo
                    if not ok:
                        bad.append((lo, hi, nm))
                written = sorted(where.items())
                if diff:
                    print("  B purgatory: the differing bytes span +0x%x..+0x%x (%s .. %s; at 0x%x..0x%x)" % (
                        diff[0], diff[-1] + 1,
                        purgro.where(diff[0])[0] if purgro else "?",
                        purgro.where(diff[-1])[0] if purgro else "?",
                        s.mem + diff[0], s.mem + diff[-1] + 1))
                print("B purgatory: %d bytes differ from the plan, written while it ran: %s" % (
                    len(diff), ", ".join("%s %d" % w for w in written) or "none"))
                for lo, hi, nm in bad:
                    finding("B purgatory +0x%x..+0x%x (%s, %d bytes): not the plan's %s but %s, and not "
                            "where the purgatory writes" % (lo, hi + 1, nm, hi + 1 - lo,
                                                             hexb(want[lo:hi + 1]), hexb(data[lo:hi + 1])))
                if not bad:
                    planned += 1
                continue
            if s.mem == 0:
                if b.khead is None or len(b.khead) != 8:
                    finding("no UKEXEC-KHEAD: the first 8 bytes of the segment at 0 as planned are unknown")
                    continue
                print("B segment[%d] %s: planned first 8 bytes %s (restart PSW to the purgatory)"
                      % (s.idx, s.what, b.khead.hex()))
                data[0:8] = b.khead
            ok = hashlib.sha256(bytes(data[:s.bufsz])).hexdigest() == s.sha256 and not any(data[s.bufsz:])
            print("B segment[%d] %s: %s" % (s.idx, s.what, "as planned" if ok else "NOT as planned"))
            if ok:
                planned += 1
            else:
                finding("B segment[%d] %s: memory does not hash to the plan's sha256 (or is not zero past bufsz)"
                        % (s.idx, s.what))
        pa = b.seg("purgatory")
        pdiff = None
        a_digest = "not looked for (no --purgatory-ro)"
        if pa:
            apurg = a.read(pa.mem, pa.memsz)
            pdiff = len(cc.differing(apurg, b.read(pa.mem, pa.memsz)))
            print("purgatory (not compared): A and B differ in %d of %d bytes" % (pdiff, pa.memsz))
            # the kernel's purgatory is not ours, but kexec_calculate_store_digests
            # (kernel/kexec_file.c) fills it as ukexec fills its own: the same
            # regions ({mem, memsz} of every other segment) and the digest of
            # their bytes. Those bytes differ from B's in one place only: the
            # restart PSW at 0 (kexec_file_add_components), which points at
            # the kernel's purgatory_start, not at ours.
            sym = dict((nm, o) for o, nm in purgro.syms) if purgro else {}
            if "purgatory_sha_regions" in sym:
                o = sym["purgatory_sha_regions"]
                others = [s for s in b.segs if s.what != "purgatory"]
                regions = b.purg[o:o + 16 * len(others)]
                want = b"".join(struct.pack(">QQ", s.mem, s.memsz) for s in others)
                if regions != want:
                    finding("B's planned purgatory_sha_regions are not {mem, memsz} of its other segments")
                ra = apurg.find(regions)
                a_digest = "regions NOT found"
                if ra < 0:
                    finding("A's purgatory (the kernel's) does not hold B's %d sha regions" % len(others))
                else:
                    # purgatory_start: lhi %r1,1; sigp %r1,%r0,SIGP_SET_ARCHITECTURE
                    starts, e = [], apurg.find(START_INSN)
                    while e >= 0:
                        starts.append(e)
                        e = apurg.find(START_INSN, e + 2)
                    hit = None
                    for e in starts:
                        h = hashlib.sha256()
                        for r in others:
                            d = bytearray(a.read(r.mem, r.memsz))
                            if r.mem == 0:
                                d[0:8] = struct.pack(">Q", RESTART_PSW + pa.mem + e)
                            h.update(bytes(d))
                        at = apurg.find(h.digest())
                        if at >= 0:
                            hit = (e, at, h.digest())
                            break
                    if hit:
                        a_digest = "found, entry +0x%x" % hit[0]
                        print("A purgatory: B's %d sha regions at +0x%x; the digest of A's memory over them, with "
                              "the restart PSW at 0 for purgatory_start at +0x%x (0x%x), at +0x%x (%s...)"
                              % (len(others), ra, hit[0], pa.mem + hit[0], hit[1], hit[2][:8].hex()))
                    else:
                        a_digest = "digest NOT found"
                        finding("A's purgatory (the kernel's): B's sha regions at +0x%x, but no digest of A's memory "
                                "over them (purgatory_start candidates: %s)"
                                % (ra, ", ".join("+0x%x" % e for e in starts) or "none"))
    except Unusable as e:
        print("unusable: %s" % e)
        print("SUMMARY unusable inputs")
        return 2

    print("SUMMARY %d bytes compared over [0, 0x%x) (%s), %d differ; B as planned in %d of %d segments"
          " (purgatory: %s written while running); purgatory A vs B: %s of %s bytes differ (not compared),"
          " A's digest and sha regions: %s%s"
          % (compared, end, ", ".join(names), ndiff, planned, len(b.segs),
             ", ".join("%s %d" % w for w in written) or "nothing",
             pdiff, pa.memsz if pa else "?", a_digest,
             "; %d findings" % len(findings) if findings else ""))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
