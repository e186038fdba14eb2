#!/usr/bin/env python3
"""The host-side decoders of tests/e2e-x86_64/record.sh (efi and high machines).

    record-decode.py plan KIND KERNEL-PLAN-P CRASH-REGION OUT
        OUT/segments-p.txt (and, KIND high, OUT/crash-regions) from the
        in-kernel crash load's dmesg and the guest's "Crash kernel" lines.
        Prints "region START END" (the crash region holding the segments,
        inclusive) and one "NAME MEM BUFSZ" line per segment to save.
        Fails unless every segment lies in that region (KIND high: the high
        one of exactly two).
    record-decode.py boot-params-efi FILE LOADADDR
    record-decode.py boot-params-high FILE LOADADDR LOW HIGH
        boot_params (+ cmdline, EFI map, E820, setup_data) as the kernel's
        bzImage64 loader wrote it; LOW/HIGH "start:end" mark the crash regions
    record-decode.py elfcorehdr FILE LOW HIGH
        the ELF core header: program headers, and which System RAM the
        PT_LOADs leave out
"""
import re
import struct
import sys


def plan(kind, plan_log, regfile, out):
    text = open(plan_log).read()
    # 6.12 (KEXEC_FILE_DEBUG): "segment[N]: buf=..."; 6.1 (dynamic debug): "Loading segment N: buf=..."
    segs = [(int(i or j), int(b, 16), int(m, 16), int(z, 16)) for i, j, b, m, z in
            re.findall(r"(?:segment\[(\d+)\]|Loading segment (\d+)): buf=\S+ bufsz=(0x[0-9a-f]+) "
                       r"mem=(0x[0-9a-f]+) memsz=(0x[0-9a-f]+)", text)]
    entry = re.findall(r"kexec_file_load: type:1, start:(0x[0-9a-f]+)", text)

    def at(pat):
        m = re.search(pat, text)
        return int(m.group(1), 16) if m else None
    names = {at(r"Loaded ELF headers at (0x[0-9a-f]+)"): "elfcorehdr",
             at(r"Loaded purgatory at (0x[0-9a-f]+)"): "purgatory",
             at(r"Loaded boot_param, command line and misc at (0x[0-9a-f]+)"): "boot_params",
             at(r"Loaded 64bit kernel at (0x[0-9a-f]+)"): "kernel",
             at(r"Loaded initrd at (0x[0-9a-f]+)"): "initrd"}
    regs = sorted((int(s, 16), int(e, 16)) for s, e in
                  re.findall(r"^\s*([0-9a-f]+)-([0-9a-f]+) : Crash kernel$", open(regfile).read(), re.M))
    if kind == "high":
        if len(regs) != 2 or not segs:
            sys.exit("want 2 crash regions and a segment table, have %d regions, %d segments"
                     % (len(regs), len(segs)))
        with open(out + "/crash-regions", "w") as f:
            f.write("low 0x%x 0x%x\nhigh 0x%x 0x%x\n" % (regs[0] + regs[1]))
        regs = regs[1:]
    if not regs or not segs:
        sys.exit("want a crash region and a segment table, have %d regions, %d segments"
                 % (len(regs), len(segs)))
    region = regs[-1]
    bad = [i for i, b, m, z in segs if not (region[0] <= m and m + z - 1 <= region[1])]
    if bad:
        sys.exit("segments outside the %scrash region: %s" % ("high " if kind == "high" else "", bad))
    print("region 0x%x 0x%x" % region)
    with open(out + "/segments-p.txt", "w") as f:
        f.write("# the in-kernel loader's crash plan (kernel-plan-p.log): index name mem memsz bufsz\n")
        for i, bufsz, mem, memsz in segs:
            name = names.get(mem, "segment%d" % i)
            f.write("segment %d %s 0x%x 0x%x 0x%x\n" % (i, name, mem, memsz, bufsz))
            if name in ("elfcorehdr", "boot_params", "purgatory"):
                print("%s 0x%x 0x%x" % (name, mem, bufsz))
        if entry:
            f.write("entry %s\n" % entry[-1])


class Bytes:
    def __init__(self, path):
        self.b = open(path, "rb").read()

    def u8(self, o):
        return self.b[o]

    def u32(self, o):
        return struct.unpack_from("<I", self.b, o)[0]

    def u64(self, o):
        return struct.unpack_from("<Q", self.b, o)[0]


