"""Byte comparison of guest memory dumps, shared by the QEMU byte oracles:
where two buffers differ, as runs, with some bytes left out (masked)."""


def diff_runs(a, b, chunk=1 << 16):
    """[(lo, hi)]: the maximal runs of offsets in [lo, hi) where the
    equal-length buffers a and b differ (chunks equal as a whole skipped)."""
    if len(a) != len(b):
        raise ValueError("buffers of %d and %d bytes" % (len(a), len(b)))
    runs = []
    for c in range(0, len(a), chunk):
        x, y = a[c:c + chunk], b[c:c + chunk]
        if x == y:
            continue
        for i in range(len(x)):
            if x[i] == y[i]:
                continue
            if runs and runs[-1][1] == c + i:
                runs[-1] = (runs[-1][0], c + i + 1)
            else:
                runs.append((c + i, c + i + 1))
    return runs


def masked(buf, masks):
    """buf with the ranges [(off, n)] zeroed: those bytes compare equal"""
    if not masks:
        return buf
    out = bytearray(buf)
    for off, n in masks:
        out[off:off + n] = bytes(n)
    return bytes(out)


def nbytes(runs):
    return sum(hi - lo for lo, hi in runs)


def hexb(b, limit=16):
    return b.hex() if len(b) <= limit else b[:limit].hex() + "..."
