#!/bin/bash
# Golden kdump plans on the host, x86_64, Debian's 5.10, 6.1, 6.12 and 7.3 kernels
# (and any other line recorded with its kernel cached, e.g. 6.18): the
# crash plan ukexec computes in a dry run from a recorded guest's system view
# (tests/golden/x86_64-debian-VER/crash/sysroot: /proc/iomem, the head of
# /proc/kcore, crash_notes, vmcoreinfo, firmware memmap, boot_params), with
# the kernel's own purgatory, against what the kernel's kexec_file_load put
# in memory in that guest (tests/e2e-x86_64/crash.sh --golden, boot A):
#   the segment table and entry (segments.txt), the ELF core headers
#   (elfcorehdr.bin), boot_params + command line + setup_data
#   (boot_params.bin) and the purgatory (purgatory.bin), byte for byte but
#   for the bytes segments.txt masks (the random RNG seed and the digest
#   that covers it).
# TAP output; exits 77 (skip) when no kernel is cached (scripts/fetch-kernels).
#
#   tests/e2e-x86_64/crash-golden.sh [BUILD_DIR]
#
# The kexec tested: BUILD_DIR/kexec/kexec, else $UKEXEC_HOST_KEXEC, else
# $top_builddir/kexec/kexec. UKEXEC_GOLDEN_TOP: another tests/golden.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

if [ $# -gt 0 ]; then kexec=$1/kexec/kexec
else kexec=${UKEXEC_HOST_KEXEC:-${top_builddir:-.}/kexec/kexec}
fi
vers=(5.10 6.1 6.12 7.3)
# the other lines recorded (scripts/fetch-kernels fetches them only when asked)
for d in "${UKEXEC_GOLDEN_TOP:-$e2e_top/tests/golden}"/x86_64-debian-*/crash; do
	v=${d%/crash}
	v=${v##*/x86_64-debian-}
	case " ${vers[*]} " in *" $v "*) ;; *) vers+=("$v") ;; esac
