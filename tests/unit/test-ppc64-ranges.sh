#!/bin/bash
# ppc64's memory view and exclude ranges on synthetic machines: the recorded
# pseries machine of tests/golden/ppc64-pseries-6.1 (1 GiB at 0, radix, 4 KiB
# pages), copied and given one more device-tree fact at a time, the way the
# 6.1 kernel would read it (arch/powerpc/kexec/ranges.c, file_load_64.c,
# kernel/prom.c). Each fact must move a segment or change the next kernel's
# device tree: a TCE table (linux,tce-base/-size of a PCI node), the hash
# page table (/chosen/linux,htab-base/-size), /reserved-ranges, a retained
# initrd (retain_initrd + /chosen/linux,initrd-*), mem= (linux,memory-limit),
# dynamic-reconfiguration LMBs assigned to the partition (ibm,dynamic-memory-v2
# flags; hot-removable ones with movable_node; iommu=off), a hash MMU LPAR's
# RMA (/proc/cpuinfo); and what the sysroot cannot
# tell is said by -d. The loaded image is a small made-up ppc64 vmlinux; the
# purgatory is the oracle kernel's (in the tree).
. "${top_srcdir:-.}/tests/unit/ppc64-env.sh"
golden=$dir
command -v python3 >/dev/null || skip_all "no python3 (the made-up vmlinux, the FDT reader)"

# a ppc64le vmlinux: one PT_LOAD (paddr 0, 128 KiB in the file, 256 KiB in memory)
python3 - "$tmp/vmlinux" <<'EOF'
import struct, sys
off, filesz, memsz = 0x10000, 0x20000, 0x40000
eh = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + bytes(9), 2, 21, 1,
                 0xc000000000000000, 64, 0, 0, 64, 56, 1, 64, 0, 0)
