#!/usr/bin/env python3
# vmcore-loads.py VMCORE_HEAD ELFCOREHDR: the PT_LOADs of an arm64 crash
# kernel's /proc/vmcore (its first bytes: the headers and the notes)
#  - against those of the ELF core headers ukexec handed to the kernel (the
#    elfcorehdr segment of --dump-plan): (vaddr, paddr, memsz) equal;
#  - against the crashed kernel's own VMCOREINFO note, written by the kernel,
#    not by ukexec: the PT_LOAD holding SYMBOL(_stext) is the kernel image
#    mapping, vaddr = paddr + NUMBER(kimage_voffset); every other one is the
#    linear map, vaddr = (paddr - NUMBER(PHYS_OFFSET)) | PAGE_OFFSET, with
#    PAGE_OFFSET = -(1 << NUMBER(VA_BITS)) (arch/arm64/include/asm/memory.h).
# These are the translations vmcore-dmesg relies on. Both files are ELF64
# little-endian. Prints the PT_LOADs and a last line; exit 1 on a difference.
import struct
import sys

PT_LOAD, PT_NOTE = 1, 4


def phdrs(head, what):
    if len(head) < 64 or head[:4] != b'\x7fELF' or head[4] != 2 or head[5] != 1:
        sys.exit('%s: no ELF64 little-endian header in its first %d bytes' % (what, len(head)))
    phoff, = struct.unpack_from('<Q', head, 32)
    phentsize, phnum = struct.unpack_from('<HH', head, 54)
    out = []
    for i in range(phnum):
        o = phoff + i * phentsize
        if o + 56 > len(head):
            sys.exit('%s: program header %d beyond the %d bytes read' % (what, i, len(head)))
        out.append(struct.unpack_from('<IIQQQQQQ', head, o))
    return out


def loads(hdrs):
    return [(h[3], h[4], h[6]) for h in hdrs if h[0] == PT_LOAD]


def vmcoreinfo(head, hdrs):
    for h in hdrs:
        if h[0] != PT_NOTE:
            continue
        off, size = h[2], h[5]
        if off + size > len(head):
            sys.exit('/proc/vmcore: the notes (offset %#x, %#x bytes) beyond the %d bytes read'
                     % (off, size, len(head)))
        pos, end = off, off + size
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from('<III', head, pos)
            name = head[pos + 12:pos + 12 + namesz].rstrip(b'\0')
            desc = pos + 12 + (namesz + 3) // 4 * 4
            if name == b'VMCOREINFO':
                text = head[desc:desc + descsz].decode('ascii', 'replace')
                return dict(l.split('=', 1) for l in text.splitlines() if '=' in l)
            pos = desc + (descsz + 3) // 4 * 4
    sys.exit('/proc/vmcore: no VMCOREINFO note')


def main():
    head = open(sys.argv[1], 'rb').read()
    hdrs = phdrs(head, '/proc/vmcore')
    vmcore = loads(hdrs)
    plan = loads(phdrs(open(sys.argv[2], 'rb').read(), "ukexec's elfcorehdr"))
    for load in vmcore:
        print('PT_LOAD vaddr=%#x paddr=%#x size=%#x' % load)
    if vmcore != plan:
        for load in plan:
            print('plan: PT_LOAD vaddr=%#x paddr=%#x size=%#x' % load)
        sys.exit('%d PT_LOADs in /proc/vmcore, %d in the plan: they differ' % (len(vmcore), len(plan)))

    info = vmcoreinfo(head, hdrs)
    try:
        va_bits = int(info['NUMBER(VA_BITS)'], 0)
        voffset = int(info['NUMBER(kimage_voffset)'], 0)
        phys_offset = int(info['NUMBER(PHYS_OFFSET)'], 0)
        stext = int(info['SYMBOL(_stext)'], 16)
    except (KeyError, ValueError) as e:
        sys.exit('VMCOREINFO: no usable %s' % e)
    page_offset = (1 << 64) - (1 << va_bits)
    print('VMCOREINFO: VA_BITS=%d PHYS_OFFSET=%#x kimage_voffset=%#x _stext=%#x'
          % (va_bits, phys_offset, voffset, stext))
    text = [l for l in vmcore if l[0] <= stext < l[0] + l[2]]
    if len(text) != 1:
        sys.exit('%d PT_LOADs hold _stext %#x, not 1' % (len(text), stext))
    for vaddr, paddr, size in vmcore:
        if (vaddr, paddr, size) == text[0]:
            want = (paddr + voffset) & ((1 << 64) - 1)
            rule = 'paddr + kimage_voffset'
        else:
            want = ((paddr - phys_offset) | page_offset) & ((1 << 64) - 1)
            rule = '(paddr - PHYS_OFFSET) | PAGE_OFFSET'
        if vaddr != want:
            sys.exit('PT_LOAD paddr=%#x: vaddr %#x, the kernel says %#x (%s)' % (paddr, vaddr, want, rule))
    print('%d PT_LOADs (vaddr, paddr, size), all equal, and all where the kernel\'s VMCOREINFO puts them'
          % len(vmcore))


main()
