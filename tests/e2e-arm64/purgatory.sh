#!/bin/bash
# ukexec's arm64 purgatory (purgatory/arch/arm64/), run bare-metal in
# qemu-system-aarch64 -M virt (TCG): the purgatory of an arm64 cross build,
# relocated by the tool's own loader (place-purgatory, built by make check)
# beside a stand-in kernel (standin-kernel.S, which prints x0-x3, its EL and
# SCTLR on the PL011), a fake DTB and a random "initrd", all loaded with
# -device loader; the CPU starts at purgatory_start.
# Checks: the stand-in runs with x0 = the DTB, x1-x3 = 0, MMU and D-cache
# off, TTBR0 in the purgatory (it hashed with the D-cache on), at EL1 and EL2 (virtualization=on), on a CPU with the SHA-256
# instructions (-cpu max) and on one without (QEMU models none: hide-sha2.S
# hides them from EL1); with one byte of a digest region flipped it never
# runs.
# Exit 77 (TAP skip under make) without the inputs: aarch64-linux-gnu-gcc,
# qemu-system-aarch64, the host build's place-purgatory.
#   UKEXEC_ARM64_BUILD  an arm64 build directory with purgatory/purgatory.ro;
#                       default: built here, in tests/e2e-arm64/cache/build.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_srcdir=$(cd "$top_srcdir" && pwd)
e2e_dir=$top_srcdir/tests/e2e-arm64
cache=${UKEXEC_ARM64_CACHE:-$e2e_dir/cache}
place=${UKEXEC_PLACE_PURGATORY:-${top_builddir:-.}/tests/e2e-arm64/place-purgatory}

skip() {
	echo "1..0 # SKIP $*"
	[ -n "${top_builddir:-}" ] && exit 0
	exit 77
}
command -v aarch64-linux-gnu-gcc >/dev/null ||
	skip "no aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu)"
command -v qemu-system-aarch64 >/dev/null ||
	skip "no qemu-system-aarch64 (apt-get install qemu-system-arm)"
[ -x "$place" ] || skip "no $place (make check builds it)"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "1..1"; echo "not ok 1 - $*"; exit 1; }

# the arm64 purgatory: only purgatory/purgatory.ro of an arm64 cross build
if [ -n "${UKEXEC_ARM64_BUILD:-}" ]; then
	build=$UKEXEC_ARM64_BUILD
else
	build=$cache/build
	mkdir -p "$build"
	exec 9>"$cache/build.lock"
	flock 9
	if [ ! -f "$build/Makefile" ]; then
		# CC and friends from make check's environment are the host's
		(cd "$build" && env -u CC -u LD -u NM "$top_srcdir/configure" --host=aarch64-linux-gnu \
			--without-zlib --without-lzma --without-zstd --without-libfdt \
			LDFLAGS=-static >configure.log 2>&1) ||
			fail "arm64 configure: $build/configure.log"
	fi
	env -u CC -u LD -u NM make -C "$build" purgatory/purgatory.ro >"$build/make.log" 2>&1 ||
		fail "arm64 build of the purgatory: $build/make.log"
	flock -u 9
fi
purg=$build/purgatory/purgatory.ro
[ -s "$purg" ] || fail "no $purg"
# the crypto-extension block function against the generic one, on the host
# under qemu-user (tests/unit/test-sha256 of the same arm64 build)
sha_tap=
if command -v qemu-aarch64-static >/dev/null; then
	env -u CC -u LD -u NM make -C "$build" tests/unit/test-sha256 >>"$build/make.log" 2>&1 ||
		fail "arm64 build of tests/unit/test-sha256: $build/make.log"
	sha_tap=$(qemu-aarch64-static -cpu max "$build/tests/unit/test-sha256" 2>/dev/null)
fi

# guest physical layout (-m 1G: RAM at 0x40000000)
hide_addr=0x40100000 kernel_addr=0x40200000 initrd_addr=0x44000000 dtb_addr=0x48000000 purg_addr=0x48100000

