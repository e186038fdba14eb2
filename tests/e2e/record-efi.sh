#!/bin/bash
# Record an EFI-booted x86_64 machine: Debian's amd64 kernel booted by QEMU's
# direct kernel boot under OVMF (Debian's ovmf package: OVMF_CODE.fd
# read-only pflash + a scratch copy of OVMF_VARS.fd), TCG, 1 GiB, with
# "crashkernel=256M nokaslr efi=debug". The guest's /init is
# tests/e2e/record-efi-init.sh: it copies the EFI system view
# (/sys/firmware/efi/{fw_vendor,config_table,runtime,systab,fw_platform_size},
# runtime-map/*/*, the head of /proc/kcore), then runs tests/e2e/init.sh's
# "record" stage (the system view of the BIOS recordings, kexec -s -d -l and
# -s -d -p with KEXEC_FILE_DEBUG). After the crash load the host saves the
# "Crash kernel" region over QMP pmemsave and cuts the in-kernel crash load's
# segments out of it:
#   boot_params-p.bin   the boot_params segment (bufsz bytes): boot_params,
#                       command line, EFI runtime memory map, setup_data
#   elfcorehdr-p.bin    segment 0 (bufsz bytes)
#   purgatory-p.bin     the purgatory segment (bufsz bytes)
#   segments-p.txt      the segment table and entry, from kernel-plan-p.log
#   boot_params-p.txt   a decoding of boot_params-p.bin (efi_info, E820,
#                       setup_data)
# Then writes inputs and README. The initrd handed to the loads is the BIOS
# recording's (tests/golden/x86_64-debian-VER/initrd.img), bit for bit.
#
#   tests/e2e/record-efi.sh [--out DIR] [--keep-region] [--static BUILD] [VER...]
#
# VER: 6.12 (default) or 6.1. Output: tests/golden/x86_64-debian-VER-efi/, or
# DIR/VER with --out. --keep-region: also keep the whole dumped region
# (crash-region.bin, 256 MiB; not for git).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out_base= static= keep_region=
vers=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out_base=$2; shift 2 ;;
	--static) static=$2; shift 2 ;;
	--keep-region) keep_region=1; shift ;;
	-h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) vers+=("$1"); shift ;;
	esac
