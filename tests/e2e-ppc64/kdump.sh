#!/bin/bash
# kdump end to end on Debian's own ppc64el 6.1 kernel (CONFIG_KEXEC, no
# KEXEC_FILE, 64 KiB pages; issue 13): booted with crashkernel=256M in qemu
# pseries (POWER9, TCG, -m 1G,slots=4,maxmem=2G: dynamic-reconfiguration
# memory), its /init loads the same kernel with the static ppc64le ukexec's
# `kexec -p` (the userspace crash plan through kexec_load: the crash region
# of the device tree, the backup region, the ELF core headers, elfcorehdr=,
# the usable-memory properties; a purgatory, which copies the first 64 KiB
# to the backup region), writes a marker to the kernel log and crashes
# (sysrq c). The crash kernel must boot with elfcorehdr= and the command
# line, our static vmcore-dmesg must find the marker and the sysrq line in
# its /proc/vmcore, and /proc/vmcore's physical 0-0xffff (served from the
# backup region) must be the crashed kernel's first 64 KiB, not the zeros
# the loader put there. Before that load, -S and -u as kexec-tools:
# `kexec -S` 0 before a load, 1 after (-p -S, -s -S too; -l -S 0),
# `kexec -p -u` unloads (kexec_crash_loaded 1 -> 0), `-s -p` and
# `-s -p -u` exit 253 (EFALLBACK: this kernel has no kexec_file_load).
#
#   kdump.sh [kernel|own]
#     kernel   the 6.1 oracle's own purgatory (--purgatory=kexec_purgatory)
#     own      ours (purgatory/arch/ppc64), embedded in kexec-static
#   TAP; exit 77 without qemu-system-ppc64, the Debian vmlinux and busybox
#   (scripts/fetch-ppc64) or CACHE/kexec-static and CACHE/vmcore-dmesg-static
#   (tests/e2e-ppc64/static-cross.sh)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${UKEXEC_PPC64_CACHE:-$here/cache}
g=$top/tests/golden/ppc64-pseries-6.1
mode=${1:-kernel}
case $mode in kernel|own) ;; *) echo "usage: $0 [kernel|own]" >&2; exit 2 ;; esac
skip() { echo "1..0 # SKIP $*"; exit 77; }
command -v qemu-system-ppc64 >/dev/null || skip "qemu-system-ppc64 not found"
for f in debian-vmlinux busybox kexec-static vmcore-dmesg-static; do
	[ -s "$cache/$f" ] || skip "no $cache/$f (scripts/fetch-ppc64, tests/e2e-ppc64/static-cross.sh)"
done
tmp=$(mktemp -d) || exit 1
trap '[ -n "${UKEXEC_KEEP:-}" ] && cp "$tmp/console" /tmp/ukexec-ppc64-kdump.console; rm -rf "$tmp"' EXIT

# initramfs: the crash kernel's (busybox, vmcore-dmesg, /init), then the
# first's (the same and ukexec, the kernel, the purgatory, the crash one's)
for d in inner outer; do
	mkdir -p "$tmp/$d/bin" "$tmp/$d/proc" "$tmp/$d/sys" "$tmp/$d/dev"
	cp "$cache/busybox" "$tmp/$d/bin/busybox"
	ln -s busybox "$tmp/$d/bin/sh"
	cp "$here/init-kdump.sh" "$tmp/$d/init"
	chmod +x "$tmp/$d/init" "$tmp/$d/bin/busybox"
