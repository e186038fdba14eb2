#!/usr/bin/env python3
"""Serialize recorded sysroots into fuzz-sysview inputs: records of u8 path
length, path, u16 LE data length, data (files over 65535 bytes are cut, as
the format holds). Usage: sysroot-seed.py OUTDIR SYSROOT..."""
import os
import struct
import sys


def serialize(root):
    out = bytearray()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root).encode()
            if len(rel) > 255 or not os.path.isfile(full):
                continue
            with open(full, 'rb') as f:
                data = f.read(65535)
            out += bytes([len(rel)]) + rel + struct.pack('<H', len(data)) + data
    return out


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for root in sys.argv[2:]:
        name = os.path.basename(os.path.dirname(os.path.abspath(root).rstrip('/'))) or 'root'
        with open(os.path.join(outdir, name + '.sysroot'), 'wb') as f:
            f.write(serialize(root))


main()
