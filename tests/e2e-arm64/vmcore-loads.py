#!/usr/bin/env python3
# vmcore-loads.py VMCORE_HEAD ELFCOREHDR: the PT_LOADs (vaddr, paddr,
# memsz) of the crash kernel's /proc/vmcore (its first bytes) against those
# of the ELF core headers ukexec handed to the kernel (the elfcorehdr
# segment of --dump-plan). Both are ELF64 little-endian (arm64). Prints the
# PT_LOADs and a last line; exit 1 when they differ.
import struct
import sys


def loads(path, what):
    head = open(path, 'rb').read()
    if len(head) < 64 or head[:4] != b'\x7fELF' or head[4] != 2 or head[5] != 1:
        sys.exit('%s: no ELF64 little-endian header in its first %d bytes' % (what, len(head)))
    phoff, = struct.unpack_from('<Q', head, 32)
    phentsize, phnum = struct.unpack_from('<HH', head, 54)
    out = []
    for i in range(phnum):
        o = phoff + i * phentsize
        if o + 56 > len(head):
            sys.exit('%s: program header %d beyond the %d bytes read' % (what, i, len(head)))
        p_type, _, _, vaddr, paddr, _, memsz, _ = struct.unpack_from('<IIQQQQQQ', head, o)
        if p_type == 1:
            out.append((vaddr, paddr, memsz))
    return out


def main():
    vmcore = loads(sys.argv[1], '/proc/vmcore')
    plan = loads(sys.argv[2], "ukexec's elfcorehdr")
    for load in vmcore:
        print('PT_LOAD vaddr=%#x paddr=%#x size=%#x' % load)
    if vmcore != plan:
        for load in plan:
            print('plan: PT_LOAD vaddr=%#x paddr=%#x size=%#x' % load)
        sys.exit('%d PT_LOADs in /proc/vmcore, %d in the plan: they differ' % (len(vmcore), len(plan)))
    print('%d PT_LOADs (vaddr, paddr, size), all equal' % len(vmcore))


main()
