#!/bin/bash
# Record an x86_64 machine booted with "crashkernel=256M,high
# crashkernel=128M,low": the kernel reserves the crash region (crashk_res)
# above 4 GiB and a low one (crashk_low_res) below, and /proc/iomem shows two
# "Crash kernel" lines. Debian's amd64 kernel, QEMU TCG, BIOS (SeaBIOS), -m 5G
# (given after lib.sh's -m 1G: QEMU's last -m wins), "nokaslr". The guest's
# /init is tests/e2e/record-high-init.sh: it prints both regions, copies the
# head of /proc/kcore, then runs tests/e2e/init.sh's "record" stage (the
# system view, kexec -s -d -l and -s -d -p with KEXEC_FILE_DEBUG). After the
# crash load the host reads the segment table from kernel-plan-p.log, checks
# that every segment lies in the high region, saves over QMP pmemsave only
# the segments it keeps (not the 256 MiB region) and writes:
#   boot_params-p.bin   the boot_params segment (bufsz bytes): boot_params,
#                       command line, setup_data
#   elfcorehdr-p.bin    segment 0 (bufsz bytes)
#   purgatory-p.bin     the purgatory segment (bufsz bytes)
#   segments-p.txt      the segment table and entry, from kernel-plan-p.log
#   boot_params-p.txt   a decoding of boot_params-p.bin (E820, setup_data)
#   elfcorehdr-p.txt    a decoding of elfcorehdr-p.bin (PT_NOTE, PT_LOAD)
#   crash-regions       both regions: "low|high START END" (inclusive)
# Then inputs and README. The initrd handed to the loads is the BIOS
# recording's (tests/golden/x86_64-debian-VER/initrd.img), bit for bit.
#
#   tests/e2e/record-high.sh [--out DIR] [--keep-region] [--static BUILD] [VER...]
#
# VER: 6.12 (default) or 6.1. Output: tests/golden/x86_64-debian-VER-high/,
# or DIR/VER with --out. --keep-region: also save the whole high region
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

mem=5G
crashkernel="crashkernel=256M,high crashkernel=128M,low"
# the same load command lines as the BIOS recordings (tests/e2e/record.sh)
cmdline_l="console=ttyS0 ukexec.marker=golden"
cmdline_p="console=ttyS0 irqpoll nr_cpus=1 reset_devices ukexec.marker=golden-crash"

# plan_py PLAN CRASH-REGION OUT: segments-p.txt, crash-regions and the dump
# list ("name mem bufsz" lines) from kernel-plan-p.log and the guest's
# "Crash kernel" lines; fails unless every segment is in the high region
plan_py='
import re, sys
plan, regfile, out = sys.argv[1:4]
text = open(plan).read()
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
regs = sorted((int(s, 16), int(e, 16)) for s, e in
              re.findall(r"^\s*([0-9a-f]+)-([0-9a-f]+) : Crash kernel$", open(regfile).read(), re.M))
if len(regs) != 2 or not segs:
    sys.exit("want 2 crash regions and a segment table, have %d regions, %d segments" % (len(regs), len(segs)))
low, high = regs
with open(out + "/crash-regions", "w") as f:
    f.write("low 0x%x 0x%x\nhigh 0x%x 0x%x\n" % (low + high))
bad = [i for i, b, m, z in segs if not (high[0] <= m and m + z - 1 <= high[1])]
if bad:
    sys.exit("segments outside the high region: %s" % bad)
with open(out + "/segments-p.txt", "w") as f:
    f.write("# the in-kernel loader\x27s crash plan (kernel-plan-p.log): index name mem memsz bufsz\n")
    for i, bufsz, mem, memsz in segs:
        name = names.get(mem, "segment%d" % i)
        f.write("segment %d %s 0x%x 0x%x 0x%x\n" % (i, name, mem, memsz, bufsz))
        if name in ("elfcorehdr", "boot_params", "purgatory"):
            print("%s 0x%x 0x%x" % (name, mem, bufsz))
    if entry:
        f.write("entry %s\n" % entry[-1])
'