done
[ ${#vers[@]} -gt 0 ] || vers=(6.12)
[ -z "$out_base" ] || { mkdir -p "$out_base" && out_base=$(cd "$out_base" && pwd); } || exit 1

ovmf_code=/usr/share/OVMF/OVMF_CODE.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS.fd
if [ ! -s "$ovmf_code" ] || [ ! -s "$ovmf_vars" ]; then
	e2e_log "no OVMF ($ovmf_code, $ovmf_vars): apt-get install ovmf"
	exit 77
fi

# the same load command lines as the BIOS recordings (tests/e2e/record.sh)
cmdline_l="console=ttyS0 ukexec.marker=golden"
cmdline_p="console=ttyS0 irqpoll nr_cpus=1 reset_devices ukexec.marker=golden-crash"

# decode_py FILE LOADADDR: boot_params (+ cmdline, EFI map, setup_data) as
# the kernel's bzImage64 loader wrote it, decoded
decode_py='
import struct, sys
b = open(sys.argv[1], "rb").read()
base = int(sys.argv[2], 0)
u8 = lambda o: b[o]
u32 = lambda o: struct.unpack_from("<I", b, o)[0]
u64 = lambda o: struct.unpack_from("<Q", b, o)[0]
print("segment: %d (0x%x) bytes, loaded at 0x%x" % (len(b), len(b), base))
print("acpi_rsdp_addr (0x070): 0x%x" % u64(0x70))
sig, st, dsz, dver, mm, mmsz, sthi, mmhi = struct.unpack_from("<8I", b, 0x1c0)
print("efi_info (0x1c0):")
print("  efi_loader_signature 0x%08x %r" % (sig, struct.pack("<I", sig)))
print("  efi_systab 0x%x (lo 0x%x hi 0x%x)" % (st | sthi << 32, st, sthi))
print("  efi_memdesc_size 0x%x (%d) efi_memdesc_version %d" % (dsz, dsz, dver))
mmap = mm | mmhi << 32
print("  efi_memmap 0x%x (lo 0x%x hi 0x%x) = segment offset 0x%x" % (mmap, mm, mmhi, mmap - base))
print("  efi_memmap_size 0x%x (%d): %s descriptors" % (mmsz, mmsz, mmsz // dsz if dsz else "?"))
print("secure_boot (0x1ec): %d" % u8(0x1ec))
cl, clsz = u32(0x228) | u32(0xc8) << 32, u32(0x238)
print("cmd_line_ptr (0x228) 0x%x = segment offset 0x%x, cmdline_size %d" % (cl, cl - base, clsz))
o = cl - base
if 0 <= o < len(b):
    s = b[o:b.index(b"\0", o)]
    print("  cmdline (%d bytes): %s" % (len(s), s.decode()))
print("ramdisk_image 0x%x ramdisk_size 0x%x" % (u32(0x218) | u32(0xc0) << 32, u32(0x21c) | u32(0xc4) << 32))
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
n = u8(0x1e8)
print("e820_entries (0x1e8): %d; e820_table (0x2d0):" % n)
for i in range(n):
    a, sz, t = struct.unpack_from("<QQI", b, 0x2d0 + 20 * i)
    print("  %016x-%016x (%d)" % (a, a + sz - 1, t))
sd = u64(0x250)
print("hdr.setup_data (0x250): 0x%x" % sd)
while sd:
    o = sd - base
    if not 0 <= o < len(b):
        print("  setup_data at 0x%x: outside the segment" % sd)
        break
    nxt, t, ln = struct.unpack_from("<QII", b, o)
    print("  setup_data at 0x%x (segment offset 0x%x): type %d len %d next 0x%x" % (sd, o, t, ln, nxt))
    d = b[o + 16:o + 16 + ln]
    if t == 4 and ln >= 32:
        fv, un, tab, smb = struct.unpack_from("<4Q", d)
        print("    SETUP_EFI: fw_vendor 0x%x __unused 0x%x tables 0x%x smbios 0x%x reserved %s" %
              (fv, un, tab, smb, d[32:].hex()))
    else:
        print("    data %s" % d.hex())
    sd = nxt
'

e2e_inputs || { e2e_log "scripts/fetch-kernels failed"; exit 1; }
build=$(e2e_static_build "${static:-${TMPDIR:-/tmp}/ukexec-e2e-static}") || exit 1
e2e_qemu_accel
tmp=$(mktemp -d) || exit 1
qpid=
trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$tmp"' EXIT

record_one() {
	local ver=$1 kernel out log m t0 w initrd
	kernel=$(e2e_kernel "$ver") || { e2e_log "no $ver kernel in $e2e_cache"; return 1; }
	initrd=$e2e_top/tests/golden/x86_64-debian-$ver/initrd.img
	[ -s "$initrd" ] || { e2e_log "no $initrd (record the BIOS machine first)"; return 1; }
	if [ -n "$out_base" ]; then out=$out_base/$ver
	else out=$e2e_top/tests/golden/x86_64-debian-$ver-efi
	fi
	mkdir -p "$out" || return 1
	w=$tmp/$ver
	mkdir -p "$w"
	cp "$ovmf_vars" "$w/OVMF_VARS.fd" || return 1
	printf '%s' "$cmdline_l" > "$w/cmdline-l"
	printf '%s' "$cmdline_p" > "$w/cmdline-p"
	# /init is ours; init.sh rides along as /init-record
	e2e_initramfs "$w/initramfs" init="$e2e_dir/record-efi-init.sh" \
		init-record="$e2e_dir/init.sh" kexec="$build/kexec/kexec" vmlinuz="$kernel" \
		initrd.img="$initrd" cmdline-l="$w/cmdline-l" cmdline-p="$w/cmdline-p" || return 1
	m=record-$ver-efi	# fixed: the recorded cmdline stays the same across reruns
	local append="ukexec.stage=record ukexec.marker=$m crashkernel=256M nokaslr efi=debug"
	[ "$ver" = 6.1 ] && append="$append ukexec.dyndbg=1"
	log=$w/console.log
	t0=$SECONDS
	e2e_qemu "$log" 400 "$kernel" "$w/initramfs" "$append" \
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=$ovmf_code" \
		-drive "if=pflash,format=raw,unit=1,file=$w/OVMF_VARS.fd" \
		-qmp "unix:$w/qmp.sock,server=on,wait=off" &
	qpid=$!
	local ready= tb=
	while kill -0 "$qpid" 2>/dev/null; do
		if [ -z "$tb" ] && [ -f "$log" ] && e2e_seen "$log" UKEXEC-RECORD; then
			tb=$((SECONDS - t0)); e2e_log "$ver: guest /init after ~$tb s (incl. lock wait)"
		fi
		[ -f "$log" ] && e2e_seen "$log" UKEXEC-DUMP-READY && break
		sleep 0.5
	done
	ready=$(e2e_field "$log" UKEXEC-DUMP-READY)
	if ! e2e_seen "$log" UKEXEC-DUMP-READY || [ "$ready" = "${ready% *}" ]; then
		e2e_log "$ver: the guest never finished the recording or has no crash region (log: $out/console-failed.log)"
		cp "$log" "$out/console-failed.log"
		python3 "$e2e_dir/qmp.py" "$w/qmp.sock" quit 2>/dev/null
		wait "$qpid"; qpid=
		return 1
	fi
	local start=$((16#${ready% *})) end=$((16#${ready#* }))
	python3 "$e2e_dir/qmp.py" "$w/qmp.sock" pmemsave "$start" $((end - start + 1)) \
		"$w/crash-region.bin" || { e2e_log "$ver: pmemsave failed"; return 1; }
	python3 "$e2e_dir/qmp.py" "$w/qmp.sock" quit
	wait "$qpid"; qpid=
	e2e_log "$ver: guest ran $((SECONDS - t0)) s; dumped [0x$(printf %x $start), 0x$(printf %x $end)]"
	e2e_seen "$log" UKEXEC-TAR-END || { e2e_log "$ver: no recording on the console"; cp "$log" "$out/console-failed.log"; return 1; }
	rm -rf "$w/rec" && mkdir -p "$w/rec"
	e2e_between "$log" UKEXEC-TAR-BEGIN UKEXEC-TAR-END | sed -n 's/^UKEXEC-B64://p' |
		base64 -d | tar -xz -C "$w/rec" || { e2e_log "$ver: cannot decode the recording"; return 1; }

	local ks is gks gis bad=
	ks=$(sha256sum < "$kernel" | cut -d' ' -f1)
	is=$(sha256sum < "$initrd" | cut -d' ' -f1)
	gks=$(awk '$2 == "/vmlinuz" { print $1 }' "$w/rec/guest-sha256")
	gis=$(awk '$2 == "/initrd.img" { print $1 }' "$w/rec/guest-sha256")
	[ "$ks" = "$gks" ] && [ "$is" = "$gis" ] || bad="$bad guest-inputs"
	grep -q "sys/firmware/efi: present" "$w/rec/notes" || bad="$bad no-efi"
	[ -s "$w/rec/sysroot/sys/firmware/efi/systab" ] || bad="$bad efi-systab"
	grep -qx "exit 0" "$w/rec/tool-l.log" || bad="$bad load-l"
	grep -qx "kexec_loaded 1" "$w/rec/tool-l.log" || bad="$bad loaded-l"
	grep -q "^unload exit 0 kexec_loaded 0" "$w/rec/tool-l.log" || bad="$bad unload"
	grep -qx "exit 0" "$w/rec/tool-p.log" || bad="$bad load-p"
	grep -qx "kexec_crash_loaded 1" "$w/rec/tool-p.log" || bad="$bad loaded-p"
	grep -q "segment" "$w/rec/kernel-plan-l.log" || bad="$bad plan-l"
	grep -q "segment" "$w/rec/kernel-plan-p.log" || bad="$bad plan-p"
	[ -s "$w/rec/sysroot/sys/kernel/boot_params/data" ] || bad="$bad boot_params"
	if [ -n "$bad" ]; then
		e2e_log "$ver: recording incomplete:$bad (kept in $out/failed)"
		rm -rf "$out/failed" && cp -a "$w/rec" "$out/failed" && cp "$log" "$out/failed/console.log"
		return 1
	fi

	rm -rf "$out/sysroot" "$out/failed" "$out/console-failed.log"
	cp -a "$w/rec/." "$out/"
	rm -f "$out/guest-sha256"
	tr -d '\r' < "$log" | grep -av '^UKEXEC-B64:' > "$out/console.log"
	cp "$initrd" "$out/initrd.img"
	printf '0x%x 0x%x\n' "$start" $((end - start + 1)) > "$out/crash-region.where"
	[ -n "$keep_region" ] && cp "$w/crash-region.bin" "$out/crash-region.bin"
	python3 - "$out/kernel-plan-p.log" "$w/crash-region.bin" "$start" "$out" <<'PY' || return 1
import re, sys
plan, region, start, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
text = open(plan).read()
# 6.12 (KEXEC_FILE_DEBUG): "segment[N]: buf=..."; 6.1 (dynamic debug): "Loading segment N: buf=..."
segs = [(int(i or j), int(b, 16), int(m, 16), int(z, 16)) for i, j, b, m, z in
        re.findall(r"(?:segment\[(\d+)\]|Loading segment (\d+)): buf=\S+ bufsz=(0x[0-9a-f]+) mem=(0x[0-9a-f]+) memsz=(0x[0-9a-f]+)", text)]
entry = re.findall(r"kexec_file_load: type:1, start:(0x[0-9a-f]+)", text)
def at(pat):
    m = re.search(pat, text)
    return int(m.group(1), 16) if m else None
names = {at(r"Loaded ELF headers at (0x[0-9a-f]+)"): "elfcorehdr",
         at(r"Loaded purgatory at (0x[0-9a-f]+)"): "purgatory",
         at(r"Loaded boot_param, command line and misc at (0x[0-9a-f]+)"): "boot_params",
         at(r"Loaded 64bit kernel at (0x[0-9a-f]+)"): "kernel",
         at(r"Loaded initrd at (0x[0-9a-f]+)"): "initrd"}
data = open(region, "rb")
with open(out + "/segments-p.txt", "w") as f:
    f.write("# the in-kernel loader's crash plan (kernel-plan-p.log): index name mem memsz bufsz\n")
    for i, bufsz, mem, memsz in segs:
        name = names.get(mem, "segment%d" % i)
        f.write("segment %d %s 0x%x 0x%x 0x%x\n" % (i, name, mem, memsz, bufsz))
        if name in ("elfcorehdr", "boot_params", "purgatory"):
            data.seek(mem - start)
            open("%s/%s-p.bin" % (out, name), "wb").write(data.read(bufsz))
    if entry:
        f.write("entry %s\n" % entry[-1])
PY
	python3 -c "$decode_py" "$out/boot_params-p.bin" \
		"$(awk '$3 == "boot_params" { print $4 }' "$out/segments-p.txt")" > "$out/boot_params-p.txt" 2>&1 ||
		e2e_log "$ver: decoding boot_params-p.bin failed (see boot_params-p.txt)"
	{
		echo "# tests/e2e/record-efi.sh: what the recorded EFI guest booted and loaded"
		echo "package $(cat "$e2e_cache/$ver/package")"
		echo "vmlinuz $(basename "$kernel")"
		echo "vmlinuz-sha256 $ks"
		echo "vmlinuz-size $(stat -c %s "$kernel")"
		echo "initrd initrd.img (= tests/golden/x86_64-debian-$ver/initrd.img)"
		echo "initrd-sha256 $is"
		echo "initrd-size $(stat -c %s "$initrd")"
		echo "cmdline-l $cmdline_l"
		echo "cmdline-p $cmdline_p"
		echo "boot-cmdline $(cat "$out/sysroot/proc/cmdline")"
		echo "qemu $(qemu-system-x86_64 --version | head -n1) ${e2e_accel[*]} -m 1G -smp 1 -nographic -no-reboot"
		echo "firmware ovmf $(dpkg-query -W -f '${Version}' ovmf 2>/dev/null): pflash unit 0 $ovmf_code (read-only, sha256 $(sha256sum < "$ovmf_code" | cut -d' ' -f1)), unit 1 a fresh copy of $ovmf_vars"
		echo "crash-region $(cat "$out/crash-region.where") (start size)"
		echo "ukexec $(git -C "$e2e_top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
		echo "kexec-file-debug $([ "$ver" = 6.1 ] && echo "dynamic debug (6.1 has no KEXEC_FILE_DEBUG)" || echo "KEXEC_FILE_DEBUG via kexec -s -d")"
	} > "$out/inputs"
	write_readme "$ver" > "$out/README"
	e2e_log "$ver: recorded into $out"
}

write_readme() {
	cat <<EOF
# x86_64, Debian $1 kernel, QEMU 1 GiB guest booted through EFI (OVMF): a recorded machine

Recorded by tests/e2e/record-efi.sh $1 (rerun it to refresh; the kernel comes
from scripts/fetch-kernels, pinned to the package named in inputs; OVMF from
Debian's ovmf package: apt-get install ovmf). The BIOS twin of this machine
is tests/golden/x86_64-debian-$1 (same kernel, same initrd.img, same load
command lines).

The guest: qemu-system-x86_64 (TCG, -cpu max), -m 1G -smp 1, OVMF as pflash
(OVMF_CODE.fd read-only + a fresh copy of OVMF_VARS.fd), QEMU's direct kernel
boot (-kernel/-initrd/-append: OVMF starts the kernel's EFI stub, which loads
the initramfs through LINUX_EFI_INITRD_MEDIA_GUID, hence "initrd=initrd" at
the end of the boot command line), booted with "crashkernel=256M nokaslr
efi=debug" (efi=debug: boot-dmesg.log lists the firmware's whole EFI memory
map, mem00..). /init is tests/e2e/record-efi-init.sh, which copies the EFI
files below and then runs tests/e2e/init.sh's "record" stage (the BIOS
recording's files, both in-kernel loads). Everything comes back through the
serial console (tar | gzip | base64).

- sysroot/: the system view at real paths, read as root before any load: as
  in the BIOS recording (proc/iomem, proc/cmdline, proc/version,
  proc/sys/kernel/osrelease, sys/firmware/memmap/*/{start,end,type},
  sys/kernel/boot_params/{data,version} and setup_data/*/{type,data},
  sys/kernel/kexec_crash_size, sys/kernel/vmcoreinfo,
  sys/devices/system/cpu/..., cpu*/crash_notes{,_size}) plus
  sys/firmware/efi/{fw_vendor,config_table,runtime,systab,fw_platform_size},
  sys/firmware/efi/runtime-map/*/{phys_addr,virt_addr,num_pages,attribute,type}
  and proc/kcore (its first 64 KiB: head -c 65536 /proc/kcore).
  Use with kexec --sysroot=.../sysroot.
- kernel-plan-l.log: dmesg of the in-kernel kexec_file_load of
  kexec -s -d -l /vmlinuz --initrd=/initrd.img --append="<cmdline-l>"
  (/vmlinuz is the booted kernel itself). $([ "$1" = 6.1 ] && echo "6.1: dynamic debug; no E820 list, no entry line." || echo "6.12: KEXEC_FILE_DEBUG; it lists the E820 map handed over (e820_table_kexec).")
- kernel-plan-p.log: dmesg of kexec -s -d -p with <cmdline-p>, after
  kexec -s -u, in the same boot.
- segments-p.txt: the crash load's segment table (from kernel-plan-p.log).
- boot_params-p.bin, elfcorehdr-p.bin, purgatory-p.bin: the crash load's
  boot_params, ELF core header and purgatory segments, bufsz bytes each, cut
  out of the "Crash kernel" region saved over QMP pmemsave right after the
  load (crash-region.where: start size). The boot_params segment holds
  boot_params (4 KiB), the command line at 0x1000, the EFI runtime memory
  map at ALIGN16(4096 + strlen(cmdline-p) + 1 + 30), then setup_data
  SETUP_EFI (type 4, 96 bytes) and the RNG seed (type 9, 32 random bytes:
  mask them, and the purgatory's digest that covers them).
- boot_params-p.txt: a decoding of boot_params-p.bin (efi_info, EFI map,
  E820 table, setup_data chain).
- tool-l.log, tool-p.log: what ukexec (-s: pass-through) printed, its exit
  status and kexec_loaded / kexec_crash_loaded afterwards.
- boot-dmesg.log: the whole boot log; console.log: the serial console (OVMF's
  screen output, EFI stub, kernel), without the recording's base64 lines.
- crash-region: the "Crash kernel" line(s) of /proc/iomem.
- notes: sys/firmware/efi present, runtime-map entry count, dyndbg queries.
- initrd.img: the initrd given to both loads (the BIOS recording's, bit for
  bit); inputs: kernel package, vmlinuz sha256, cmdlines, OVMF, QEMU.

Reruns are not bit-identical: OVMF's allocations below the runtime regions
(Loader/Boot Services data, the kernel's setup_data, a reserved EFI range)
moved by a page between two boots, and with them iomem, the crash E820 and the
EFI map's BootServices entries. Compare a plan only with the sysroot of its
own recording. The whole 256 MiB region: tests/e2e/record-efi.sh
--keep-region --out DIR $1 (DIR/$1/crash-region.bin).
EOF
}

rc=0
for v in "${vers[@]}"; do
	record_one "$v" || rc=1
done
exit $rc
