#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check an s390x dry-run plan (--dump-plan DIR, --print-plan output) against
the rules of Linux 6.1's s390 kexec_file, computed here from the inputs.

usage: golden-check.py VMLINUZ INITRD CMDLINE PURGATORY.ro PLANDIR PRINTFILE
Prints TAP."""
import hashlib
import os
import struct
import sys

from purgatory_elf import PurgatoryObject, align

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from tap import ok  # noqa: E402

PAGE = 0x1000
PARMAREA = 0x10400
RESTART_PSW = 0x0008000080000000


def eq(got, want, desc):
    if not ok(got == want, desc):
        print("#   got %s, want %s" % (hex(got) if isinstance(got, int) else got,
                                      hex(want) if isinstance(want, int) else want))


def be64(b, o):
    return struct.unpack_from(">Q", b, o)[0]


def be32(b, o):
    return struct.unpack_from(">I", b, o)[0]


def purgatory_layout(obj):
    """bufsz, memsz, {section index: offset} and the global symbols of the
    purgatory as the loader places it (purgatory_elf.py)."""
    p = PurgatoryObject(obj)
    return p.bufsz, p.memsz, p.offs, p.globals()


def main():
    vmlinuz, initrd, cmdline, purg, plandir, printfile = sys.argv[1:7]
    k = open(vmlinuz, "rb").read()
    ird = open(initrd, "rb").read()
    obj = open(purg, "rb").read()
    K, I = len(k), len(ird)
    segs = []
    for line in open(plandir + "/manifest"):
        w = line.split()
        if w[0] == "segment":
            segs.append(dict(mem=int(w[3], 16), memsz=int(w[4], 16), bufsz=int(w[5], 16),
                             buf=open(plandir + "/" + w[2], "rb").read()))
        elif w[0] == "entry":
            entry = int(w[1], 16)
    eq(len(segs), 4, "4 segments: kernel, initrd, purgatory, IPL report")
    if len(segs) != 4:
        return

    # kexec_image.c: the whole image at 0; kexec_add_buffer rounds memsz to pages
    eq(segs[0]["mem"], 0, "kernel: mem 0 (kexec_file_add_kernel_image: buf.mem = 0)")
    eq(segs[0]["bufsz"], K, "kernel: bufsz = file size 0x%x" % K)
    eq(segs[0]["memsz"], align(K, PAGE), "kernel: memsz = ALIGN(file size, PAGE_SIZE)")
    # machine_kexec_file.c kexec_file_add_initrd: at ALIGN(data->memsz), memsz = bufsz
    ird_mem = align(K, PAGE)
    eq(segs[1]["mem"], ird_mem, "initrd: mem = ALIGN(kernel size, PAGE_SIZE)")
    eq(segs[1]["bufsz"], I, "initrd: bufsz = file size 0x%x" % I)
    eq(segs[1]["memsz"], align(I, PAGE), "initrd: memsz = ALIGN(initrd size, PAGE_SIZE)")
    ok(segs[1]["buf"] == ird, "initrd: the file's bytes")
    # kexec_file_add_purgatory: buf.mem = ALIGN(data->memsz) with memsz = ALIGN(K) + I
    p_mem = align(ird_mem + I, PAGE)
    p_bufsz, p_memsz, p_offs, syms = purgatory_layout(obj)
    eq(segs[2]["mem"], p_mem, "purgatory: mem = ALIGN(initrd offset + initrd size, PAGE_SIZE), fixed")
    eq(segs[2]["bufsz"], p_bufsz, "purgatory: bufsz by kexec_purgatory_setup_kbuf")
    eq(segs[2]["memsz"], align(p_memsz, PAGE), "purgatory: memsz (+ .bss) page-aligned")
    # kexec_file_add_ipl_report: at ALIGN(data->memsz) after the purgatory
    r_mem = align(p_mem + align(p_memsz, PAGE), PAGE)
    # ipl_report_init: ALIGN(hdr.len = 0, 8) + rl_hdr + components + certificates,
    # + 2 component entries (kernel, initrd)
    r_size = 0 + 16 + 16 + 16 + 2 * 32
    eq(segs[3]["mem"], r_mem, "IPL report: mem = ALIGN(purgatory end, PAGE_SIZE)")
    eq(segs[3]["bufsz"], r_size, "IPL report: bufsz = 3 headers + 2 components (ipl_type unknown)")
    eq(segs[3]["memsz"], align(r_size, PAGE), "IPL report: memsz page-aligned")
    # kexec_file_add_components: data.kernel_mem == 0 -> image->start = 0
    eq(entry, 0, "entry = 0 (kernel at 0: started through the PSW at absolute 0)")
    printed = open(printfile).read()
    ok("entry = 0x0" in printed and "nr_segments = 4" in printed, "--print-plan agrees")

    kb = segs[0]["buf"]
    shndx, value, _ = syms["purgatory_start"]
    p_entry = p_mem + p_offs[shndx] + value
    eq(be64(kb, 0), RESTART_PSW + p_entry,
       "kernel[0]: restart PSW 0x0008000080000000 + purgatory_start (0x%x)" % p_entry)
    eq(be32(kb, 0x14), r_mem, "lowcore ipl_parmblock_ptr (0x14) = IPL report address")
    eq(be64(kb, PARMAREA + 0x08), ird_mem, "parmarea initrd_start = initrd offset")
    eq(be64(kb, PARMAREA + 0x10), I, "parmarea initrd_size = exact initrd size")
    eq(be64(kb, PARMAREA + 0x18), 0, "parmarea oldmem_base = 0 (normal load)")
    cl = cmdline.encode() + b"\0"
    ok(kb[PARMAREA + 0x80:PARMAREA + 0x80 + len(cl)] == cl,
       "parmarea command_line = the command line and its NUL (cmdline_len bytes)")
    maxcl = be64(k, PARMAREA + 0x30)
    ok(len(cl) < (maxcl or 896), "command line shorter than max_command_line_size 0x%x" % maxcl)
    same = (kb[8:0x14] == k[8:0x14] and kb[0x18:PARMAREA + 8] == k[0x18:PARMAREA + 8]
            and kb[PARMAREA + 0x18:PARMAREA + 0x80] == k[PARMAREA + 0x18:PARMAREA + 0x80]
            and kb[PARMAREA + 0x80 + len(cl):] == k[PARMAREA + 0x80 + len(cl):])
    ok(same, "every other byte of the image unchanged")

    pb = segs[2]["buf"]

    def sym(name):
        shndx, value, size = syms[name]
        return pb[p_offs[shndx] + value:p_offs[shndx] + value + size]
    eq(be64(sym("kernel_entry"), 0), 0x10000, "purgatory kernel_entry = STARTUP_NORMAL_OFFSET")
    eq(be64(sym("kernel_type"), 0), 0, "purgatory kernel_type = KEXEC_TYPE_DEFAULT")
    # kexec_calculate_store_digests: every segment but the purgatory, zero-padded to memsz
    regs = sym("purgatory_sha_regions")
    want = b"".join(struct.pack(">QQ", s["mem"], s["memsz"]) for s in (segs[0], segs[1], segs[3]))
    ok(regs == want + b"\0" * (256 - len(want)), "purgatory_sha_regions: kernel, initrd, report")
    h = hashlib.sha256()
    for s in (segs[0], segs[1], segs[3]):
        h.update(s["buf"] + b"\0" * (s["memsz"] - len(s["buf"])))
    ok(sym("purgatory_sha256_digest") == h.digest(), "purgatory_sha256_digest over those regions")

    # ipl_report_finish with hdr.len 0: IPLSR lands in byte 4 (the rl_hdr flags)
    rep = bytearray(r_size)
    struct.pack_into(">I", rep, 0, r_size)              # rl_hdr.len
    rep[4] = 0x20                                       # IPL_PL_FLAG_IPLSR
    struct.pack_into(">IB", rep, 16, 16 + 2 * 32, 2)    # components, IPL_RBT_COMPONENTS
    # kernel: added before kexec_add_buffer -> exact length; signed|verified, CERT_UNKNOWN
    struct.pack_into(">QQB5xH", rep, 32, 0, K, 0xc0, 0xffff)
    # initrd: after kexec_add_buffer -> page-aligned length; flags 0, cert 0
    struct.pack_into(">QQB5xH", rep, 64, ird_mem, align(I, PAGE), 0, 0)
    struct.pack_into(">IB", rep, 96, 16, 1)             # certificates, IPL_RBT_CERTIFICATES
    ok(segs[3]["buf"] == bytes(rep), "IPL report bytes by ipl_report_finish's layout")

    print("# plan: kernel 0x0+0x%x, initrd 0x%x+0x%x, purgatory 0x%x+0x%x (entry 0x%x), "
          "IPL report 0x%x+0x%x" % (align(K, PAGE), ird_mem, align(I, PAGE), p_mem,
                                    align(p_memsz, PAGE), p_entry, r_mem, align(r_size, PAGE)))


main()
print("1..%d" % tap.n)
sys.exit(1 if tap.failed else 0)
