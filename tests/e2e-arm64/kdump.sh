#!/bin/bash
# kdump end to end on arm64 with Debian's own 6.1 kernel (CONFIG_KEXEC and
# CRASH_DUMP, no KEXEC_FILE) as the first and the crash kernel, in
# qemu-system-aarch64 -M virt -cpu max (TCG), crashkernel=256M and
# log_buf_len=1M (the ring buffer then lives in memblock memory, read through
# the linear map's PT_LOADs rather than the kernel image's). One boot;
# its /init is tests/e2e-arm64/init-kdump.sh (stage crash, then crashed):
# a marker written to /dev/kmsg, plain `kexec -p` (kexec_file_load gets
# ENOSYS: ukexec's userspace plan + kexec_load + our purgatory), the status
# and unload commands, the load again, then sysrq-c.
#
# TAP:
#  1 the first kernel (Debian's) reached /init
#  2 `kexec -S` before any load: exit 0, kexec_crash_loaded 0
#  3 `kexec -p -d`: exit 0, kexec_crash_loaded 1, the fallback in one -d line
#  4 `kexec -S`, `kexec -p -S` and `kexec -s -S` exit 1, `kexec -l -S` exits 0
#    (kexec-tools: -S asks about the crash kernel unless -l is given; the
#    syscall choice does not matter)
#  5 `kexec -p -u`: exit 0, kexec_crash_loaded 1 -> 0, then `kexec -S` exits 0
#  6 `kexec -s -p` and `kexec -s -p -u` (kexec_file_load only, which this
#    kernel lacks): exit 253 as kexec-tools' EFALLBACK, nothing loaded
#  7 `kexec -p` again, sysrq-c: the crash kernel came up with its command line
#  8 its DTB: linux,elfcorehdr is the plan's elfcorehdr segment and
#    linux,usable-memory-range the crash region of the first kernel's iomem
#  9 its /proc/vmcore is an ELF64 LSB core for EM_AARCH64 whose PT_LOADs
#    are those of the plan's ELF core headers (vaddr, paddr, size), and
#    where the crashed kernel's own VMCOREINFO says they are: the kernel
#    image at paddr + kimage_voffset, the linear map at (paddr -
#    PHYS_OFFSET) | PAGE_OFFSET -- the VA/PA translation vmcore-dmesg uses
#    (vmcore-loads.py)
# 10 our static vmcore-dmesg reads /proc/vmcore: the marker written before
#    the crash, the first kernel's own command line and the sysrq panic
# 11 its output starts with the first kernel's own reading of its log
#    (busybox dmesg: syslog(2), formatted by the kernel) taken just before
#    sysrq-c, line for line
#
# UKEXEC_ARM64_RECORD=DIR: also record, for tests/golden, the part of
# /proc/vmcore that vmcore-dmesg reads (DIR/vmcore.trim.gz, made in the
# crash kernel by vmcore-trim) and the first kernel's own dmesg (DIR/dmesg).
#
# Inputs: Debian's kernel and busybox (scripts/fetch-arm64, cached), a static
# arm64 build of ukexec (tests/e2e-arm64/lib.sh). UKEXEC_ARM64_TIMEOUT:
# seconds for the boot (default 300). The console log is kept in
# ${TMPDIR:-/tmp}/ukexec-arm64-kdump.log when a test fails.
. "$(dirname "$0")/lib.sh"

arm64_need_tools
command -v python3 >/dev/null || arm64_skip "no python3"
arm64_debian_inputs
record=${UKEXEC_ARM64_RECORD:-}
if [ -n "$record" ]; then
	arm64_need_build kexec/kexec kdump/vmcore-dmesg tests/e2e-arm64/vmcore-trim
	trim=(vmcore-trim="$arm64_build/tests/e2e-arm64/vmcore-trim")
else
	arm64_need_build kexec/kexec kdump/vmcore-dmesg
	trim=()
fi

m1=$(qemu_marker first) m2=$(qemu_marker crashed) km=$(qemu_marker kmsg)
arm64_debian_boot crash \
	"crashkernel=256M log_buf_len=1M ukexec.stage=crash ukexec.marker=$m1 ukexec.next=$m2 ukexec.kmsg=$km" \
	vmcore-dmesg="$arm64_build/kdump/vmcore-dmesg" "${trim[@]}"

console_excerpt() {
	grep -aE "UKEXEC-(FIRST|STEP|OUT|CRASH|VMCORE-DMESG|FAIL)|Kernel panic|Internal error" "$log" |
		grep -av 'UKEXEC-OUT: .*: \(segment\[\|crash PT_LOAD\|  \)\|-B64: \|-HEAD: ' | tail -n 30
}
# out NAME: the output of the step NAME
out() { sed -n "s/^UKEXEC-OUT: $1: //p" "$log"; }