done
cp "$cache/vmcore-dmesg-static" "$tmp/inner/vmcore-dmesg"
# what the first kernel has at physical 0-0xffff: its vmlinux's first 64 KiB
python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read()
phoff, = struct.unpack_from("<Q", b, 0x20)
off, = struct.unpack_from("<Q", b, phoff + 8)
sys.stdout.buffer.write(b[off:off + 0x10000])' "$cache/debian-vmlinux" >"$tmp/inner/low64k.bin"
(cd "$tmp/inner" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$tmp/outer/initrd.img"
cp "$cache/kexec-static" "$tmp/outer/kexec"
cp "$cache/debian-vmlinux" "$tmp/outer/vmlinux"
[ "$mode" = kernel ] && cp "$g/kexec_purgatory" "$tmp/outer/kexec_purgatory"
(cd "$tmp/outer" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$tmp/initrd"

t0=$SECONDS
flock /tmp/ukexec-qemu.lock timeout 300 qemu-system-ppc64 -M pseries -cpu power9 -accel tcg \
	-m 1G,slots=4,maxmem=2G -nographic -no-reboot -kernel "$cache/debian-vmlinux" -initrd "$tmp/initrd" \
	-append "console=hvc0 panic=-1 quiet crashkernel=256M" </dev/null 2>&1 | tr -d '\r' >"$tmp/console"
secs=$((SECONDS - t0))
c=$tmp/console
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }

# stepline NAME: "EXIT kexec_crash_loaded kexec_loaded" of a step of /init
stepline() { sed -n "s/^UKEXEC-STEP $1 //p" "$c" | head -n1; }
s=$(stepline status-none)
[ "$s" = "0 0 0" ]
ok $? "kexec -S before any load: exit 0, kexec_crash_loaded 0 ('$s')"
s=$(stepline load-p)
[ "$s" = "0 1 0" ]
ok $? "kexec -p: exit 0, kexec_crash_loaded 1 ('$s')"
s1=$(stepline status) s2=$(stepline status-p) s3=$(stepline status-l) s4=$(stepline status-s)
[ "${s1%% *}" = 1 ] && [ "${s2%% *}" = 1 ] && [ "${s3%% *}" = 0 ] && [ "${s4%% *}" = 1 ]
ok $? "kexec -S, -p -S, -s -S exit 1 (crash kernel loaded; ${s1%% *} ${s2%% *} ${s4%% *}), -l -S exits 0 (${s3%% *})"
s1=$(stepline unload-p) s2=$(stepline status-unloaded)
[ "$s1" = "0 0 0" ] && [ "${s2%% *}" = 0 ]
ok $? "kexec -p -u: exit 0, kexec_crash_loaded 1 -> 0 ('$s1'); kexec -S then exits ${s2%% *}"
s1=$(stepline load-p-s) s2=$(stepline unload-p-s)
[ "$s1" = "253 0 0" ] && [ "$s2" = "253 0 0" ]
ok $? "kexec -s -p and -s -p -u without KEXEC_FILE: exit 253 (EFALLBACK), nothing loaded ('$s1' / '$s2')"
grep -aq '^UKEXEC-LOADED rc=0 crash_loaded=1' "$c"
ok $? "kexec -p of Debian's vmlinux in the guest: $(grep -ao 'UKEXEC-FIRST-KERNEL .*' "$c" | cut -d' ' -f2-)"
grep -a '^segment\[\|^entry =' "$c" | sed 's/^/# /'
grep -aq 'kexec_file_load: .*falling back to the userspace plan and kexec_load' "$c"
ok $? "kexec_file_load refused (no KEXEC_FILE): the crash plan through kexec_load"
elf=$(grep -ao 'Loaded elf core header at 0x[0-9a-f]*' "$c" | awk '{ print $NF }' | head -1)
line=$(grep -a '^UKEXEC-CRASH-KERNEL' "$c")
[[ $line == *"elfcorehdr=$elf console=hvc0 panic=-1 maxcpus=1 ukexec.crash=1"* ]] && [ -n "$elf" ]
ok $? "sysrq c: the crash kernel booted with elfcorehdr=${elf:-?} and the command line ($secs s)"
grep -aq '^UKEXEC-VMCORE-DMESG rc=0' "$c"
ok $? "vmcore-dmesg /proc/vmcore in the crash kernel: $(grep -a '^UKEXEC-VMCORE-DMESG' "$c")"
marker=$(grep -a '^UKEXEC-MARKER ' "$c" | awk '{ print $2 }')
[ -n "$marker" ] && grep -aq "^UKEXEC-FOUND UKEXEC-BEFORE-CRASH $marker" "$c"
ok $? "the crashed kernel's log has the marker written before the crash (${marker:-?})"
grep -aq '^UKEXEC-FOUND-SYSRQ ' "$c"
ok $? "and its sysrq crash line: $(grep -a '^UKEXEC-FOUND-SYSRQ' "$c" | cut -c20-100)"
if [ "$mode" = own ]; then
	entry_addr=$(sed -n 's/^entry = //p' "$c" | head -1)
	psz=$(grep -a '^segment\[' "$c" | sed -n "s/.* bufsz=\(0x[0-9a-f]*\) mem=$entry_addr .*/\1/p")
	[ -n "$psz" ] && [ "$psz" != 0x310 ]
	ok $? "the purgatory at the entry ${entry_addr:-?} is ours (bufsz ${psz:-?}; the kernel's is 0x310)"
fi
# the backup: nonzero (copied) and the vmlinux's bytes but what the running
# kernel patched (feature fixups) and the 0x100 bytes kexec_sequence() put at 0
b=$(grep -a '^UKEXEC-BACKUP' "$c")
nz=$(echo "$b" | sed -n 's/.* nonzero=\([0-9]*\).*/\1/p')
da=$(echo "$b" | sed -n 's/.* differ-after-0x100=\([0-9]*\).*/\1/p')
[ -n "$nz" ] && [ -n "$da" ] && [ "$nz" -ge 32768 ] && [ "$da" -le 8192 ]
ok $? "physical 0-0xffff in /proc/vmcore (the backup region) = the crashed kernel's: ${b#UKEXEC-BACKUP }"
[ $failed -eq 0 ] || tail -40 "$c" | sed 's/^/# /'
echo "1..$n"
[ $failed -eq 0 ]
