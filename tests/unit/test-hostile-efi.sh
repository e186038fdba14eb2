#!/bin/bash
# The EFI state an x86_64 load passes on (issue 16), read strictly: the
# kernel writes /sys/firmware/efi/systab as KEY=0x%lx lines, each runtime
# map attribute, fw_vendor and config_table as 0x%llx, and numbers the
# runtime map's entries 0 to n-1. Anything else is a corrupt view, refused
# at once with one line naming the file (and the line for systab), nothing
# planned. Uses the recorded EFI machine and the cached Debian 6.12 kernel.
. "${top_srcdir:-.}/tests/unit/tap.sh"
top=${top_srcdir:-.}
kexec="${top_builddir:-.}/kexec/kexec"
cache=${UKEXEC_KERNEL_CACHE:-$top/tests/e2e-x86_64/cache}
machine=$top/tests/golden/x86_64-debian-6.12-efi
kernel=$(ls "$cache"/6.12/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -f "$kernel" ] && [ -d "$machine/sysroot" ] || skip_all "no cached 6.12 kernel (scripts/fetch-kernels)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

. "$top/tests/unit/hostile-lib.sh"
efi=sys/firmware/efi
rt=$efi/runtime-map

# systab
sr=$(sysroot junk)
sed -i 's/^ACPI=\(.*\)$/ACPI=\1junk/' "$sr/$efi/systab"
refuses "systab: ACPI=0x...junk" "junk/$efi/systab:2: not a 0x-prefixed hexadecimal address" --sysroot="$sr" -l "$kernel"
sr=$(sysroot noeq)
printf 'ACPI20=0x3fb7e014\nACPI 0x3fb7e000\n' > "$sr/$efi/systab"
refuses "systab: a line without =" "noeq/$efi/systab:2: not a KEY=0x... line" --sysroot="$sr" -l "$kernel"
sr=$(sysroot dec)
printf 'ACPI20=1068998676\n' > "$sr/$efi/systab"
refuses "systab: a decimal address" "dec/$efi/systab:1: not a 0x-prefixed hexadecimal address" --sysroot="$sr" -l "$kernel"
sr=$(sysroot twice)
printf 'ACPI20=0x3fb7e014\nACPI=0x3fb7e000\nACPI20=0x1000\n' > "$sr/$efi/systab"
refuses "systab: ACPI20 twice" "twice/$efi/systab:3: a key given twice" --sysroot="$sr" -l "$kernel"
sr=$(sysroot blank)
printf 'ACPI20=0x3fb7e014\n\nSMBIOS=0x3f918000\n' > "$sr/$efi/systab"
refuses "systab: an empty line" "blank/$efi/systab:2: not a KEY=0x... line" --sysroot="$sr" -l "$kernel"
sr=$(sysroot many)
for i in $(seq 1 17); do echo "K$i=0x$i"; done > "$sr/$efi/systab"
refuses "systab: 17 lines" "many/$efi/systab:17: more lines than the kernel writes" --sysroot="$sr" -l "$kernel"
sr=$(sysroot fifo)
rm "$sr/$efi/systab" && mkfifo "$sr/$efi/systab"
refuses "systab: a FIFO" "fifo/$efi/systab: not a regular file" --sysroot="$sr" -l "$kernel"

# the runtime map and the two tables
first=$(ls "$machine/sysroot/$rt" | sort -n | head -n1)
sr=$(sysroot pjunk)
echo 0xffe00000junk > "$sr/$rt/$first/phys_addr"
refuses "runtime map: phys_addr 0x...junk" "pjunk/$rt/$first/phys_addr: not a 0x-prefixed hexadecimal number" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot pdec)
echo 4292870144 > "$sr/$rt/$first/phys_addr"
refuses "runtime map: a decimal phys_addr" "pdec/$rt/$first/phys_addr: not a 0x-prefixed hexadecimal number" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot type33)
echo 0x10000000b > "$sr/$rt/$first/type"
refuses "runtime map: a 33-bit type" "type33/$rt/$first/type: 0x10000000b does not fit the descriptor's 32-bit type" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot gap)
rm -r "$sr/$rt/1"
refuses "runtime map: entry 1 missing" "gap/$rt/1: missing (the kernel numbers the entries 0 to" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot lead0)
mv "$sr/$rt/1" "$sr/$rt/01"
refuses "runtime map: an entry named 01" "lead0/$rt/01: not an entry the kernel makes (a decimal index)" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot stray)
mkdir "$sr/$rt/x"
refuses "runtime map: a stray directory" "stray/$rt/x: not an entry the kernel makes (a decimal index)" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot ctjunk)
echo 0x3f91ca18 0x1 > "$sr/$efi/config_table"
refuses "config_table: two numbers" "ctjunk/$efi/config_table: not a 0x-prefixed hexadecimal number" \
	--sysroot="$sr" -l "$kernel"

# memmap: "0x" alone is no address
m=sys/firmware/memmap
mfirst=$(ls "$machine/sysroot/$m" | sort -n | head -n1)
sr=$(sysroot mm0x)
echo 0x > "$sr/$m/$mfirst/start"
refuses "memmap: start 0x with no digits" "mm0x/$m/$mfirst/start: not a 0x-prefixed hexadecimal address" \
	--sysroot="$sr" -l "$kernel"

# the intact machine plans (the refusals above are about the damage), and
# an absent or empty systab is no error: the kernel writes no line for a
# table it does not have
timeout 60 "$kexec" --dry-run --sysroot="$machine/sysroot" -l "$kernel" >/dev/null 2>&1
ok $? "the intact EFI machine plans"
sr=$(sysroot empty)
: > "$sr/$efi/systab"
timeout 60 "$kexec" --dry-run --sysroot="$sr" -l "$kernel" >/dev/null 2>"$tmp/err"
ok $? "an empty systab plans: $(head -c 200 "$tmp/err")"
done_testing
