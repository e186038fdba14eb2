#!/usr/bin/env python3
"""A device tree blob for the --dtb tests, without dtc:
  fdt-edit.py add IN OUT NAME VALUE   IN with the root property NAME = VALUE
                                      (a NUL-terminated string) added first
  fdt-edit.py get BLOB PATH NAME      the property's value: a string as is,
                                      else the hex of its bytes"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fdtprops  # noqa: E402


def struct_size(blob, off):
    """The structure block's size up to its FDT_END (version 16 has no field)."""
    p = off
    while True:
        tag = struct.unpack(">I", blob[p:p + 4])[0]
        if tag == fdtprops.FDT_BEGIN_NODE:
            p = (blob.index(b"\0", p + 4) + 1 + 3) & ~3
        elif tag == fdtprops.FDT_PROP:
            p += 12 + ((struct.unpack(">I", blob[p + 4:p + 8])[0] + 3) & ~3)
        elif tag == fdtprops.FDT_END:
            return p + 4 - off
        else:
            p += 4


def add(blob, name, value):
    (magic, _, off_struct, off_strings, off_rsv, _, _, boot_cpu,
     size_strings) = struct.unpack(">9I", blob[:36])
    size_struct = struct_size(blob, off_struct)
    rsv = off_rsv
    while struct.unpack(">QQ", blob[rsv:rsv + 16]) != (0, 0):
        rsv += 16
    rsvmap = blob[off_rsv:rsv + 16]
    st = blob[off_struct:off_struct + size_struct]
    strings = blob[off_strings:off_strings + size_strings] + name.encode() + b"\0"
    val = value.encode() + b"\0"
    prop = struct.pack(">III", fdtprops.FDT_PROP, len(val), size_strings) + val
    prop += b"\0" * (-len(prop) % 4)
    root_end = (st.index(b"\0", 4) + 1 + 3) & ~3      # past the root's FDT_BEGIN_NODE and name
    st = st[:root_end] + prop + st[root_end:]
    head = 40 + (-40 % 8)
    off_rsv, off_struct = head, head + len(rsvmap)
    off_strings = off_struct + len(st)
    total = off_strings + len(strings)
    hdr = struct.pack(">10I", magic, total, off_struct, off_strings, off_rsv, 17, 16, boot_cpu,
                      len(strings), len(st))
    return hdr + b"\0" * (head - 40) + rsvmap + st + strings


def get(blob, path, name):
    for node, prop, off, n in fdtprops.props(blob):
        if node == path and prop == name:
            v = blob[off:off + n]
            if v.endswith(b"\0") and all(32 <= c < 127 for c in v[:-1]):
                return v[:-1].decode()
            return v.hex()
    raise SystemExit("%s: no property %s in %s" % (sys.argv[2], name, path))


if sys.argv[1] == "add":
    with open(sys.argv[2], "rb") as f:
        out = add(f.read(), sys.argv[4], sys.argv[5])
    with open(sys.argv[3], "wb") as f:
        f.write(out)
else:
    with open(sys.argv[2], "rb") as f:
        print(get(f.read(), sys.argv[3], sys.argv[4]))
