#!/bin/bash
# vmcore-dmesg on a real arm64 crash dump, without QEMU: the part of Debian's
# 6.1 arm64 kernel's /proc/vmcore that vmcore-dmesg reads
# (tests/golden/arm64-debian-6.1-kdump, recorded by tests/e2e-arm64/kdump.sh)
# against that kernel's own dmesg taken just before the crash.
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bld=${top_builddir:-$top/build}
g=$top/tests/golden/arm64-debian-6.1-kdump
dmesg=$bld/kdump/vmcore-dmesg
[ -x "$dmesg" ] || { echo "1..0 # SKIP no $dmesg"; exit 77; }
command -v python3 >/dev/null || { echo "1..0 # SKIP no python3"; exit 77; }
command -v readelf >/dev/null || { echo "1..0 # SKIP no readelf"; exit 77; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
gzip -dc "$g/vmcore.trim.gz" > "$tmp/vmcore" || { echo "1..1"; echo "not ok 1 - gunzip $g/vmcore.trim.gz"; exit 1; }
n=$(wc -l < "$g/dmesg")

echo "1..5"
t=0
check() { # STATUS WHAT (the status first: a $(...) in WHAT would replace $?)
	local st=$1
	shift
	t=$((t + 1))
	if [ $st -eq 0 ]; then echo "ok $t - $1"; else echo "not ok $t - $1"; fail=1; fi
}
fail=0

# the recording has both mappings: the kernel image's (the prb pointer) and
# the linear map's (the 1 MiB ring); VA_BITS=48: the linear map ends at
# 0xffff800000000000, the kernel image lies above
loads=$(LC_ALL=C readelf -lW "$tmp/vmcore" 2>/dev/null | awk '$1 == "LOAD" { print $3 }')
[ -n "$(LC_ALL=C readelf -hW "$tmp/vmcore" | grep -E 'Type: +CORE' )" ] &&
	[ -n "$(LC_ALL=C readelf -hW "$tmp/vmcore" | grep -E 'Machine: +AArch64')" ] &&
	printf '%s\n' $loads | grep -q '^0xffff[0-7]' && printf '%s\n' $loads | grep -q '^0xffff[89a-f]'
check $? "the recording is an AArch64 ELF core with kernel-image and linear-map PT_LOADs ($(printf '%s\n' $loads | wc -l) PT_LOADs)"

"$dmesg" "$tmp/vmcore" > "$tmp/out" 2> "$tmp/err" && [ ! -s "$tmp/err" ]
check $? "vmcore-dmesg reads it: exit 0, nothing on stderr"
sed 's/^/# /' "$tmp/err"

head -n "$n" "$tmp/out" | cmp -s - "$g/dmesg"
check $? "its first $n lines are the kernel's own dmesg, byte for byte"
[ $fail -eq 0 ] || head -n "$n" "$tmp/out" | diff "$g/dmesg" - | head -n 10 | sed 's/^/# /'

tail -n +$((n + 1)) "$tmp/out" | grep -q '^\[ *[0-9]*\.[0-9]*\] Kernel panic - not syncing: sysrq triggered crash$'
check $? "after them: the sysrq panic ($(($(wc -l < "$tmp/out") - n)) more lines)"

# a check of the check: one byte of a record's text changed in the dump
marker=$(grep -o 'ukexec-kdump-kmsg: kmsg-[0-9-]*' "$g/dmesg" | head -n 1)
python3 - "$tmp/vmcore" "$marker" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
at = data.find(sys.argv[2].encode())
if at < 0:
    sys.exit('the marker is not in the dump')
data[at + len('ukexec-kdump-kmsg')] = ord(';')
open(sys.argv[1], 'wb').write(data)
EOF
! "$dmesg" "$tmp/vmcore" 2>/dev/null | head -n "$n" | cmp -s - "$g/dmesg" &&
	"$dmesg" "$tmp/vmcore" 2>/dev/null | grep -qF "${marker/kmsg: /kmsg; }"
check $? "mutation: a changed byte of the marker's text in the dump shows in the output"
[ $fail -eq 0 ]
