#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Wrap tests/e2e-x86_64/nbitest.S's flat binary in a network boot image
(Etherboot's nbi format, as kexec-tools' nbi loader reads it): the 512-byte
header loaded at 0x1000:0000, the program at 0x20000 (an absolute segment),
the message at 0x21000 (a segment appended to it), entered at 0x2000:0000
in real mode, or with --entry32 at 0x20100 in 32-bit protected mode.

    mknbi.py [--entry32] PROGRAM.bin MESSAGE OUT.nbi
"""
import struct
import sys

MAGIC = b'\x36\x13\x03\x1b'
ENTRY32 = 1 << 31
ABSOLUTE, APPEND, LAST = 0, 1, 1 << 2


def segment(flags, loadaddr, data, memlength):
    # length: 4 dwords, no vendor data; vendortag, reserved, flags
    return struct.pack('<BBBBIII', 4, 0, 0, flags, loadaddr, len(data), memlength)


def main(argv):
    entry32 = argv[:1] == ['--entry32']
    prog, msg, out = argv[1:] if entry32 else argv
    code = open(prog, 'rb').read()
    text = msg.encode() + b' '
    length = 4 | (ENTRY32 if entry32 else 0)
    entry = struct.pack('<I', 0x20100) if entry32 else struct.pack('<HH', 0x0000, 0x2000)
    hdr = MAGIC + struct.pack('<IHH', length, 0x0000, 0x1000) + entry
    hdr += segment(ABSOLUTE, 0x20000, code, 0x1000)
    hdr += segment(APPEND | LAST, 0, text + b'\0', 0x1000)
    hdr = hdr.ljust(510, b'\0') + b'\x55\xaa'
    open(out, 'wb').write(hdr + code + text + b'\0')


if __name__ == '__main__':
    main(sys.argv[1:])
