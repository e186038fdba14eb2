"""The rules the ppc64 byte oracles share (crash-bytes.py: -p read back
through /proc/kcore; load-compare.py: -l dumped at the purgatory's entry):
which bytes of a load are random, and the digest the kernel stores in its
purgatory (kexec_calculate_store_digests)."""
import hashlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fdtprops  # noqa: E402

FDT_MAGIC = b"\xd0\x0d\xfe\xed"
SEEDS = ("kaslr-seed", "rng-seed")
DIGEST_SIZE = 32


def fdt_seeds(blob):
    """[(offset, len)]: the values of /chosen's kaslr-seed and rng-seed,
    random in each load"""
    return [(off, n) for node, name, off, n in fdtprops.props(blob)
            if node == "/chosen" and name in SEEDS]


def segments_sha256(segs, get, skip):
    """the SHA-256 the kernel stores in the purgatory: every segment but
    skip's, in load order, its first bufsz bytes then zeros up to memsz.
    segs: [(bufsz, mem, memsz)]; get(i): segment i's bytes (at least bufsz)"""
    h = hashlib.sha256()
    for i, (bufsz, _, memsz) in enumerate(segs):
        if i != skip:
            h.update(get(i)[:bufsz])
            h.update(bytes(memsz - bufsz))
    return h.digest()
