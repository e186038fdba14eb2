#!/bin/bash
# Hostile inputs through the built binary (issue 16): corrupt system views,
# FIFOs and devices where files belong, --dump-plan into planted
# directories, bad option values. Each is refused at once (under a timeout,
# so a hang fails) with one stderr line naming the file, the line where there
# is one, and the problem. Uses a recorded machine and the cached Debian
# 6.12 kernel (scripts/fetch-kernels); skipped without it.
. "${top_srcdir:-.}/tests/unit/tap.sh"
top=${top_srcdir:-.}
kexec="${top_builddir:-.}/kexec/kexec"
cache=${UKEXEC_KERNEL_CACHE:-$top/tests/e2e-x86_64/cache}
machine=$top/tests/golden/x86_64-debian-6.12
efi_machine=$top/tests/golden/x86_64-debian-6.12-efi
kernel=$(ls "$cache"/6.12/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -f "$kernel" ] && [ -d "$machine/sysroot" ] || skip_all "no cached 6.12 kernel (scripts/fetch-kernels)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

. "$top/tests/unit/hostile-lib.sh"

# item 1: a range cut by a newline (a heap over-read under ASan)
sr=$(sysroot cut)
printf '00100000-3ffdffff : System RAM\n00000000-\n1 :' > "$sr/proc/iomem"
refuses "iomem: a range cut by a newline" "cut/proc/iomem:2: no \"start-end\" hexadecimal range" \
	--sysroot="$sr" -l "$kernel"

# item 6: resources the kernel never prints
sr=$(sysroot unsorted)
awk '/System RAM/ && !done { held = $0; done = 1; next } { print } END { print held }' \
	"$machine/sysroot/proc/iomem" > "$sr/proc/iomem"
refuses "iomem: System RAM moved to the end (unsorted)" "unsorted/proc/iomem:[0-9]*: range below the resource before it (unsorted)" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot overlap)
sed '0,/^\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/s//\1-\2 : System RAM\n\1-\2 : System RAM/' \
	"$machine/sysroot/proc/iomem" > "$sr/proc/iomem"
refuses "iomem: a System RAM range twice (overlapping)" "overlap/proc/iomem:[0-9]*: range overlaps the resource before it" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot odd)
sed '0,/^  \([0-9a-f]\)/s//   \1/' "$machine/sysroot/proc/iomem" > "$sr/proc/iomem"
refuses "iomem: odd indentation" "odd/proc/iomem:[0-9]*: odd indentation" --sysroot="$sr" -l "$kernel"
sr=$(sysroot crashalign)
sed 's/^\( *[0-9a-f]*\)000-\([0-9a-f]*\) : Crash kernel$/\1800-\2 : Crash kernel/' \
	"$machine/sysroot/proc/iomem" > "$sr/proc/iomem"
refuses "iomem: an unaligned crash region" "crashalign/proc/iomem:[0-9]*: crash kernel region not page-aligned" \
	--sysroot="$sr" -l "$kernel"

# item 5: /sys/firmware/memmap entries the kernel never writes
first=$(ls "$machine/sysroot/sys/firmware/memmap" | sort -n | head -n1)
sr=$(sysroot mmhex)
echo 0xZZZZ > "$sr/sys/firmware/memmap/$first/start"
refuses "memmap: start 0xZZZZ" "mmhex/sys/firmware/memmap/$first/start: not a 0x-prefixed hexadecimal address" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot mmwrap)
echo 0xffffffffff > "$sr/sys/firmware/memmap/$first/start"
refuses "memmap: start above end" "mmwrap/sys/firmware/memmap/$first/end: end below start" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot mmtype)
rm "$sr/sys/firmware/memmap/$first/type"
refuses "memmap: an entry without type" "mmtype/sys/firmware/memmap/$first/type: No such file or directory" \
	--sysroot="$sr" -l "$kernel"

second=$(ls "$machine/sysroot/sys/firmware/memmap" | sort -n | sed -n 2p)
sr=$(sysroot mm01)
cp -r "$sr/sys/firmware/memmap/$second" "$sr/sys/firmware/memmap/0$second"
refuses "memmap: entry 0$second beside $second (the same entry twice)" \
	"mm01/sys/firmware/memmap/0$second: not an entry the kernel makes (a decimal index)" --sysroot="$sr" -l "$kernel"
sr=$(sysroot mmstray)
mkdir "$sr/sys/firmware/memmap/x"
refuses "memmap: a stray directory" "mmstray/sys/firmware/memmap/x: not an entry the kernel makes (a decimal index)" \
	--sysroot="$sr" -l "$kernel"