echo "1..11"
if qemu_seen "$log" "UKEXEC-FIRST $m1 $version"; then
	ok 1 "Debian's $version reached /init (crashkernel=256M)"
else
	not_ok 1 "Debian's $version did not reach /init (qemu exit $st, $qemu_secs s)"
fi

s=$(stepline status-none)
if [ "$s" = "0 0 0" ]; then
	ok 2 "kexec -S before any load: exit 0, kexec_crash_loaded 0"
else
	not_ok 2 "kexec -S before any load: exit/crash_loaded/loaded '$s', not '0 0 0'"
fi

s=$(stepline load-p)
fallback=$(out load-p | grep -c 'kexec_file_load: .*falling back to the userspace plan and kexec_load')
if [ "$s" = "0 1 0" ] && [ "$fallback" -eq 1 ]; then
	ok 3 "kexec -p -d: exit 0, kexec_crash_loaded 1, one fallback line"
	out load-p | grep -E 'falling back|^segment\[|^entry|^memblock:|elf core header' | sed 's/^/# /'
else
	not_ok 3 "kexec -p -d: exit/crash_loaded/loaded '$s' (want '0 1 0'), $fallback fallback lines (want 1)"
fi

s1=$(stepline status) s2=$(stepline status-p) s3=$(stepline status-l) s4=$(stepline status-s)
if [ "${s1%% *}" = 1 ] && [ "${s2%% *}" = 1 ] && [ "${s3%% *}" = 0 ] && [ "${s4%% *}" = 1 ]; then
	ok 4 "kexec -S, kexec -p -S and kexec -s -S exit 1 (crash kernel loaded), kexec -l -S exits 0"
else
	not_ok 4 "kexec -S exit ${s1%% *}, -p -S ${s2%% *}, -s -S ${s4%% *} (want 1, 1, 1), -l -S ${s3%% *} (want 0)"
fi

s1=$(stepline unload-p) s2=$(stepline status-unloaded)
if [ "$s1" = "0 0 0" ] && [ "${s2%% *}" = 0 ]; then
	ok 5 "kexec -p -u: exit 0, kexec_crash_loaded 1 -> 0; kexec -S then exits 0"
else
	not_ok 5 "kexec -p -u: exit/crash_loaded/loaded '$s1' (want '0 0 0'), then kexec -S exit ${s2%% *} (want 0)"
fi

s1=$(stepline load-p-s) s2=$(stepline unload-p-s)
if [ "$s1" = "253 0 0" ] && [ "$s2" = "253 0 0" ]; then
	ok 6 "kexec -s -p and kexec -s -p -u without KEXEC_FILE: exit 253 (EFALLBACK), nothing loaded"
	{ out load-p-s; out unload-p-s; } | sed 's/^/# /'
else
	not_ok 6 "kexec -s -p / -s -p -u: exit/crash_loaded/loaded '$s1' / '$s2' (want '253 0 0' both)"
fi

want="console=ttyAMA0 panic=-1 ukexec.stage=crashed ukexec.marker=$m2 ukexec.kmsg=$km"
got=$(qemu_field "$log" UKEXEC-CMDLINE)
s=$(stepline load-p-again)
if [ "$s" = "0 1 0" ] && qemu_seen "$log" "UKEXEC-CRASHED $m2 $version" && [ "$got" = "$want" ]; then
	ok 7 "kexec -p, sysrq-c: the crash kernel booted with its command line ($qemu_secs s for both kernels under TCG)"
else
	not_ok 7 "kexec -p again '$s' (want '0 1 0'), sysrq-c: no crash kernel with '$want' (got '$got'; qemu exit $st, $qemu_secs s)"
fi

# the plan of the load that was crashed into (load-p-again, -d)
hdr=$(out load-p-again | sed -n 's/.*elf core header at 0x\([0-9a-f]*\) bufsz=\(0x[0-9a-f]*\).*/\1 \2/p' | head -n1)
read -r e_got u_got <<<"$(qemu_field "$log" UKEXEC-ELFCOREHDR) $(qemu_field "$log" UKEXEC-USABLE)"
read -r hmem hsz <<<"$hdr"
# the first kernel's "Crash kernel" resource (its /proc/iomem)
crash=$(qemu_field "$log" UKEXEC-CRASH-REGION)
if [ -n "${hmem:-}" ] && [ "${e_got:-}" = "$(printf '%016x%016x' $((0x$hmem)) $((hsz)))" ] &&
	[ -n "${crash% *}" ] && [ -n "${crash#* }" ] &&
	[ "${u_got:-}" = "$(printf '%016x%016x' $((0x${crash% *})) $((0x${crash#* } - 0x${crash% *} + 1)))" ]; then
	ok 8 "the crash kernel's DTB: linux,elfcorehdr 0x$hmem+$hsz (the plan's) and linux,usable-memory-range the Crash kernel resource ${crash% *}-${crash#* }"