done
have=()
for v in "${vers[@]}"; do e2e_kernel "$v" >/dev/null && have+=("$v"); done
if [ ${#have[@]} -eq 0 ]; then
	echo "1..0 # SKIP no cached kernel (scripts/fetch-kernels)"
	exit 77
fi
if [ ! -x "$kexec" ] || ! command -v python3 >/dev/null; then
	echo "1..0 # SKIP no kexec at $kexec or no python3"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
planned=$((6 * ${#vers[@]}))
echo "1..$planned"

for v in "${vers[@]}"; do
	g=${UKEXEC_GOLDEN_TOP:-$e2e_top/tests/golden}/x86_64-debian-$v/crash
	kernel=$(e2e_kernel "$v")
	if [ -z "$kernel" ]; then
		for i in 1 2 3 4 5 6; do n=$((n + 1)); echo "ok $n # SKIP $v: no cached kernel"; done
		continue
	fi
	w=$tmp/$v
	mkdir -p "$w"
	# 1. the inputs are the recorded ones
	want_k=$(sed -n 's/^vmlinuz-sha256 //p' "$g/inputs" 2>/dev/null)
	cmdline=$(sed -n 's/^cmdline-p //p' "$g/inputs" 2>/dev/null)
	want_i=$(sed -n 's/^initrd-sha256 //p' "$g/inputs" 2>/dev/null)
	eval "$(sed -n 's/^initrd-command //p' "$g/inputs" 2>/dev/null)" > "$w/initrd.img" 2>/dev/null
	have_k=$(sha256sum < "$kernel" | cut -d' ' -f1)
	have_i=$(sha256sum < "$w/initrd.img" | cut -d' ' -f1)
	if [ -z "$want_k" ] || [ "$want_k" != "$have_k" ] || [ "$want_i" != "$have_i" ]; then
		notok "$v: the cached kernel and the regenerated initrd are the recorded ones ($g/inputs; rerun tests/e2e-x86_64/crash.sh --golden)"
	else
		ok "$v: the cached kernel and the regenerated initrd are the recorded ones"
	fi
	# 2. the dry run
	"$kexec" --dry-run --print-plan --sysroot="$g/sysroot" -c -p --purgatory-from="$kernel" \
		"$kernel" --initrd="$w/initrd.img" --append="$cmdline" --dump-plan="$w/plan" \
		> "$w/print" 2> "$w/err"
	st=$?
	if [ $st -ne 0 ]; then
		notok "$v: kexec --dry-run -c -p --sysroot=crash/sysroot: exit $st: $(head -c 300 "$w/err" | tr '\n' ' ')"
		for i in 3 4 5 6; do notok "$v: (no plan)"; done
		continue
	fi
	ok "$v: kexec --dry-run -c -p --purgatory-from --sysroot=crash/sysroot"
	# 3-6. the table, then the three segments, byte for byte with the masks
	python3 - "$g" "$w/plan" "$w/print" "$v" <<'EOF'
import re, sys
g, plan, printed, ver = sys.argv[1:]
want, masks, entry = {}, {}, None
for line in open(g + "/segments.txt"):
    f = line.split()
    if not f or f[0].startswith("#"):
        continue
    if f[0] == "segment":
        want[int(f[1])] = (f[2], int(f[3], 16), int(f[4], 16), int(f[5], 16))
    elif f[0] == "entry":
        entry = int(f[1], 16)
    elif f[0] == "mask":
        masks.setdefault(f[1], []).append((int(f[2], 16), int(f[3], 16)))
got, got_entry = {}, None
for line in open(plan + "/manifest"):
    f = line.split()
    if f and f[0] == "segment":
        got[int(f[1])] = (f[7], int(f[3], 16), int(f[4], 16), int(f[5], 16))
    elif f and f[0] == "entry":
        got_entry = int(f[1], 16)
n = 0
def tap(good, what):
    print("%s - %s: %s" % ("ok" if good else "not ok", ver, what))
bad = [i for i in sorted(set(want) | set(got)) if want.get(i) != got.get(i)]
if entry is not None and entry != got_entry:
    bad.append("entry")
tap(not bad, "segment table and entry as the kernel's (segments.txt)" +
    "".join("; segment %s: want %s got %s" % (i, want.get(i), got.get(i)) for i in bad if i != "entry") +
    ("; entry: want 0x%x got 0x%x" % (entry, got_entry or 0) if "entry" in bad else ""))
byname = {v[0]: i for i, v in got.items()}
for name in ("elfcorehdr", "boot_params", "purgatory"):
    try:
        a = open("%s/%s.bin" % (g, name), "rb").read()
        b = open("%s/segment-%d.bin" % (plan, byname[name]), "rb").read()
    except (OSError, KeyError) as e:
        tap(False, "%s: %s" % (name, e))
        continue
    a, b = bytearray(a), bytearray(b)
    for off, ln in masks.get(name, []):
        for x in (a, b):
            if off + ln <= len(x):
                x[off:off + ln] = bytes(ln)
    diff = [i for i in range(min(len(a), len(b))) if a[i] != b[i]]
    what = "%s: %d bytes, the kernel's %d" % (name, len(b), len(a))
    if masks.get(name):
        what += ", masked " + ",".join("+0x%x/%d" % m for m in masks[name])
    if diff:
        what += "; %d differ, first at +0x%x (kernel %02x, ukexec %02x)" % (
            len(diff), diff[0], a[diff[0]], b[diff[0]])
    tap(len(a) == len(b) and not diff, what + " (byte for byte)")
EOF
done > "$tmp/tap.raw"
# number the python-printed lines and count failures
n=0 failed=0
while IFS= read -r line; do
	case $line in
	"ok "*|"not ok "*)
		n=$((n + 1))
		case $line in "not ok"*) failed=$((failed + 1)) ;; esac
		echo "$line" | sed -E "s/^(not ok|ok)( [0-9]+)? -? ?/\1 $n - /; s/- # SKIP/# SKIP/"
		;;
	*) echo "$line" ;;
	esac
done < "$tmp/tap.raw"
if [ $n -ne $planned ]; then
	echo "# $n results for $planned planned tests"
	exit 1
fi
[ $failed -eq 0 ]