sr=$(sysroot mmfile)
rm -r "$sr/sys/firmware/memmap" && echo junk > "$sr/sys/firmware/memmap"
refuses "memmap: a file, not a directory" "mmfile/sys/firmware/memmap: Not a directory" --sysroot="$sr" -l "$kernel"

# item 4: FIFOs where files belong (open used to block for a writer)
mkfifo "$tmp/fifo"
refuses "a FIFO as the kernel" "$tmp/fifo: not a regular file" --sysroot="$machine/sysroot" -l "$tmp/fifo"
refuses "a FIFO as the initrd" "$tmp/fifo: not a regular file" --sysroot="$machine/sysroot" -l "$kernel" --initrd="$tmp/fifo"
timeout 10 "${top_builddir:-.}/kdump/vmcore-dmesg" "$tmp/fifo" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 1 ] && [ "$(cat "$tmp/err")" = "vmcore-dmesg: $tmp/fifo: not a regular file" ]
ok $? "a FIFO as the vmcore: exit $st: $(head -c 200 "$tmp/err")"
sr=$(sysroot fifobp)
rm "$sr/sys/kernel/boot_params/data" && mkfifo "$sr/sys/kernel/boot_params/data"
refuses "a FIFO as boot_params/data" "fifobp/sys/kernel/boot_params/data: not a regular file" --sysroot="$sr" -l "$kernel"
sr=$(sysroot fifoiomem)
rm "$sr/proc/iomem" && mkfifo "$sr/proc/iomem"
refuses "a FIFO as /proc/iomem" "fifoiomem/proc/iomem: not a regular file" --sysroot="$sr" -l "$kernel"
sr=$(sysroot sockiomem)
rm "$sr/proc/iomem" && python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$sr/proc/iomem"
refuses "a socket as /proc/iomem" "sockiomem/proc/iomem: not a regular file" --sysroot="$sr" -l "$kernel"
sr=$(sysroot fifoloaded)
mkdir -p "$sr/sys/kernel" && rm -f "$sr/sys/kernel/kexec_crash_loaded" && mkfifo "$sr/sys/kernel/kexec_crash_loaded"
timeout 10 "$kexec" -S --sysroot="$sr" >"$tmp/out" 2>"$tmp/err" </dev/null
st=$?
[ $st -eq 255 ] && [ "$(cat "$tmp/err")" = "kexec: $sr/sys/kernel/kexec_crash_loaded: not a regular file" ]
ok $? "-S: a FIFO as kexec_crash_loaded: exit $st: $(head -c 200 "$tmp/err")"
echo 1 > "$sr/sys/kernel/kexec_loaded"
timeout 10 "$kexec" -S -l --sysroot="$sr" >"$tmp/out" 2>"$tmp/err" </dev/null
st=$?
[ $st -eq 1 ] && [ ! -s "$tmp/err" ]
ok $? "-S -l: kexec_loaded 1 read (exit 1: loaded): exit $st: $(head -c 200 "$tmp/err")"

# item 7: reads bounded by what the kernel writes there
sr=$(sysroot zero)
ln -sf /dev/zero "$sr/sys/kernel/boot_params/data"
refuses "boot_params/data -> /dev/zero" "zero/sys/kernel/boot_params/data: not a regular file" --sysroot="$sr" -l "$kernel"
sr=$(sysroot big)
head -c 70000 /dev/zero > "$sr/sys/kernel/boot_params/data"
refuses "a 70000-byte boot_params/data" "big/sys/kernel/boot_params/data: File too large" --sysroot="$sr" -l "$kernel"

# item 3: --dump-plan makes a fresh directory and writes only under it
sys=--sysroot=$machine/sysroot
mkdir "$tmp/plan" && echo victim > "$tmp/victim" && ln -s "$tmp/victim" "$tmp/plan/manifest"
refuses "--dump-plan into an existing directory with a planted symlink" \
	"dump-plan=$tmp/plan: File exists" $sys -l "$kernel" --dump-plan="$tmp/plan"
[ "$(cat "$tmp/victim")" = victim ] && [ -L "$tmp/plan/manifest" ]
ok $? "--dump-plan: the symlink's target is untouched"
ln -s "$tmp/elsewhere" "$tmp/planlink"
mkdir "$tmp/elsewhere"
refuses "--dump-plan naming a symlink to a directory" "dump-plan=$tmp/planlink: File exists" \
	$sys -l "$kernel" --dump-plan="$tmp/planlink"