aarch64-linux-gnu-gcc -c -o "$tmp/standin.o" "$e2e_dir/standin-kernel.S" &&
	aarch64-linux-gnu-ld -Ttext=$kernel_addr -e _start -o "$tmp/standin.elf" "$tmp/standin.o" &&
	aarch64-linux-gnu-objcopy -O binary "$tmp/standin.elf" "$tmp/kernel" ||
	fail "assemble standin-kernel.S"
python3 - "$tmp" <<'PY' || fail "make the fake DTB and initrd"
import random, struct, sys
r = random.Random(1264)
d = sys.argv[1]
# a DTB header (magic, totalsize) and random bytes: only its digest matters
dtb = bytearray(r.getrandbits(8) for _ in range(0x2345))
dtb[0:8] = struct.pack(">II", 0xd00dfeed, len(dtb))
open(d + "/dtb", "wb").write(dtb)
open(d + "/initrd", "wb").write(bytes(r.getrandbits(8) for _ in range(3 * 1024 * 1024 + 123)))
PY
out=$("$place" "$purg" $purg_addr $kernel_addr $dtb_addr "$tmp/purgatory" \
	"$tmp/kernel@$kernel_addr" "$tmp/initrd@$initrd_addr" "$tmp/dtb@$dtb_addr" 2>&1) ||
	fail "place-purgatory: $out"