else
	not_ok 8 "the crash kernel's DTB: linux,elfcorehdr '${e_got:-}' (plan: ${hdr:-?}), linux,usable-memory-range '${u_got:-}' (iomem: ${crash:-?})"
fi

# /proc/vmcore's PT_LOADs against those of the ELF core headers ukexec
# handed to the kernel (the elfcorehdr segment of load-p-again's --dump-plan)
sed -n 's/^UKEXEC-VMCORE-HEAD: //p' "$log" | base64 -d > "$tmp/vmcore-head" 2>/dev/null
sed -n 's/^UKEXEC-ELFCOREHDR-B64: //p' "$log" | base64 -d > "$tmp/elfcorehdr" 2>/dev/null
vm=$(qemu_field "$log" UKEXEC-VMCORE)
python3 "$e2e_dir/vmcore-loads.py" "$tmp/vmcore-head" "$tmp/elfcorehdr" > "$tmp/loads.cmp" 2>&1
pst=$?
if [[ $vm =~ ^[1-9][0-9]*\ 7f454c46020101[0-9a-f]{18}0400b700$ ]] && [ $pst -eq 0 ]; then
	ok 9 "/proc/vmcore: ELF64 LSB ET_CORE EM_AARCH64, ${vm%% *} bytes; $(tail -n1 "$tmp/loads.cmp")"
	sed 's/^/# /' "$tmp/loads.cmp"
else
	not_ok 9 "/proc/vmcore '${vm:-none}' (want an ELF64 LSB ET_CORE EM_AARCH64) / PT_LOADs: $(tail -n1 "$tmp/loads.cmp")"
	sed 's/^/# /' "$tmp/loads.cmp"
fi

line=$(qemu_field "$log" UKEXEC-VMCORE-DMESG:)
cmdline=$(qemu_field "$log" UKEXEC-VMCORE-CMDLINE:)
panic=$(qemu_field "$log" UKEXEC-VMCORE-PANIC:)
if [[ $line == *"ukexec-kdump-kmsg: $km"* ]] && [[ $cmdline == *"ukexec.marker=$m1 "* ]] &&
	[[ $panic == *"sysrq triggered crash"* ]]; then
	ok 10 "vmcore-dmesg: $(qemu_field "$log" UKEXEC-VMCORE-DMESG-EXIT), the marker, the first kernel's command line and its panic"
	printf '%s\n' "$line" "$cmdline" "$panic" | sed 's/^/# /'
else
	not_ok 10 "vmcore-dmesg ($(qemu_field "$log" UKEXEC-VMCORE-DMESG-EXIT)): marker '$line', command line '$cmdline', panic '$panic'"
fi

sed -n 's/^UKEXEC-DMESG: //p' "$log" > "$tmp/dmesg.first"
sed -n 's/^UKEXEC-VMCORE-LOG: //p' "$log" > "$tmp/dmesg.vmcore"
n=$(wc -l < "$tmp/dmesg.first")
m=$(wc -l < "$tmp/dmesg.vmcore")
if [ "$n" -gt 0 ] && head -n "$n" "$tmp/dmesg.vmcore" | cmp -s - "$tmp/dmesg.first"; then
	ok 11 "vmcore-dmesg's first $n of $m lines are the first kernel's own dmesg before the crash, byte for byte"
	tail -n $((m - n)) "$tmp/dmesg.vmcore" | sed 's/^/# after: /' | head -n 5
else
	not_ok 11 "vmcore-dmesg's $m lines do not start with the first kernel's $n lines of dmesg"
	head -n "$n" "$tmp/dmesg.vmcore" | diff "$tmp/dmesg.first" - | head -n 10 | sed 's/^/# /'
fi

if [ -n "$record" ]; then
	mkdir -p "$record" &&
		sed -n 's/^UKEXEC-TRIM-B64: //p' "$log" | base64 -d > "$record/vmcore.trim.gz" &&
		cp "$tmp/dmesg.first" "$record/dmesg" &&
		cp "$cache/kernel-version" "$record/kernel-version" &&
		echo "# recorded: $record/vmcore.trim.gz ($(stat -c %s "$record/vmcore.trim.gz") bytes), $record/dmesg ($n lines)" ||
		{ nfail=$((nfail + 1)); echo "# recording into $record failed"; }
fi

arm64_debian_finish kdump