[ -z "$(ls -A "$tmp/elsewhere")" ]
ok $? "--dump-plan: nothing written through the symlink"
"$kexec" --dry-run $sys -l "$kernel" --dump-plan="$tmp/fresh" >/dev/null 2>"$tmp/err"
[ $? -eq 0 ] && [ -f "$tmp/fresh/manifest" ] && [ -f "$tmp/fresh/segment-0.bin" ]
ok $? "--dump-plan into a new directory: manifest and segments: $(head -c 200 "$tmp/err")"

# item 10: messages
refuses "--initrd= with no name" "^kexec: --initrd=: no file name given$" $sys -l "$kernel" --initrd=
refuses "--mem-min=-1" "bad value for --mem-min: '-1'" $sys -l "$kernel" --mem-min=-1
refuses "--mem-min above --mem-max" "--mem-min=0x2000000 is above --mem-max=0x1000000" $sys -l "$kernel" \
	--mem-min=0x2000000 --mem-max=0x1000000
d200=$(head -c 200 /dev/zero | tr '\0' d)
long=$tmp/$d200/$d200/$d200/$d200/$d200/$d200/initrd
refuses "a 1100-byte initrd path: the reason survives" "/initrd: No such file or directory$" $sys -l "$kernel" --initrd="$long"
if [ -d "$efi_machine/sysroot" ]; then
	rm -rf "$tmp/efi" && mkdir -p "$tmp/efi" && cp -r "$efi_machine/sysroot/." "$tmp/efi/"
	echo junk > "$tmp/efi/sys/firmware/efi/fw_vendor"
	refuses "EFI: a bad fw_vendor, one line naming it" "efi/sys/firmware/efi/fw_vendor: not a 0x-prefixed hexadecimal number" \
		--sysroot="$tmp/efi" -l "$kernel"
	rt=$(ls "$tmp/efi/sys/firmware/efi/runtime-map" | sort -n | head -n1)
	rm -rf "$tmp/efi" && mkdir -p "$tmp/efi" && cp -r "$efi_machine/sysroot/." "$tmp/efi/"
	rm "$tmp/efi/sys/firmware/efi/runtime-map/$rt/num_pages"
	refuses "EFI: a runtime map entry without num_pages, one line" \
		"efi/sys/firmware/efi/runtime-map/$rt/num_pages: No such file or directory" --sysroot="$tmp/efi" -l "$kernel"
fi

# the crash inputs as the kernel writes them: crash_notes "%llx", crash_notes_size "%zu",
# vmcoreinfo "%pa %x" (a -p load of the recorded crash machine)
crash=$top/tests/golden/x86_64-debian-6.12/crash/sysroot
cpu0=sys/devices/system/cpu/cpu0
# crashroot NAME FILE TEXT: a copy of the crash machine with FILE holding TEXT
crashroot() {
	rm -rf "$tmp/$1" && mkdir -p "$tmp/$1" && cp -r "$crash/." "$tmp/$1/" && printf '%s\n' "$3" > "$tmp/$1/$2"
}
for c in "negnotes:$cpu0/crash_notes:-1:not a hexadecimal address" \
	 "0xnotes:$cpu0/crash_notes:0x3e83d800:not a hexadecimal address" \
	 "junknotes:$cpu0/crash_notes:3e83d800 junk:not a hexadecimal address" \
	 "ksize:$cpu0/crash_notes_size:368k:not a decimal size" \
	 "vmci0x:sys/kernel/vmcoreinfo:4888000 1024:not \"0x<address> <size>\"" \
	 "vmcijunk:sys/kernel/vmcoreinfo:0x0000000004888000 1024 junk:the note size is not a 32-bit hexadecimal number"; do
	IFS=: read -r name file text why <<< "$c"
	crashroot "$name" "$file" "$text"
	refuses "crash: $file \"$text\"" "$name/$file: $why" --sysroot="$tmp/$name" -p "$kernel"
done
timeout 60 "$kexec" --dry-run --sysroot="$crash" -p "$kernel" >/dev/null 2>"$tmp/err"
ok $? "the intact crash machine plans (-p): $(head -c 200 "$tmp/err")"

# optional files: absent is no error, anything but a regular file the kernel could write is
sr=$(sysroot fiforel)
rm "$sr/proc/sys/kernel/osrelease" && mkfifo "$sr/proc/sys/kernel/osrelease"
refuses "a FIFO as osrelease" "fiforel/proc/sys/kernel/osrelease: not a regular file" --sysroot="$sr" -l "$kernel"
sr=$(sysroot longrel)
printf '6.12.0-%070d\n' 0 > "$sr/proc/sys/kernel/osrelease"
refuses "a 77-character osrelease" "longrel/proc/sys/kernel/osrelease: not a kernel release (one line of at most 64 characters)" \
	--sysroot="$sr" -l "$kernel"
