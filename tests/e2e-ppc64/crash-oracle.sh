#!/bin/bash
# The -p oracle in QEMU (issue 13): in one pseries guest of the 6.1 oracle
# kernel (KEXEC_FILE + KEXEC; tests/golden/ppc64-pseries-6.1's machine:
# -m 1G,slots=4,maxmem=2G, crashkernel=128M), the crash load of Debian's
# ppc64el vmlinux by the kernel (kexec_file_load, as `kexec -s -p`), read
# back from the crash region through /proc/kcore, then unloaded and loaded
# again from ukexec's plan (`kexec -c -p` of the static ppc64le build:
# kexec_load, the kernel's purgatory given as a file), read back the same
# way. The two must have the same segment table and the same bytes but for
# the device tree's random seeds and the purgatory's digest, each digest the
# SHA-256 of its own load's segments (crash-bytes.py).
#
# UKEXEC_PPC64_GOLDEN=DIR: another recorded machine (its inputs' oracle
# kernel in CACHE/vmlinux, its "qemu" shape), e.g. ppc64-pseries-6.1-64k.
#
#   crash-oracle.sh   TAP; exit 77 without the oracle kernel (CACHE/vmlinux,
#                     doc/dev/next-arches/build-ppc64le.sh; not built by CI),
#                     the Debian vmlinux and busybox (scripts/fetch-ppc64),
#                     CACHE/kexec-static (static-cross.sh), qemu-system-ppc64
#                     or powerpc64le-linux-gnu-gcc.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/oracle-lib.sh"
ppc64_oracle_need
tmp=$(mktemp -d) || exit 1
trap '[ -n "${UKEXEC_KEEP:-}" ] && cp "$tmp/console" /tmp/ukexec-ppc64-crash-oracle.console; rm -rf "$tmp"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }

r=$tmp/root
ppc64_oracle_root "$r" "$here/init-crash-oracle.sh" || exit 1
sed -n 's/^cmdline-p //p' "$g/inputs" > "$r/cmdline-p"
(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$tmp/initrd"

# the recorded machine's shape (inputs' "qemu" line, else the first recording's)
read -r smp mem dimm crashkernel <<< "$(awk '$1 == "qemu" {
	d = "-"; for (i = 2; i <= NF; i++) { if ($i == "-smp") s = $(i + 1); if ($i == "-m") m = $(i + 1)
	if ($i == "pc-dimm") d = $(i + 1); if ($i ~ /^crashkernel=/) c = substr($i, 13) }
	print s, m, d, c }' "$g/inputs")"
smp=${smp:-1} mem=${mem:-1G,slots=4,maxmem=2G} crashkernel=${crashkernel:-128M}
dimm_args=()
[ "${dimm:--}" = - ] ||
	dimm_args=(-object "memory-backend-ram,id=ukexec-dimm0,size=$dimm" -device pc-dimm,id=dimm0,memdev=ukexec-dimm0)
t0=$SECONDS
flock /tmp/ukexec-qemu.lock timeout "${UKEXEC_PPC64_TIMEOUT:-240}" qemu-system-ppc64 -M pseries \
	-cpu power9 -accel tcg -smp "$smp" -m "$mem" "${dimm_args[@]}" -nographic -no-reboot \
	-kernel "$cache/vmlinux" -initrd "$tmp/initrd" -append "console=hvc0 panic=-1 crashkernel=$crashkernel" \
	</dev/null 2>&1 | tr -d '\r' >"$tmp/console"
secs=$((SECONDS - t0))

extract() { # NAME FILE: a base64 block of the console, its sha256 checked
	awk -v b="BEGIN-$1" -v e="END-$1" '$0 == b { on = 1; next } $0 == e { on = 0 } on && /^[A-Za-z0-9+\/=]+$/' \
		"$tmp/console" | base64 -d > "$2" 2>/dev/null &&
		[ "$(awk -v s="SHA-$1" '$1 == s { print $2 }' "$tmp/console")" = "$(sha256sum < "$2" | cut -d' ' -f1)" ]
}
mkdir -p "$tmp/s" "$tmp/c"
extract S-LOG "$tmp/s.log" && grep -q 'kexec_file_load(flags=0x2) = 0' "$tmp/s.log"
ok $? "kexec_file_load(KEXEC_FILE_ON_CRASH) of Debian's vmlinux by the oracle kernel ($secs s)"
grep -aq '^UNLOADED rc=0 crash_loaded=0' "$tmp/console"
ok $? "kexec -p -u unloads it"
extract C-PLAN "$tmp/c.plan" && grep -aq '^C-LOADED rc=0 crash_loaded=1' "$tmp/console"
ok $? "kexec -c -p (kexec_load of ukexec's plan) in the same guest: $(grep -a '^C-LOADED' "$tmp/console")"
for side in S C; do
	for i in $(sed -n "s/^BEGIN-$side-SEG-\\([0-9]*\\)\$/\\1/p" "$tmp/console"); do
		extract "$side-SEG-$i" "$tmp/$(echo $side | tr SC sc)/segment-$i.bin" || echo "bad $side-SEG-$i" >> "$tmp/bad"
	done
done
[ ! -e "$tmp/bad" ] && [ -f "$tmp/s/segment-5.bin" ] && [ -f "$tmp/c/segment-5.bin" ]
ok $? "both loads read back from the crash region ($(ls "$tmp/s" | wc -l) + $(ls "$tmp/c" | wc -l) segments)"
sed -n -E 's/.*kexec_file: Loading segment [0-9]+: buf=[^ ]* bufsz=([^ ]*) mem=([^ ]*) memsz=([^ ]*).*/\1 \2 \3/p' \
	"$tmp/s.log" > "$tmp/s.table"
sed -n -E 's/^segment\[[0-9]+\]: buf=[^ ]* bufsz=([^ ]*) mem=([^ ]*) memsz=([^ ]*).*/\1 \2 \3/p' \
	"$tmp/c.plan" > "$tmp/c.table"
[ -s "$tmp/s.table" ] && cmp -s "$tmp/s.table" "$tmp/c.table"
ok $? "the same segment table: $(tr '\n' ';' < "$tmp/s.table")"
entry=$(sed -n 's/^entry = //p' "$tmp/c.plan")
python3 "$here/crash-bytes.py" "$tmp/s.table" "${entry:-0}" "$tmp/s" "$tmp/c" "$cache/debian-vmlinux" > "$tmp/bytes"
while read -r st msg; do
	[ "$st" = ok ]
	ok $? "-s -p vs -c -p bytes: $msg"
done < "$tmp/bytes"
[ -s "$tmp/bytes" ]
ok $? "the bytes compared"
[ $failed -eq 0 ] || tail -30 "$tmp/console" | sed 's/^/# /'
echo "1..$n"
[ $failed -eq 0 ]
