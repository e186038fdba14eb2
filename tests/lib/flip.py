#!/usr/bin/env python3
"""flip.py FILE OFFSET...: XOR 0x5a into the bytes of FILE at the OFFSETs
(0x prefixes taken). The byte oracles' check of the check: a copy of a dump
with known bytes changed, which their comparison must report."""
import sys


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], "r+b") as f:
        for o in argv[2:]:
            o = int(o, 0)
            f.seek(o)
            b = f.read(1)
            if len(b) != 1:
                sys.stderr.write("flip.py: %s: no byte at 0x%x\n" % (argv[1], o))
                return 1
            f.seek(o)
            f.write(bytes([b[0] ^ 0x5a]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