def region_arg(r):
    return tuple(int(x, 0) for x in r.split(":"))


def boot_params_head(d, base):
    print("segment: %d (0x%x) bytes, loaded at 0x%x" % (len(d.b), len(d.b), base))
    print("acpi_rsdp_addr (0x070): 0x%x" % d.u64(0x70))


def boot_params_cmdline(d, base):
    b = d.b
    cl, clsz = d.u32(0x228) | d.u32(0xc8) << 32, d.u32(0x238)
    print("cmd_line_ptr (0x228) 0x%x = segment offset 0x%x, cmdline_size %d" % (cl, cl - base, clsz))
    o = cl - base
    if 0 <= o < len(b):
        s = b[o:b.index(b"\0", o)]
        print("  cmdline (%d bytes): %s" % (len(s), s.decode()))
    print("ramdisk_image 0x%x ramdisk_size 0x%x" % (d.u32(0x218) | d.u32(0xc0) << 32,
                                                   d.u32(0x21c) | d.u32(0xc4) << 32))


# setup_data_chain: each entry's header, then decode(type, len, data) prints its data
def setup_data_chain(d, base, decode):
    b = d.b
    sd = d.u64(0x250)
    print("hdr.setup_data (0x250): 0x%x" % sd)
    while sd:
        o = sd - base
        if not 0 <= o < len(b):
            print("  setup_data at 0x%x: outside the segment" % sd)
            break
        nxt, t, ln = struct.unpack_from("<QII", b, o)
        print("  setup_data at 0x%x (segment offset 0x%x): type %d len %d next 0x%x" % (sd, o, t, ln, nxt))
        decode(t, ln, b[o + 16:o + 16 + ln])
        sd = nxt


