"""Where a flattened device tree's properties are: a reader of the structure
block for the byte oracles (which bytes of a DTB are a given property's
value), not a validator."""
import struct

FDT_MAGIC = 0xd00dfeed
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


def props(blob):
    """[(node path, property name, value offset, value length)] in blob order;
    ValueError when blob is not a DTB or its structure block is cut."""
    if len(blob) < 40 or struct.unpack(">I", blob[0:4])[0] != FDT_MAGIC:
        raise ValueError("not a flattened device tree (no 0xd00dfeed magic)")
    off_struct, off_strings = struct.unpack(">II", blob[8:16])
    size_struct = struct.unpack(">I", blob[36:40])[0]
    p, end = off_struct, min(off_struct + size_struct, len(blob))
    path, out = [], []
    while p + 4 <= end:
        tag = struct.unpack(">I", blob[p:p + 4])[0]
        if tag == FDT_BEGIN_NODE:
            q = blob.index(b"\0", p + 4)
            path.append(blob[p + 4:q].decode("latin-1"))
            p = (q + 1 + 3) & ~3
        elif tag == FDT_END_NODE:
            path.pop()
            p += 4
        elif tag == FDT_PROP:
            n, nameoff = struct.unpack(">II", blob[p + 4:p + 12])
            q = blob.index(b"\0", off_strings + nameoff)
            name = blob[off_strings + nameoff:q].decode("latin-1")
            node = "/" + "/".join(x for x in path[1:])
            out.append((node, name, p + 12, n))
            p += 12 + ((n + 3) & ~3)
        elif tag == FDT_NOP:
            p += 4
        elif tag == FDT_END:
            return out
        else:
            raise ValueError("unknown structure tag 0x%x at +0x%x" % (tag, p))
    raise ValueError("structure block without FDT_END")
