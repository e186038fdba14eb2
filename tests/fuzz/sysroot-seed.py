#!/usr/bin/env python3
"""Serialize recorded sysroots into fuzz-sysview inputs: records of u8 path
length, path, u16 LE data length, data (files over 65535 bytes are cut, as
the format holds). A file under sys/ stored gzip'ed (sys/firmware/fdt.gz)
goes in as the kernel shows it, uncompressed, without .gz. Each seed is
named after the sysroot's path. Usage: sysroot-seed.py OUTDIR SYSROOT..."""
import gzip
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
                data = f.read()
            if rel.startswith(b'sys/') and rel.endswith(b'.gz'):
                rel, data = rel[:-3], gzip.decompress(data)
            data = data[:65535]
            out += bytes([len(rel)]) + rel + struct.pack('<H', len(data)) + data
    return out


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for root in sys.argv[2:]:
        parts = [p for p in os.path.abspath(root).split('/') if p and p != 'sysroot']
        name = '-'.join(parts[-2:]) or 'root'
        with open(os.path.join(outdir, name + '.sysroot'), 'wb') as f:
            f.write(serialize(root))


main()