entry=${out#entry=}
entry=${entry%% *}
memsz=${out##*memsz=}
aarch64-linux-gnu-gcc -c -o "$tmp/hide.o" "$e2e_dir/hide-sha2.S" &&
	aarch64-linux-gnu-ld -Ttext=$hide_addr -e _start --defsym purgatory=$entry \
		-o "$tmp/hide.elf" "$tmp/hide.o" &&
	aarch64-linux-gnu-objcopy -O binary "$tmp/hide.elf" "$tmp/hide" ||
	fail "assemble hide-sha2.S"

exec 8>/tmp/ukexec-qemu.lock
flock 8

# guest NAME SECONDS MACHINE CPU [INITRD [START]]: the serial output in
# $tmp/NAME.out, the seconds until the stand-in spoke (or the timeout) in
# $secs; START hide: through hide-sha2.S
guest() {
	local name=$1 limit=$2 machine=$3 cpu=$4 initrd=${5:-$tmp/initrd} start=$entry pid t0
	local extra=()
	[ "${6:-}" = hide ] && { start=$hide_addr; extra=(-device loader,file="$tmp/hide",addr=$hide_addr,force-raw=on); }
	: >"$tmp/$name.out"
	t0=$(date +%s%N)
	timeout "$limit" qemu-system-aarch64 -M "$machine" -cpu "$cpu" -accel tcg -m 1G \
		-nodefaults -nographic -display none -monitor none -serial "file:$tmp/$name.out" \
		-device loader,file="$tmp/kernel",addr=$kernel_addr,force-raw=on \
		-device loader,file="$initrd",addr=$initrd_addr,force-raw=on \
		-device loader,file="$tmp/dtb",addr=$dtb_addr,force-raw=on \
		-device loader,file="$tmp/purgatory",addr=$purg_addr,force-raw=on \
		"${extra[@]}" -device loader,addr=$start,cpu-num=0 2>"$tmp/$name.err" &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		grep -aq 'sctlr=[0-9a-f]\{16\}' "$tmp/$name.out" && { kill $pid; break; }
		sleep 0.1
	done
	wait $pid 2>/dev/null
	secs=$((($(date +%s%N) - t0) / 1000000))
	secs=$((secs / 1000)).$(printf %03d $((secs % 1000)))
}

want="STANDIN x0=$(printf '%016x' $((dtb_addr))) x1=0000000000000000 x2=0000000000000000 x3=0000000000000000"
echo "1..6"
n=0
slowest=0
# entered NAME MACHINE CPU EL SHA2 [hide]: the stand-in ran as it must, on
# a CPU whose ID_AA64ISAR0_EL1.SHA2 is (1) or is not (0) nonzero
entered() {
	local line sctlr isar0 ttbr0
	n=$((n + 1))
	guest "$1" 60 "$2" "$3" "$tmp/initrd" "${6:-}"
	line=$(tr -d '\r' <"$tmp/$1.out" | grep -a '^STANDIN')
	sctlr=${line##*sctlr=}
	isar0=${line##*isar0=}
	isar0=${isar0%% *}
	ttbr0=${line##*ttbr0=}
	ttbr0=${ttbr0%% *}
	if [ "${line% el=*}" != "$want" ]; then
		echo "not ok $n - $1: the stand-in kernel was entered as: ${line:-nothing in $secs s}"
	elif [ "${line#* el=}" = "${line#* el=$4}" ]; then
		echo "not ok $n - $1: at the wrong EL: $line"
	elif [ $(((0x$isar0 >> 12 & 0xf) != 0)) -ne "$5" ]; then
		echo "not ok $n - $1: SHA2 should be $5 on this CPU: $line"
	elif [ $((0x$sctlr & 5)) -ne 0 ]; then
		echo "not ok $n - $1: MMU or D-cache left on (sctlr=$sctlr)"
	elif [ $((0x$ttbr0)) -lt $((purg_addr)) ] || [ $((0x$ttbr0)) -ge $((purg_addr + memsz)) ]; then
		echo "not ok $n - $1: the purgatory did not hash with its identity map (ttbr0=$ttbr0)"
	else
		echo "ok $n - $1: x0 = the DTB, x1-x3 = 0, EL$4, SHA2=$5, hashed with the D-cache on, entered with it off ($secs s)"
		[ "${secs%.*}" -ge "$slowest" ] && slowest=$((${secs%.*} + 1))
		return
	fi
	sed 's/^/# /' "$tmp/$1.out"
}
entered "sha2-el1" virt max 1 1
entered "sha2-el2" virt,virtualization=on max 2 1
entered "generic-el1" virt,virtualization=on max 1 0 hide

# one byte of the initrd flipped after the digest was taken: the purgatory
# must not enter the stand-in, however long it is given
n=$((n + 1))
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 0x40; open(sys.argv[2], "wb").write(b)' \
	"$tmp/initrd" "$tmp/initrd-bad"
limit=$((slowest * 5 + 5))
guest corrupt $limit virt max "$tmp/initrd-bad"
if grep -aq STANDIN "$tmp/corrupt.out"; then
	echo "not ok $n - corrupt: the stand-in ran despite a flipped byte"
	sed 's/^/# /' "$tmp/corrupt.out"
else
	echo "ok $n - corrupt: a flipped initrd byte stops the purgatory (nothing in $secs s)"
fi
n=$((n + 1))
guest corrupt-generic $limit virt,virtualization=on max "$tmp/initrd-bad" hide
if grep -aq STANDIN "$tmp/corrupt-generic.out"; then
	echo "not ok $n - corrupt-generic: the stand-in ran despite a flipped byte"
	sed 's/^/# /' "$tmp/corrupt-generic.out"
else
	echo "ok $n - corrupt-generic: the same without the SHA-256 instructions (nothing in $secs s)"
fi

# test-sha256's own comparisons of the two (its checks of UKEXEC_SHA256
# re-execute it, which qemu-user without binfmt_misc cannot: not counted)
n=$((n + 1))
if [ -z "$sha_tap" ]; then
	echo "ok $n # SKIP no qemu-aarch64-static (apt-get install qemu-user-static)"
else
	ce=$(echo "$sha_tap" | grep -c '^ok .*armv8-ce')
	bad=$(echo "$sha_tap" | grep '^not ok' | grep -v UKEXEC_SHA256)
	if [ -z "$bad" ] && [ "$ce" -ge 40 ] &&
		echo "$sha_tap" | grep -q '^ok .* armv8-ce block function equals the generic one' &&
		echo "$sha_tap" | grep -q '^ok .* generic and armv8-ce agree on .* random lengths'; then
		echo "ok $n - test-sha256 under qemu-aarch64-static: armv8-ce = generic ($ce armv8-ce checks)"
	else
		echo "not ok $n - test-sha256 under qemu-aarch64-static ($ce armv8-ce checks passed)"
		echo "$sha_tap" | grep '^not ok' | sed 's/^/# /'
	fi
fi