if command -v s390x-linux-gnu-as >/dev/null 2>&1; then
	s390x-linux-gnu-as -m64 -o "$tmp/s390x-purgatory.o" "$top/tests/fuzz/s390x-purgatory.S"
	head -c 67584 /dev/zero > "$tmp/s390x-image"	# up to the end of the command line area
	s390x=$top/tests/e2e-s390x/sysroot-qemu-1g
	for f in ipl_type secure; do
		rm -rf "$tmp/ipl$f" && cp -r "$s390x" "$tmp/ipl$f"
		rm "$tmp/ipl$f/sys/firmware/ipl/$f" && mkfifo "$tmp/ipl$f/sys/firmware/ipl/$f"
		refuses "s390x: a FIFO as /sys/firmware/ipl/$f" "ipl$f/sys/firmware/ipl/$f: not a regular file" \
			--arch=s390x --sysroot="$tmp/ipl$f" --purgatory="$tmp/s390x-purgatory.o" -l "$tmp/s390x-image"
	done
	timeout 60 "$kexec" --dry-run --arch=s390x --sysroot="$s390x" --purgatory="$tmp/s390x-purgatory.o" \
		-l "$tmp/s390x-image" >/dev/null 2>"$tmp/err"
	ok $? "s390x: the intact machine plans: $(head -c 200 "$tmp/err")"
else
	ok 0 "# SKIP no s390x-linux-gnu-as for the s390x cases"
fi

# files read for facts (page size, kernel config): absent means "the
# default", but one that is there and no regular file is refused
sr=$(sysroot fifoauxv)
mkdir -p "$sr/proc/self" && mkfifo "$sr/proc/self/auxv"
refuses "a FIFO as /proc/self/auxv" "fifoauxv/proc/self/auxv: not a regular file" --sysroot="$sr" -l "$kernel"
sr=$(sysroot fifocfg)
mkfifo "$sr/proc/config.gz"
refuses "a FIFO as /proc/config.gz" "fifocfg/proc/config.gz: not a regular file" --sysroot="$sr" -l "$kernel"
sr=$(sysroot fifobootcfg)
mkdir -p "$sr/boot" && mkfifo "$sr/boot/config-$(cat "$sr/proc/sys/kernel/osrelease")"
refuses "a FIFO as /boot/config-RELEASE" "fifobootcfg/boot/config-.*: not a regular file" --sysroot="$sr" -l "$kernel"

# arm64 (the recorded virt machine, the recorded image head padded): a FIFO as
# the DTB or as a memblock file is refused, not read as "no debugfs"
g=$top/tests/golden/arm64-virt-6.1/plan
{ cat "$g/image.head"; head -c $(($(cat "$g/image.size") - 64)) /dev/zero; } > "$tmp/arm64-Image"
arm64root() {
	rm -rf "$tmp/$1" && cp -r "$g/sysroot" "$tmp/$1" && chmod -R u+w "$tmp/$1" &&
		gzip -d "$tmp/$1/sys/firmware/fdt.gz" && echo "$tmp/$1"
}
sr=$(arm64root a64fdt)
rm "$sr/sys/firmware/fdt" && mkfifo "$sr/sys/firmware/fdt"
refuses "arm64: a FIFO as /sys/firmware/fdt" "a64fdt/sys/firmware/fdt: not a regular file" \
	--arch=arm64 --sysroot="$sr" -c -l "$tmp/arm64-Image"
sr=$(arm64root a64mb)
rm "$sr/sys/kernel/debug/memblock/memory" && mkfifo "$sr/sys/kernel/debug/memblock/memory"
refuses "arm64: a FIFO as debugfs memblock/memory" "a64mb/sys/kernel/debug/memblock/memory: not a regular file" \
	--arch=arm64 --sysroot="$sr" -c -l "$tmp/arm64-Image"
sr=$(arm64root a64ok)
timeout 60 "$kexec" --dry-run --arch=arm64 --sysroot="$sr" -c -l "$tmp/arm64-Image" >/dev/null 2>"$tmp/err"
ok $? "arm64: the intact machine plans: $(head -c 200 "$tmp/err")"

# and the intact machine plans, so the refusals above are about the damage
timeout 60 "$kexec" --dry-run $sys -l "$kernel" >/dev/null 2>&1
ok $? "the intact machine plans"
done_testing
