#!/usr/bin/env python3
"""Record kexec-tools' option table per arch from its source tree.

    tests/compat/record-kexec-tools-options.py SRCDIR PROVENANCE > tests/compat/kexec-tools-2.0.25.options

SRCDIR is an unpacked kexec-tools source (e.g. `apt-get source
kexec-tools` of Debian 12: 1:2.0.25-3+deb12u3). The table main()'s
getopt_long() reads is KEXEC_ALL_OPTIONS of kexec/arch/<arch>/include/arch/
options.h (x86_64 includes i386's), built on KEXEC_OPTIONS of kexec/kexec.h.
Each option is classed as main() treats it: "common" (KEXEC_OPTIONS), "arch"
(numbered below the arch's OPT_ARCH_MAX) or "loader" (from OPT_ARCH_MAX on:
refused, exit 1, with an action that loads nothing). Output: one line per
arch and option, "ARCH NAME HAS_ARG CLASS", after comment lines naming the
source.
"""
import os
import re
import sys

ARCHES = {"x86_64": "i386", "s390x": "s390", "arm64": "arm64", "ppc64": "ppc64"}
OPTION = re.compile(r'\{\s*"([^"]+)"\s*,\s*(\d)\s*,\s*[^,]+,\s*([A-Za-z_0-9\']+)\s*\}')


def macro(text, name):
    """The body of #define NAME, its continuation lines joined."""
    m = re.search(r'^#define\s+%s\b(.*?)(?<!\\)$' % name, text, re.M | re.S)
    if not m:
        return None
    return m.group(1).replace("\\\n", " ")


def values(text):
    """OPT_* defines as (base, offset) or int."""
    out = {}
    for m in re.finditer(r'^#define\s+(OPT_\w+)\s+(.+)$', text, re.M):
        out[m.group(1)] = m.group(2).strip()
    return out


def resolve(name, defs):
    v = defs[name]
    v = v.strip("()").replace("(", "").replace(")", "")
    if re.fullmatch(r"'.'", v):
        return ord(v[1])
    if re.fullmatch(r"\d+", v):
        return int(v)
    base, _, off = v.partition("+")
    return resolve(base.strip(), defs) + int(off or 0)


def main():
    src, provenance = sys.argv[1], sys.argv[2]
    kexec_h = open(os.path.join(src, "kexec/kexec.h")).read()
    common = [m.group(1) for m in OPTION.finditer(macro(kexec_h, "KEXEC_OPTIONS"))]
    print("# kexec-tools' getopt table per arch: ARCH NAME HAS_ARG CLASS")
    print("# recorded by tests/compat/record-kexec-tools-options.py from %s" % provenance)
    print("# (kexec/kexec.h KEXEC_OPTIONS; kexec/arch/<arch>/include/arch/options.h KEXEC_ALL_OPTIONS)")
    for arch, srcarch in ARCHES.items():
        text = open(os.path.join(src, "kexec/arch", srcarch, "include/arch/options.h")).read()
        defs = values(kexec_h)
        defs.update(values(text))
        body = macro(text, "KEXEC_ALL_OPTIONS")
        # KEXEC_ALL_OPTIONS names KEXEC_ARCH_OPTIONS, which names KEXEC_OPTIONS
        body = body.replace("KEXEC_ARCH_OPTIONS", macro(text, "KEXEC_ARCH_OPTIONS"))
        body = body.replace("KEXEC_OPTIONS", macro(kexec_h, "KEXEC_OPTIONS"))
        arch_max = resolve("OPT_ARCH_MAX", defs)
        seen = set()
        for m in OPTION.finditer(body):
            name, has_arg, opt = m.groups()
            if name in seen:
                continue
            seen.add(name)
            if name in common:
                cls = "common"
            else:
                cls = "loader" if resolve(opt, defs) >= arch_max else "arch"
            print("%s %s %s %s" % (arch, name, has_arg, cls))


if __name__ == "__main__":
    main()