# bp_py FILE LOADADDR LOW HIGH: boot_params (+ cmdline, setup_data) decoded,
# E820 entries marked where they are a crash region
bp_py='
import struct, sys
b = open(sys.argv[1], "rb").read()
base = int(sys.argv[2], 0)
lo, hi = [tuple(int(x, 0) for x in r.split(":")) for r in sys.argv[3:5]]
u8 = lambda o: b[o]
u32 = lambda o: struct.unpack_from("<I", b, o)[0]
u64 = lambda o: struct.unpack_from("<Q", b, o)[0]
print("segment: %d (0x%x) bytes, loaded at 0x%x" % (len(b), len(b), base))
print("acpi_rsdp_addr (0x070): 0x%x" % u64(0x70))
print("efi_info.efi_loader_signature (0x1c0): 0x%08x (BIOS boot: 0)" % u32(0x1c0))
cl, clsz = u32(0x228) | u32(0xc8) << 32, u32(0x238)
print("cmd_line_ptr (0x228) 0x%x = segment offset 0x%x, cmdline_size %d" % (cl, cl - base, clsz))
o = cl - base
if 0 <= o < len(b):
    s = b[o:b.index(b"\0", o)]
    print("  cmdline (%d bytes): %s" % (len(s), s.decode()))
print("ramdisk_image 0x%x ramdisk_size 0x%x" % (u32(0x218) | u32(0xc0) << 32, u32(0x21c) | u32(0xc4) << 32))
names = {1: "RAM", 2: "reserved", 3: "ACPI", 4: "NVS", 5: "unusable", 7: "PMEM", 12: "PRAM"}
n = u8(0x1e8)
print("e820_entries (0x1e8): %d; e820_table (0x2d0):" % n)
for i in range(n):
    a, sz, t = struct.unpack_from("<QQI", b, 0x2d0 + 20 * i)
    e = a + sz - 1
    note = ""
    if (a, e) == lo: note = "  <- crashk_low_res (the low crash region)"
    elif (a, e) == hi: note = "  <- crashk_res (the high crash region)"
    elif a <= lo[0] and lo[1] <= e: note = "  (holds the low crash region)"
    print("  [%2d] %016x-%016x (%d %s)%s" % (i, a, e, t, names.get(t, "?"), note))
sd = u64(0x250)
print("hdr.setup_data (0x250): 0x%x" % sd)
while sd:
    o = sd - base
    if not 0 <= o < len(b):
        print("  setup_data at 0x%x: outside the segment" % sd)
        break
    nxt, t, ln = struct.unpack_from("<QII", b, o)
    print("  setup_data at 0x%x (segment offset 0x%x): type %d len %d next 0x%x" % (sd, o, t, ln, nxt))
    print("    data %s" % b[o + 16:o + 16 + ln].hex())
    sd = nxt
'

# ehdr_py FILE LOW HIGH: the ELF core header: program headers, and which
# System RAM the PT_LOADs leave out (holes between consecutive PT_LOADs)
ehdr_py='
import struct, sys
b = open(sys.argv[1], "rb").read()
lo, hi = [tuple(int(x, 0) for x in r.split(":")) for r in sys.argv[2:4]]
assert b[:4] == b"\x7fELF" and b[4] == 2, "not an ELF64 header"
(e_type, e_machine, e_version, e_entry, e_phoff, e_shoff, e_flags, e_ehsize,
 e_phentsize, e_phnum) = struct.unpack_from("<HHIQQQIHHH", b, 16)
print("ELF64 type %d machine %d phoff 0x%x phentsize %d phnum %d" % (e_type, e_machine, e_phoff, e_phentsize, e_phnum))
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
        if g == lo: note = "  = crashk_low_res (excluded)"
        elif g == hi: note = "  = crashk_res (excluded)"
        print("  0x%016x-0x%016x%s" % (g + (note,)))