def boot_params_efi(path, base):
    d = Bytes(path)
    b = d.b
    boot_params_head(d, base)
    sig, st, dsz, dver, mm, mmsz, sthi, mmhi = struct.unpack_from("<8I", b, 0x1c0)
    print("efi_info (0x1c0):")
    print("  efi_loader_signature 0x%08x %r" % (sig, struct.pack("<I", sig)))
    print("  efi_systab 0x%x (lo 0x%x hi 0x%x)" % (st | sthi << 32, st, sthi))
    print("  efi_memdesc_size 0x%x (%d) efi_memdesc_version %d" % (dsz, dsz, dver))
    mmap = mm | mmhi << 32
    print("  efi_memmap 0x%x (lo 0x%x hi 0x%x) = segment offset 0x%x" % (mmap, mm, mmhi, mmap - base))
    print("  efi_memmap_size 0x%x (%d): %s descriptors" % (mmsz, mmsz, mmsz // dsz if dsz else "?"))
    print("secure_boot (0x1ec): %d" % d.u8(0x1ec))
    boot_params_cmdline(d, base)
    types = {0: "Reserved", 1: "LoaderCode", 2: "LoaderData", 3: "BootServicesCode", 4: "BootServicesData",
             5: "RuntimeServicesCode", 6: "RuntimeServicesData", 7: "Conventional", 8: "Unusable",
             9: "ACPIReclaim", 10: "ACPINVS", 11: "MMIO", 12: "MMIOPortSpace", 13: "PalCode", 14: "Persistent"}
    if dsz and 0 <= mmap - base < len(b):
        print("EFI memory map at segment offset 0x%x (%d x %d bytes):" % (mmap - base, mmsz // dsz, dsz))
        for i in range(mmsz // dsz):
            o = mmap - base + i * dsz
            t, pad, pa, va, n, at = struct.unpack_from("<IIQQQQ", b, o)
            print("  [%2d] type %2d %-20s phys 0x%016x-0x%016x virt 0x%016x pages 0x%x attr 0x%016x" %
                  (i, t, types.get(t, "?"), pa, pa + n * 4096 - 1, va, n, at))
    n = d.u8(0x1e8)
    print("e820_entries (0x1e8): %d; e820_table (0x2d0):" % n)
    for i in range(n):
        a, sz, t = struct.unpack_from("<QQI", b, 0x2d0 + 20 * i)
        print("  %016x-%016x (%d)" % (a, a + sz - 1, t))

    def decode(t, ln, data):
        if t == 4 and ln >= 32:
            fv, un, tab, smb = struct.unpack_from("<4Q", data)
            print("    SETUP_EFI: fw_vendor 0x%x __unused 0x%x tables 0x%x smbios 0x%x reserved %s" %
                  (fv, un, tab, smb, data[32:].hex()))
        else:
            print("    data %s" % data.hex())
    setup_data_chain(d, base, decode)


def boot_params_high(path, base, lo, hi):
    d = Bytes(path)
    b = d.b
    boot_params_head(d, base)
    print("efi_info.efi_loader_signature (0x1c0): 0x%08x (BIOS boot: 0)" % d.u32(0x1c0))
    boot_params_cmdline(d, base)
    names = {1: "RAM", 2: "reserved", 3: "ACPI", 4: "NVS", 5: "unusable", 7: "PMEM", 12: "PRAM"}
    n = d.u8(0x1e8)
    print("e820_entries (0x1e8): %d; e820_table (0x2d0):" % n)
    for i in range(n):
        a, sz, t = struct.unpack_from("<QQI", b, 0x2d0 + 20 * i)
        e = a + sz - 1
        note = ""
        if (a, e) == lo:
            note = "  <- crashk_low_res (the low crash region)"
        elif (a, e) == hi:
            note = "  <- crashk_res (the high crash region)"
        elif a <= lo[0] and lo[1] <= e:
            note = "  (holds the low crash region)"
        print("  [%2d] %016x-%016x (%d %s)%s" % (i, a, e, t, names.get(t, "?"), note))
    setup_data_chain(d, base, lambda t, ln, data: print("    data %s" % data.hex()))


def elfcorehdr(path, lo, hi):
    b = open(path, "rb").read()
    assert b[:4] == b"\x7fELF" and b[4] == 2, "not an ELF64 header"
    (e_type, e_machine, e_version, e_entry, e_phoff, e_shoff, e_flags, e_ehsize,
     e_phentsize, e_phnum) = struct.unpack_from("<HHIQQQIHHH", b, 16)
    print("ELF64 type %d machine %d phoff 0x%x phentsize %d phnum %d" % (e_type, e_machine, e_phoff,
                                                                       e_phentsize, e_phnum))
    types = {1: "PT_LOAD", 4: "PT_NOTE"}
    loads = []
    for i in range(e_phnum):
        p_type, p_flags, off, va, pa, fsz, msz, al = struct.unpack_from("<IIQQQQQQ", b, e_phoff + i * e_phentsize)
        extra = ""
        if p_type == 1:
            loads.append((pa, pa + msz - 1))
            extra = " phys 0x%x-0x%x" % (pa, pa + msz - 1)
        print("  [%2d] %-7s flags %d offset 0x%x vaddr 0x%x paddr 0x%x filesz 0x%x memsz 0x%x%s" %
              (i, types.get(p_type, str(p_type)), p_flags, off, va, pa, fsz, msz, extra))
    print("PT_LOAD physical ranges (the kernel text first, then System RAM):")
    for a, e in loads:
        print("  0x%016x-0x%016x" % (a, e))
    ram = sorted(set(loads[1:]))
    print("gaps between consecutive System RAM PT_LOADs:")
    for (a1, e1), (a2, e2) in zip(ram, ram[1:]):
        if a2 > e1 + 1:
            g = (e1 + 1, a2 - 1)
            note = ""
            if g == lo:
                note = "  = crashk_low_res (excluded)"
            elif g == hi:
                note = "  = crashk_res (excluded)"
            print("  0x%016x-0x%016x%s" % (g + (note,)))
    for name, r in (("low", lo), ("high", hi)):
        inside = [x for x in ram if not (x[1] < r[0] or x[0] > r[1])]
        print("%s crash region 0x%x-0x%x: %s" % (name, r[0], r[1],
              "excluded (no PT_LOAD overlaps it)" if not inside else "OVERLAPPED by %s" % inside))


def main(argv):
    cmd, args = (argv[1], argv[2:]) if len(argv) > 1 else (None, [])
    if cmd == "plan" and len(args) == 4:
        plan(*args)
    elif cmd == "boot-params-efi" and len(args) == 2:
        boot_params_efi(args[0], int(args[1], 0))
    elif cmd == "boot-params-high" and len(args) == 4:
        boot_params_high(args[0], int(args[1], 0), region_arg(args[2]), region_arg(args[3]))
    elif cmd == "elfcorehdr" and len(args) == 3:
        elfcorehdr(args[0], region_arg(args[1]), region_arg(args[2]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
