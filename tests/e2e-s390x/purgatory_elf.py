# SPDX-License-Identifier: GPL-2.0-or-later
"""An s390x purgatory object (ELF64 big-endian, ET_REL) laid out as the
kexec_file loaders lay it out (kernel/kexec_file.c,
kexec_purgatory_setup_kbuf and kexec_purgatory_setup_sechdrs): the SHF_ALLOC
sections in header order, each at its sh_addralign; the NOBITS ones apart,
after the file-backed part aligned to the largest NOBITS alignment. Shared by
golden-check.py and load-compare.py."""
import struct

SHF_ALLOC = 2
SHT_SYMTAB = 2
SHT_NOBITS = 8
STB_GLOBAL = 1
STT_SECTION, STT_FILE = 3, 4


def align(x, a):
    # the kernel's ALIGN()
    return (x + a - 1) & ~(a - 1)


class PurgatoryObject:
    """sections: [{name, type, flags, off, size, link, align}] by index;
    offs: {section index: offset in the loaded purgatory} (SHF_ALLOC only);
    bufsz: the file-backed part; memsz: with the NOBITS sections;
    symbols: [(name, info, shndx, value, size)]."""

    def __init__(self, obj):
        shoff, = struct.unpack_from(">Q", obj, 40)
        shnum, shstrndx = struct.unpack_from(">HH", obj, 60)
        self.sections = []
        for i in range(shnum):
            name, typ, flags, _, off, size, link, _, al, _ = \
                struct.unpack_from(">IIQQQQIIQQ", obj, shoff + 64 * i)
            self.sections.append(dict(name=name, type=typ, flags=flags, off=off, size=size,
                                      link=link, align=max(al, 1)))

        def cstr(sec, o):
            s = sec["off"] + o
            return obj[s:obj.index(b"\0", s)].decode()
        for s in self.sections:
            s["name"] = cstr(self.sections[shstrndx], s["name"])

        self.offs = {}
        bufsz = bss = 0
        bss_align = 1
        nobits = []
        for i, s in enumerate(self.sections):
            if not s["flags"] & SHF_ALLOC:
                continue
            if s["type"] != SHT_NOBITS:
                bufsz = align(bufsz, s["align"])
                self.offs[i] = bufsz
                bufsz += s["size"]
            else:
                bss_align = max(bss_align, s["align"])
                bss = align(bss, s["align"])
                nobits.append((i, bss))
                bss += s["size"]
        self.bufsz = align(bufsz, bss_align)
        self.memsz = self.bufsz + bss
        for i, o in nobits:
            self.offs[i] = self.bufsz + o

        self.symbols = []
        for s in self.sections:
            if s["type"] != SHT_SYMTAB:
                continue
            for j in range(s["size"] // 24):
                st_name, info, _, shndx, value, size = \
                    struct.unpack_from(">IBBHQQ", obj, s["off"] + 24 * j)
                self.symbols.append((cstr(self.sections[s["link"]], st_name), info, shndx,
                                     value, size))

    def globals(self):
        """{name: (section index, value, size)} of the defined global symbols"""
        return dict((nm, (shndx, value, size)) for nm, info, shndx, value, size in self.symbols
                    if nm and info >> 4 == STB_GLOBAL and shndx)