for name, r in (("low", lo), ("high", hi)):
    inside = [x for x in ram if not (x[1] < r[0] or x[0] > r[1])]
    print("%s crash region 0x%x-0x%x: %s" % (name, r[0], r[1],
          "excluded (no PT_LOAD overlaps it)" if not inside else "OVERLAPPED by %s" % inside))
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
	else out=$e2e_top/tests/golden/x86_64-debian-$ver-high
	fi
	mkdir -p "$out" || return 1
	w=$tmp/$ver
	mkdir -p "$w"
	printf '%s' "$cmdline_l" > "$w/cmdline-l"
	printf '%s' "$cmdline_p" > "$w/cmdline-p"
	# /init is ours; init.sh rides along as /init-record
	e2e_initramfs "$w/initramfs" init="$e2e_dir/record-high-init.sh" \
		init-record="$e2e_dir/init.sh" kexec="$build/kexec/kexec" vmlinuz="$kernel" \
		initrd.img="$initrd" cmdline-l="$w/cmdline-l" cmdline-p="$w/cmdline-p" || return 1
	m=record-$ver-high	# fixed: the recorded cmdline stays the same across reruns
	local append="ukexec.stage=record ukexec.marker=$m $crashkernel nokaslr"
	[ "$ver" = 6.1 ] && append="$append ukexec.dyndbg=1"
	log=$w/console.log
	t0=$SECONDS
	# lib.sh says -m 1G; the later -m wins (QEMU keeps the last one)
	e2e_qemu "$log" 400 "$kernel" "$w/initramfs" "$append" -m "$mem" \
		-qmp "unix:$w/qmp.sock,server=on,wait=off" &
	qpid=$!
	# the log appears once e2e_qemu holds the lock and starts QEMU: times
	# are counted from there (t0), to half a second
	local tb= tq=
	rm -f "$log"
	while kill -0 "$qpid" 2>/dev/null; do
		if [ -z "$tq" ] && [ -f "$log" ]; then
			tq=$SECONDS; [ $((tq - t0)) -gt 1 ] && e2e_log "$ver: waited $((tq - t0)) s for the QEMU lock"
			t0=$tq
		fi
		if [ -z "$tb" ] && [ -f "$log" ] && e2e_seen "$log" UKEXEC-RECORD; then
			tb=$((SECONDS - t0)); e2e_log "$ver: guest /init-record after ~$tb s"
		fi
		[ -f "$log" ] && e2e_seen "$log" UKEXEC-DUMP-READY && break
		sleep 0.5
	done
	if ! e2e_seen "$log" UKEXEC-DUMP-READY || ! e2e_seen "$log" UKEXEC-TAR-END; then
		e2e_log "$ver: the guest never finished the recording (log: $out/console-failed.log)"
		cp "$log" "$out/console-failed.log"
		python3 "$e2e_dir/qmp.py" "$w/qmp.sock" quit 2>/dev/null
		wait "$qpid"; qpid=
		return 1
	fi
	local tready=$((SECONDS - t0))
	rm -rf "$w/rec" && mkdir -p "$w/rec"
	e2e_between "$log" UKEXEC-TAR-BEGIN UKEXEC-TAR-END | sed -n 's/^UKEXEC-B64://p' |
		base64 -d | tar -xz -C "$w/rec" || { e2e_log "$ver: cannot decode the recording"; return 1; }
	# the segments (in the high region) while the guest still waits
	local dumps name smem sbuf hs he
	if ! dumps=$(python3 -c "$plan_py" "$w/rec/kernel-plan-p.log" "$w/rec/crash-region" "$w/rec"); then
		e2e_log "$ver: no usable crash plan (kept in $out/failed)"
		python3 "$e2e_dir/qmp.py" "$w/qmp.sock" quit 2>/dev/null
		wait "$qpid"; qpid=
		rm -rf "$out/failed" && cp -a "$w/rec" "$out/failed" && cp "$log" "$out/failed/console.log"
		return 1
	fi
	while read -r name smem sbuf; do
		python3 "$e2e_dir/qmp.py" "$w/qmp.sock" pmemsave "$smem" "$sbuf" "$w/$name-p.bin" ||
			{ e2e_log "$ver: pmemsave $name failed"; return 1; }
	done <<< "$dumps"
	read -r _ hs he < <(grep '^high ' "$w/rec/crash-regions")
	if [ -n "$keep_region" ]; then
		python3 "$e2e_dir/qmp.py" "$w/qmp.sock" pmemsave "$hs" $((he - hs + 1)) "$w/crash-region.bin" ||
			{ e2e_log "$ver: pmemsave of the region failed"; return 1; }
	fi
	python3 "$e2e_dir/qmp.py" "$w/qmp.sock" quit
	wait "$qpid"; qpid=
	e2e_log "$ver: guest ran $((SECONDS - t0)) s (recording on the console after $tready s); high region [$hs, $he]"

	local ks is gks gis bad=
	ks=$(sha256sum < "$kernel" | cut -d' ' -f1)
	is=$(sha256sum < "$initrd" | cut -d' ' -f1)
	gks=$(awk '$2 == "/vmlinuz" { print $1 }' "$w/rec/guest-sha256")
	gis=$(awk '$2 == "/initrd.img" { print $1 }' "$w/rec/guest-sha256")
	[ "$ks" = "$gks" ] && [ "$is" = "$gis" ] || bad="$bad guest-inputs"
	[ "$(grep -c 'Crash kernel' "$w/rec/sysroot/proc/iomem")" = 2 ] || bad="$bad two-regions"
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
	cp "$w"/*-p.bin "$out/"
	tr -d '\r' < "$log" | grep -av '^UKEXEC-B64:' > "$out/console.log"
	cp "$initrd" "$out/initrd.img"
	printf '0x%x 0x%x\n' $((hs)) $((he - hs + 1)) > "$out/crash-region.where"
	[ -n "$keep_region" ] && cp "$w/crash-region.bin" "$out/crash-region.bin"
	local lo hi
	lo=$(awk '$1 == "low" { print $2 ":" $3 }' "$out/crash-regions")
	hi=$(awk '$1 == "high" { print $2 ":" $3 }' "$out/crash-regions")
	python3 -c "$bp_py" "$out/boot_params-p.bin" \
		"$(awk '$3 == "boot_params" { print $4 }' "$out/segments-p.txt")" "$lo" "$hi" > "$out/boot_params-p.txt" 2>&1 ||
		e2e_log "$ver: decoding boot_params-p.bin failed (see boot_params-p.txt)"
	python3 -c "$ehdr_py" "$out/elfcorehdr-p.bin" "$lo" "$hi" > "$out/elfcorehdr-p.txt" 2>&1 ||
		e2e_log "$ver: decoding elfcorehdr-p.bin failed (see elfcorehdr-p.txt)"
	{
		echo "# tests/e2e/record-high.sh: what the recorded crashkernel=,high guest booted and loaded"
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
		echo "qemu $(qemu-system-x86_64 --version | head -n1) ${e2e_accel[*]} -m $mem -smp 1 -nographic -no-reboot (BIOS: SeaBIOS)"
		echo "crash-region $(cat "$out/crash-region.where") (start size: the high region, crashk_res)"
		echo "crash-region-low $(read -r _ ls le < <(grep '^low ' "$out/crash-regions"); printf '0x%x 0x%x' $((ls)) $((le - ls + 1))) (start size: crashk_low_res)"
		echo "guest-seconds $tready (host side, QEMU start to the end of the console transfer; /init-record at ~$tb s; the guest's own clock: $(sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process$/\1 s/p' "$out/boot-dmesg.log") to /init)"
		echo "ukexec $(git -C "$e2e_top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
		echo "kexec-file-debug $([ "$ver" = 6.1 ] && echo "dynamic debug (6.1 has no KEXEC_FILE_DEBUG)" || echo "KEXEC_FILE_DEBUG via kexec -s -d")"
	} > "$out/inputs"
	out=$out write_readme "$ver" > "$out/README"
	e2e_log "$ver: recorded into $out"
}

write_readme() {
	cat <<EOF
# x86_64, Debian $1 kernel, QEMU 5 GiB BIOS guest with crashkernel=256M,high: a recorded machine

Recorded by tests/e2e/record-high.sh $1 (rerun it to refresh; the kernel comes
from scripts/fetch-kernels, pinned to the package named in inputs). The
1 GiB twin of this machine is tests/golden/x86_64-debian-$1 (same kernel, same
initrd.img, same load command lines).

The guest: qemu-system-x86_64 (TCG, -cpu max), -m 5G -smp 1, SeaBIOS, QEMU's
direct kernel boot, booted with "crashkernel=256M,high crashkernel=128M,low
nokaslr". The kernel reserves two crash regions, both "Crash kernel" in
/proc/iomem (crash-regions: "low START END" and "high START END",
inclusive): crashk_res, 256 MiB above 4 GiB, where the crash load puts its
segments, and crashk_low_res, 128 MiB below 4 GiB, which the crash kernel
gets as RAM in its E820 (for swiotlb / DMA32) while the ELF core header
leaves both regions out. /init is tests/e2e/record-high-init.sh (it prints
both regions and copies the head of /proc/kcore), then tests/e2e/init.sh's
"record" stage. Everything comes back through the serial console (tar |
gzip | base64).

- sysroot/: the system view at real paths, read as root before any load:
  proc/iomem (two "Crash kernel" lines), proc/cmdline, proc/version,
  proc/sys/kernel/osrelease, sys/firmware/memmap/*/{start,end,type},
  sys/kernel/boot_params/{data,version} and setup_data/*/{type,data},
  sys/kernel/kexec_crash_size ($(cat "$out/sysroot/sys/kernel/kexec_crash_size"): $([ "$1" = 6.1 ] && echo "crashk_res only" || echo "both regions together")),
  sys/kernel/vmcoreinfo,
  sys/devices/system/cpu/..., cpu*/crash_notes{,_size}, and proc/kcore (its
  first 64 KiB). Use with kexec --sysroot=.../sysroot.
