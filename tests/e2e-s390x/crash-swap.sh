#!/bin/bash
# The crash-kernel swap of ukexec's s390x purgatory (purgatory/arch/s390x/
# head.S), run bare-metal in qemu-system-s390x (TCG): no Debian s390x kernel
# has CONFIG_CRASH_DUMP, so a small "old kernel" (crash-swap/old-kernel.S)
# calls the purgatory as Linux's __do_machine_kdump does, with the crash plan
# ukexec computes for a stand-in crash kernel (crash-swap/crash-kernel.S) on
# a recorded 1 GiB machine given a "Crash kernel" region. crash-swap.py runs
# the guest and checks memory after the swap by the rules it lists.
# Cases: "swap" (64 MiB region at 256 MiB) and "refuse" (a region the plan
# fills to the last page: no room for the moved purgatory).
# Exit 77 (TAP skip under make) without the inputs: qemu-system-s390x,
# gcc-s390x-linux-gnu, python3.
. "$(dirname "$0")/lib.sh"

command -v qemu-system-s390x >/dev/null || s390x_skip "no qemu-system-s390x (apt-get install qemu-system-misc)"
s390x_host_plan_tools

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
src=$e2e_dir/crash-swap
fail() { echo "1..1"; echo "not ok 1 - $*"; exit 1; }

# the two bare-metal programs: the old kernel at 512 MiB, the crash kernel at 0
cc=s390x-linux-gnu-gcc ld=s390x-linux-gnu-ld
$cc -march=z10 -c -o "$tmp/old.o" "$src/old-kernel.S" &&
	$ld -Ttext=0x20000000 -e _start -o "$tmp/old.elf" "$tmp/old.o" &&
	$cc -march=z10 -c -o "$tmp/ck.o" "$src/crash-kernel.S" &&
	$ld -Ttext=0 -e 0x10010 -o "$tmp/ck.elf" "$tmp/ck.o" &&
	s390x-linux-gnu-objcopy -O binary "$tmp/ck.elf" "$tmp/crash-kernel" ||
	fail "assemble crash-swap/*.S"
labels=$(s390x-linux-gnu-nm "$tmp/old.elf" |
	awk '$3 ~ /^fail_/ { sub("fail_", "", $3); printf "0x%s=%s,", $1, $3 }')
kdump_entry=0x$(s390x-linux-gnu-nm "$tmp/ck.elf" | awk '$3 == "startup_kdump" { print $1 }')
params=0x$(s390x-linux-gnu-nm "$tmp/old.elf" | awk '$3 == "params" { print $1 }')

python3 -c 'import sys, random; r = random.Random(391); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(300001)))' > "$tmp/initrd"

# plan CASE START SIZE: the recorded machine with a "Crash kernel" region,
# listed as s390 does: beside System RAM, not inside it
plan() {
	local root=$tmp/$1-root
	cp -r "$e2e_dir/sysroot-qemu-1g" "$root"
	{
		printf '%08x-%08x : System RAM\n' 0 $(($2 - 1))
		grep '^ ' "$e2e_dir/sysroot-qemu-1g/proc/iomem"
		printf '%08x-%08x : Crash kernel\n' "$2" $(($2 + $3 - 1))
		printf '%08x-%08x : System RAM\n' $(($2 + $3)) $((0x3fffffff))
	} > "$root/proc/iomem"
	"$kexec" --dry-run --arch=s390x --sysroot="$root" --purgatory="$purg" \
		-c -p "$tmp/crash-kernel" --initrd="$tmp/initrd" --append="console=ttysclp0" \
		--dump-plan="$tmp/$1" >/dev/null 2>"$tmp/$1.err" ||
		fail "dry run ($1): $(head -c 300 "$tmp/$1.err")"
	echo "$1:$tmp/$1:$2:$3"
}
swap=$(plan swap $((0x10000000)) $((0x4000000))) || { echo "$swap"; exit 1; }
# kernel 0x12000 + initrd 0x4a000 + purgatory 0x3000 + IPL report 0x1000, and one
# page: the report starts where the moved purgatory would, and ends inside it
refuse=$(plan refuse $((0x10000000)) $((0x61000))) || { echo "$refuse"; exit 1; }

flock "$qemu_lock" python3 "$e2e_dir/crash-swap.py" "$tmp/old.elf" "$params" \
	"$labels" "$kdump_entry" "$swap" "$refuse"