ph = struct.pack('<IIQQQQQQ', 1, 7, off, 0xc000000000000000, 0, filesz, memsz, 0x10000)
body = bytes(range(256)) * (filesz // 256)
open(sys.argv[1], 'wb').write((eh + ph).ljust(off, b'\0') + body)
EOF
printf 'ukexec ppc64 ranges test initrd\n' > "$tmp/initrd"

# fdt_facts FDT: "rsv BASE SIZE" per /memreserve/ entry, "prop PATH NAME HEX" per
# property, "usable PATH BASE SIZE" per linux,usable-memory pair
fdt_facts() {
	python3 - "$1" <<'EOF'
import struct, sys
b = open(sys.argv[1], 'rb').read()
magic, total, off_struct, off_strings, off_rsv = struct.unpack('>5I', b[:20])
p = off_rsv
while True:
    base, size = struct.unpack('>QQ', b[p:p + 16]); p += 16
    if not base and not size:
        break
    print('rsv 0x%x 0x%x' % (base, size))
p, path = off_struct, []
while True:
    tok, = struct.unpack('>I', b[p:p + 4]); p += 4
    if tok == 1:
        e = b.index(b'\0', p); path.append(b[p:e].decode()); p = (e + 4) & ~3
    elif tok == 2:
        path.pop()
    elif tok == 3:
        ln, no = struct.unpack('>II', b[p:p + 8]); p += 8
        name = b[off_strings + no:b.index(b'\0', off_strings + no)].decode()
        print('prop %s %s %s' % ('/'.join(path) or '/', name, b[p:p + ln].hex()))
        if name == 'linux,usable-memory':
            for i in range(0, ln, 16):
                print('usable %s 0x%x 0x%x' % ('/'.join(path) or '/', *struct.unpack('>QQ', b[p + i:p + i + 16])))
        p = (p + ln + 3) & ~3
    elif tok == 9:
        break
EOF
}

# machine NAME: a copy of the recorded machine to change
machine() {
	rm -rf "$tmp/$1"
	cp -a "$golden/sysroot" "$tmp/$1"
	chmod -R u+w "$tmp/$1"
	# the tree the tool reads (a symlink to sys/firmware/devicetree/base, a copy in a dist tarball)
	dt=$tmp/$1/proc/device-tree
}
# be64 VALUE FILE, be32 VALUE FILE: a property's bytes
be64() { python3 -c "import struct,sys; open(sys.argv[2],'wb').write(struct.pack('>Q', int(sys.argv[1], 0)))" "$1" "$2"; }
be32() { python3 -c "import struct,sys; open(sys.argv[2],'wb').write(struct.pack('>I', int(sys.argv[1], 0)))" "$1" "$2"; }

# plan NAME [-p] [ARGS]: the plan of machine NAME in $tmp/NAME.plan, -d in $tmp/NAME.log,
# the segments in $tmp/NAME.dump (--dump-plan); "what mem memsz" lines in $tmp/NAME.seg
plan() {
	local name=$1; shift
	local mode=-l
	[ "${1:-}" = -p ] && { mode=-p; shift; }
	rm -rf "$tmp/$name.dump"
	"$kexec" --dry-run -d --sysroot="$tmp/$name" --arch=ppc64 $mode "$tmp/vmlinux" \
		--initrd="$tmp/initrd" --append="console=hvc0" --purgatory="$golden/kexec_purgatory" \
		--dump-plan="$tmp/$name.dump" "$@" >"$tmp/$name.plan" 2>"$tmp/$name.log"
	local ret=$?
	sed -n -E 's/^(kernel|purgatory|initrd|device tree|backup region|elfcorehdr): placed at (0x[0-9a-f]+) .*memsz=(0x[0-9a-f]+).*/\1=\2/p' \
		"$tmp/$name.log" | tr ' ' _ > "$tmp/$name.seg"
	return $ret
}
# at NAME WHAT: where WHAT ("purgatory", "initrd", "device_tree") went
at() { sed -n "s/^$2=//p" "$tmp/$1.seg"; }
fdt_of() { echo "$tmp/$1.dump/$(awk '$NF == "tree" && $(NF-1) == "device" { print $3 }' "$tmp/$1.dump/manifest")"; }

machine base
plan base
ok $? "the recorded machine, a made-up vmlinux: planned"
[ "$(at base purgatory)" = 0x3ffff000 ] && [ "$(at base device_tree)" = 0x3fffa000 ]
ok $? "without more facts: the purgatory at $(at base purgatory), the FDT at $(at base device_tree), the top of 1 GiB"
grep -q "ppc64_rma_size: no .*/proc/cpuinfo to tell the MMU: radix assumed" "$tmp/base.log"
ok $? "no /proc/cpuinfo: -d says the MMU is unknown and radix is assumed"
fdt_facts "$(fdt_of base)" > "$tmp/base.facts"

# a TCE table at the top of memory: excluded, and in the next kernel's /memreserve/
machine tce
be64 0x3ff00000 "$dt/pci@800000020000000/linux,tce-base"
be32 0x100000 "$dt/pci@800000020000000/linux,tce-size"
plan tce
p=$(at tce purgatory)
[ -n "$p" ] && [ $((p)) -lt $((0x3ff00000)) ]
ok $? "TCE table 0x3ff00000+0x100000 (linux,tce-base/-size): the purgatory below it, at $p"
fdt_facts "$(fdt_of tce)" | grep -qx "rsv 0x3ff00000 0x100000"
ok $? "TCE table: in the next kernel's /memreserve/ (get_reserved_memory_ranges)"
plan tce -p
fdt_facts "$(fdt_of tce)" | grep -qx "usable /memory@0 0x3ff00000 0x100000"
ok $? "TCE table, -p: usable memory of the kdump kernel (get_usable_memory_ranges)"
# one of the pair alone: no table (the kernel's -EINVAL); a short base: the kernel fails
rm "$dt/pci@800000020000000/linux,tce-size"
plan tce
[ "$(at tce purgatory)" = 0x3ffff000 ]
ok $? "linux,tce-base without linux,tce-size: no TCE range, as the kernel"
printf '\0\0\0\0' > "$dt/pci@800000020000000/linux,tce-base"
be32 0x100000 "$dt/pci@800000020000000/linux,tce-size"
plan tce
[ $? -ne 0 ] && grep -q "linux,tce-base: shorter than the kernel reads it" "$tmp/tce.log"
ok $? "a 4-byte linux,tce-base: refused in one line: $(grep -m1 tce-base "$tmp/tce.log")"

# the hash page table the kernel exports
machine htab
be64 0x3fe00000 "$dt/chosen/linux,htab-base"
be64 0x200000 "$dt/chosen/linux,htab-size"
plan htab
p=$(at htab purgatory)
[ -n "$p" ] && [ $((p)) -lt $((0x3fe00000)) ] && ! fdt_facts "$(fdt_of htab)" | grep -q "rsv 0x3fe00000"
ok $? "HPT 0x3fe00000+0x200000 (linux,htab-base/-size): the purgatory below it, at $p; not reserved"

# the firmware's /reserved-ranges (2 + 2 cells)
machine rr
python3 -c "import struct,sys; open(sys.argv[1],'wb').write(struct.pack('>QQ', 0x3f000000, 0x1000000))" "$dt/reserved-ranges"
plan rr
p=$(at rr purgatory)
[ -n "$p" ] && [ $((p)) -lt $((0x3f000000)) ]
ok $? "/reserved-ranges 0x3f000000+0x1000000: the purgatory below it, at $p"
fdt_facts "$(fdt_of rr)" | grep -qx "rsv 0x3f000000 0x1000000"
ok $? "/reserved-ranges: in the next kernel's /memreserve/"

# retain_initrd keeps the running kernel's initrd where the next one would go
machine ri
i=$(at base initrd)
echo "console=hvc0 retain_initrd crashkernel=128M" > "$tmp/ri/proc/cmdline"
be64 "$i" "$dt/chosen/linux,initrd-start"
be64 $((i + 0x3000)) "$dt/chosen/linux,initrd-end"
plan ri
p=$(at ri initrd)
[ -n "$p" ] && [ $((p)) -ge $((i + 0x3000)) ]
ok $? "retain_initrd, the old initrd at $i+0x3000: the new one above it, at $p"
echo "console=hvc0 crashkernel=128M" > "$tmp/ri/proc/cmdline"
plan ri
[ "$(at ri initrd)" = "$i" ]
ok $? "the same initrd properties without retain_initrd: nothing kept, the initrd at $i"
echo "console=hvc0 retain_initrd crashkernel=128M" > "$tmp/ri/proc/cmdline"
rm "$dt/chosen/linux,initrd-end"
plan ri
st=$?
[ $st -ne 0 ] && [ "$(grep -c '^kexec: ' "$tmp/ri.log")" -eq 1 ] &&
	grep -q "chosen/linux,initrd-end: missing, with retain_initrd in the command line: the kernel fails the load" "$tmp/ri.log"
ok $? "retain_initrd without linux,initrd-end: refused in one line, as 6.1 fails the load (exit $st): $(grep -m1 '^kexec: ' "$tmp/ri.log")"

# mem=: the memory beyond the limit is gone
machine ml
be64 0x20000000 "$dt/chosen/linux,memory-limit"
plan ml
p=$(at ml purgatory)
[ "$p" = 0x1ffff000 ]
ok $? "mem=512M (linux,memory-limit 0x20000000): the purgatory at the top of 512 MiB, $p"

# LMBs of ibm,dynamic-memory-v2 assigned at boot are memory
machine lmb
python3 - "$dt/ibm,dynamic-reconfiguration-memory/ibm,dynamic-memory-v2" <<'EOF'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
b[0x30:0x34] = (8).to_bytes(4, 'big')	# the second set: DRCONF_MEM_ASSIGNED
open(p, 'wb').write(b)
EOF
plan lmb
[ "$(at lmb purgatory)" = 0x7ffff000 ]
ok $? "4 LMBs at 1 GiB assigned (flags 0x8): the purgatory at the top of 2 GiB, $(at lmb purgatory)"
plan lmb -p
grep -q "crash PT_LOAD: .*paddr=0x28000000 sz=0x58000000" "$tmp/lmb.log"
ok $? "assigned LMBs, -p: the core headers' PT_LOAD above the crash region runs to 2 GiB"
# ... and in a hash MMU LPAR's RMA the -l segments stay in the first block
mkdir -p "$tmp/lmb/proc"
printf 'processor\t: 0\ncpu\t\t: POWER8 (architected), altivec supported\n\nplatform\t: pSeries\nmodel\t\t: IBM pSeries (emulated by qemu)\nMMU\t\t: Hash\n' > "$tmp/lmb/proc/cpuinfo"
plan lmb
p=$(at lmb purgatory)
[ "$p" = 0x3ffff000 ] && grep -q "ppc64_rma_size: hash MMU LPAR (POWER8 (architected), altivec supported): 0x40000000" "$tmp/lmb.log"
ok $? "hash MMU LPAR (POWER8): ppc64_rma_size = the first block, 1 GiB: the purgatory at $p"
sed -i 's/MMU\t\t: Hash/MMU\t\t: Radix/' "$tmp/lmb/proc/cpuinfo"
plan lmb
[ "$(at lmb purgatory)" = 0x7ffff000 ] && grep -q "ppc64_rma_size: Radix MMU: no RMA limit" "$tmp/lmb.log"
ok $? "the same LPAR with the radix MMU: no RMA limit, the purgatory at $(at lmb purgatory)"

# set_lmbs FILE BASE FLAGS: the second LMB set of the recorded ibm,dynamic-memory-v2
set_lmbs() {
	python3 -c "
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
b[0x20:0x28] = int(sys.argv[2], 0).to_bytes(8, 'big')
b[0x30:0x34] = int(sys.argv[3], 0).to_bytes(4, 'big')
open(p, 'wb').write(b)" "$dt/ibm,dynamic-reconfiguration-memory/ibm,dynamic-memory-v2" "$1" "$2"
}

# hot-removable LMBs (flags 0x108) with movable_node: skipped by the kernel's walks
machine mv
set_lmbs 0x40000000 0x108
plan mv
[ "$(at mv purgatory)" = 0x7ffff000 ]
ok $? "hot-removable assigned LMBs at 1 GiB: memory, the purgatory at $(at mv purgatory)"
echo "console=hvc0 crashkernel=128M movable_node" > "$tmp/mv/proc/cmdline"
plan mv
[ "$(at mv purgatory)" = 0x3ffff000 ]
ok $? "the same with movable_node: skipped (memblock_mark_hotplug), the purgatory at $(at mv purgatory)"

# iommu=off (prom_init's /chosen/linux,iommu-off in the boot blob): no memory above 2 GiB
machine io
set_lmbs 0x80000000 0x8
plan io
[ "$(at io purgatory)" = 0xbffff000 ]
ok $? "LMBs assigned at 2 GiB: the purgatory at the top of 3 GiB, $(at io purgatory)"
# an empty linux,iommu-off property added to the boot blob's /chosen
python3 - "$tmp/io/sys/firmware/fdt" <<'EOF'
import struct, sys
p = sys.argv[1]; b = open(p, 'rb').read()
magic, total, off_struct, off_strings, off_rsv, version, last, boot = struct.unpack('>8I', b[:32])
size_strings, = struct.unpack('>I', b[32:36])
strings = b[off_strings:off_strings + size_strings] + b'linux,iommu-off\0'
q = off_rsv
while struct.unpack('>QQ', b[q:q + 16]) != (0, 0):
    q += 16
rsv = b[off_rsv:q + 16]
q, depth, at = off_struct, 0, None
while True:
    tok, = struct.unpack('>I', b[q:q + 4]); q += 4
    if tok == 1:
        e = b.index(b'\0', q); name = b[q:e]; q = (e + 4) & ~3; depth += 1
        if depth == 2 and name == b'chosen':
            at = q
    elif tok == 2:
        depth -= 1
    elif tok == 3:
        ln, = struct.unpack('>I', b[q:q + 4]); q = (q + 8 + ln + 3) & ~3
    elif tok == 9:
        break
st = b[off_struct:at] + struct.pack('>III', 3, 0, size_strings) + b[at:q]
# v17 layout: header, reserve map, structure, strings
o_rsv = 40; o_st = o_rsv + len(rsv); o_str = o_st + len(st)
hdr = struct.pack('>10I', magic, o_str + len(strings), o_st, o_str, o_rsv, 17, 16, boot, len(strings), len(st))
open(p, 'wb').write(hdr + rsv + st + strings)
EOF
plan io
[ "$(at io purgatory)" = 0x3ffff000 ] && grep -q "linux,iommu-off: the memory above 2 GiB is not memblock" "$tmp/io.log"
ok $? "the same with /chosen/linux,iommu-off: the LMBs above 2 GiB are not memory, the purgatory at $(at io purgatory)"

# a dynamic DMA window (DDW) made at run time: update_pci_dma_nodes() copies it
machine ddw
pci=$dt/pci@800000020000000
printf 'ukexec-ddw-window-info-01234567' > "$pci/linux,dma64-ddr-window-info"
printf 'ukexec-live-dma-window' > "$pci/ibm,dma-window"
plan ddw
hex() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'; }
fdt_facts "$(fdt_of ddw)" > "$tmp/ddw.facts"
grep -qx "prop /pci@800000020000000 linux,dma64-ddr-window-info $(hex ukexec-ddw-window-info-01234567)" "$tmp/ddw.facts" &&
	grep -qx "prop /pci@800000020000000 ibm,dma-window $(hex ukexec-live-dma-window)" "$tmp/ddw.facts"
ok $? "LPAR, linux,dma64-ddr-window-info in the live tree: it and the live ibm,dma-window in the next FDT"
rm "$pci/ibm,dma-window"
plan ddw
fdt_facts "$(fdt_of ddw)" > "$tmp/ddw.facts"
grep -q "^prop /pci@800000020000000 linux,dma64-ddr-window-info " "$tmp/ddw.facts" &&
	! grep -q "^prop /pci@800000020000000 ibm,dma-window " "$tmp/ddw.facts" &&
	grep -q "^prop /pci@800000020000000 ibm,dma-window " "$tmp/base.facts"
ok $? "the live tree without ibm,dma-window (the default window removed): deleted in the next FDT"
rm "$dt/rtas/ibm,hypertas-functions"
plan ddw
! fdt_facts "$(fdt_of ddw)" | grep -q "linux,dma64-ddr-window-info"
ok $? "not an LPAR (no ibm,hypertas-functions): the DMA windows are not copied"

# OPAL (powernv) firmware: its runtime is excluded, and the purgatory gets
# its base and entry (setup_purgatory_ppc64(): opal_base, opal_entry)
machine opal
mkdir -p "$dt/ibm,opal"
be64 0x3f000000 "$dt/ibm,opal/opal-base-address"
be64 0x3f0000a0 "$dt/ibm,opal/opal-entry-address"
be64 0x1000000 "$dt/ibm,opal/opal-runtime-size"
plan opal
ok $? "an OPAL machine (/ibm,opal): planned"
p=$(at opal purgatory)
[ -n "$p" ] && [ $((p)) -lt $((0x3f000000)) ]
ok $? "OPAL's runtime 0x3f000000+0x1000000 (opal-base-address, opal-runtime-size): the purgatory below it, at $p"
pseg=$tmp/opal.dump/$(awk '$NF == "purgatory" { print $3 }' "$tmp/opal.dump/manifest")
python3 - "$pseg" <<'EOF2'
import struct, sys
d = open(sys.argv[1], 'rb').read()
sys.exit(0 if struct.pack('<Q', 0x3f000000) in d and struct.pack('<Q', 0x3f0000a0) in d else 1)
EOF2
ok $? "the purgatory holds opal_base 0x3f000000 and opal_entry 0x3f0000a0 (little-endian, for r8/r9)"
rm "$dt/ibm,opal/opal-entry-address"
plan opal
[ $? -ne 0 ] && grep -q "ibm,opal/opal-entry-address: absent: the kernel fails the load" "$tmp/opal.log"
ok $? "no opal-entry-address: refused in one line, as the kernel fails: $(grep -m1 opal-entry "$tmp/opal.log")"

# a hostile ibm,dynamic-memory-v2: a set of 2^32-1 LMBs (found by fuzz-sysview:
# the walk ran for minutes) is refused at once; 4,190,000 of them (more than
# any machine, under the cap) plan in linear time
machine lmbs
f=$dt/ibm,dynamic-reconfiguration-memory/ibm,dynamic-memory-v2
python3 -c "
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
b[0x1c:0x20] = (0xffffffff).to_bytes(4, 'big')
b[0x30:0x34] = (0).to_bytes(4, 'big')
open(p, 'wb').write(b)" "$f"
timeout 20 "$kexec" --dry-run --sysroot="$tmp/lmbs" --arch=ppc64 -p "$tmp/vmlinux" --initrd="$tmp/initrd" \
	--append=console=hvc0 --purgatory="$golden/kexec_purgatory" 2>"$tmp/lmbs.log"
grep -q "ibm,dynamic-memory-v2: more than 4194304 LMBs" "$tmp/lmbs.log" && [ "$(wc -l < "$tmp/lmbs.log")" = 1 ]
ok $? "a v2 set of 2^32-1 LMBs: refused in one line, at once: $(head -c 200 "$tmp/lmbs.log")"
python3 -c "
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
b[0x1c:0x20] = (4190000).to_bytes(4, 'big')
open(p, 'wb').write(b)" "$f"
timeout 20 "$kexec" --dry-run --sysroot="$tmp/lmbs" --arch=ppc64 -p "$tmp/vmlinux" --initrd="$tmp/initrd" \
	--append=console=hvc0 --purgatory="$golden/kexec_purgatory" >/dev/null 2>"$tmp/lmbs.log"
[ $? != 124 ] && [ "$(wc -l < "$tmp/lmbs.log")" -le 1 ]
ok $? "4,190,000 unassigned LMBs, -p: answered within 20 s ($(head -c 120 "$tmp/lmbs.log"))"

done_testing