- kernel-plan-l.log: dmesg of the in-kernel kexec_file_load of
  kexec -s -d -l /vmlinuz --initrd=/initrd.img --append="<cmdline-l>"
  (/vmlinuz is the booted kernel itself). $([ "$1" = 6.1 ] && echo "6.1: dynamic debug; no E820 list, no entry line." || echo "6.12: KEXEC_FILE_DEBUG; it lists the E820 map handed over.")
- kernel-plan-p.log: dmesg of kexec -s -d -p with <cmdline-p>, after
  kexec -s -u, in the same boot. $([ "$1" = 6.1 ] && echo "6.1 prints no E820 list: boot_params-p.txt has it." || echo "Its E820 list is the crash kernel's memmap: the low region is there as type 1 (RAM).")
- segments-p.txt: the crash load's segment table (from kernel-plan-p.log);
  every segment is in the high region (the recorder checks it).
- boot_params-p.bin, elfcorehdr-p.bin, purgatory-p.bin: the crash load's
  boot_params, ELF core header and purgatory segments, bufsz bytes each,
  saved over QMP pmemsave right after the load (only these; the whole high
  region: --keep-region). The boot_params segment holds boot_params
  (4 KiB), the command line at 0x1000, then the RNG seed setup_data (type 9,
  32 random bytes: mask them, and the purgatory's digest that covers them).
- boot_params-p.txt: a decoding of boot_params-p.bin (cmdline, E820 table
  with the crash regions marked, setup_data chain).
- elfcorehdr-p.txt: a decoding of elfcorehdr-p.bin (program headers, the
  PT_LOAD ranges and the holes that the two crash regions leave).
- crash-region.where: the high region (start size); crash-region: the
  "Crash kernel" lines of /proc/iomem after the crash load.
- tool-l.log, tool-p.log: what ukexec (-s: pass-through) printed, its exit
  status and kexec_loaded / kexec_crash_loaded afterwards.
- boot-dmesg.log: the whole boot log; console.log: the serial console,
  without the recording's base64 lines.
- notes: region count and kexec_crash_size before any load, efi absent.
- initrd.img: the initrd given to both loads (the 1 GiB recording's, bit for
  bit); inputs: kernel package, vmlinuz sha256, cmdlines, QEMU, regions.
EOF
}

rc=0
for v in "${vers[@]}"; do
	record_one "$v" || rc=1
done
exit $rc
