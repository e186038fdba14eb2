#!/bin/bash
# Debian's own ppc64el 6.1 kernel (CONFIG_KEXEC, no KEXEC_FILE, 64 KiB pages)
# boots a second kernel with a plain `kexec -l` + `kexec -e` of the static
# ppc64le ukexec (issue 13): kexec_file_load fails with ENOSYS, ukexec falls
# back to its userspace plan (the ELF vmlinux loader, the FDT, a purgatory)
# and kexec_load. QEMU pseries, POWER9, TCG, one boot of Debian's kernel that
# kexecs the same kernel with a small initramfs.
#
#   boot.sh [kernel|own|corrupt]
#     kernel   the kernel's purgatory (tests/golden/ppc64-pseries-6.1/
#              kexec_purgatory, the oracle kernel's own, --purgatory=), and
#              kexec-tools' --dtb (issue 15): the device tree starts from a
#              blob, the guest's /sys/firmware/fdt with its /model changed;
#              the second kernel's /model must be the blob's
#     own      ours (purgatory/arch/ppc64, embedded in kexec-static: the
#              default without --purgatory): its digest check, then the
#              kernel entered as the kernel's purgatory enters it. Before
#              that, kexec-tools' --reuseinitrd (issue 15): the first kernel,
#              booted with retain_initrd, kexecs itself with `-l
#              --reuseinitrd --dtb=/sys/firmware/fdt`; the next one must run
#              the same initramfs' /init (its marker) from the same address,
#              and then does the load above (one more kexec; measured
#              55-58 s of guest vs 51 s without)
#     corrupt  ours, and at its entry (gdb) one byte of the initrd segment
#              flipped: the purgatory must stop in its own code, the second
#              kernel's first instruction never reached
#   TAP; exit 77 without qemu-system-ppc64, the Debian vmlinux and busybox
#   (scripts/fetch-ppc64) or CACHE/kexec-static (tests/e2e-ppc64/
#   static-cross.sh). UKEXEC_PPC64_TIMEOUT: the guest's seconds (300).
#   QEMU's gdbstub stops the guest at the second kernel's first instruction
#   for its registers.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/lib/qemu.sh"
cache=${UKEXEC_PPC64_CACHE:-$here/cache}
g=$top/tests/golden/ppc64-pseries-6.1
mode=${1:-kernel}
case $mode in kernel|own|corrupt) ;; *) echo "usage: $0 [kernel|own|corrupt]" >&2; exit 2 ;; esac
skip() { echo "1..0 # SKIP $*"; exit 77; }
command -v qemu-system-ppc64 >/dev/null || skip "qemu-system-ppc64 not found"
for f in debian-vmlinux busybox kexec-static; do
	[ -s "$cache/$f" ] || skip "no $cache/$f (scripts/fetch-ppc64, tests/e2e-ppc64/static-cross.sh)"
done
tmp=$(mktemp -d) || exit 1
trap '[ -n "${UKEXEC_KEEP:-}" ] && cp "$tmp/console" /tmp/ukexec-ppc64-boot.console; rm -rf "$tmp"' EXIT

# initramfs: the second kernel's (busybox, /init), then the first's (the
# same and ukexec, the kernel, the purgatory, the second's initramfs)
for d in inner outer; do
	mkdir -p "$tmp/$d/bin" "$tmp/$d/proc" "$tmp/$d/sys" "$tmp/$d/dev"
	cp "$cache/busybox" "$tmp/$d/bin/busybox"
	ln -s busybox "$tmp/$d/bin/sh"
	cp "$here/init-boot.sh" "$tmp/$d/init"
	chmod +x "$tmp/$d/init" "$tmp/$d/bin/busybox"
done
(cd "$tmp/inner" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$tmp/outer/initrd.img"
cp "$cache/kexec-static" "$tmp/outer/kexec"
cp "$cache/debian-vmlinux" "$tmp/outer/vmlinux"
[ "$mode" = kernel ] && cp "$g/kexec_purgatory" "$tmp/outer/kexec_purgatory" && : > "$tmp/outer/dtb-blob"
[ "$mode" = own ] && : > "$tmp/outer/reuse"
marker=$(qemu_marker ukexec-initrd)
echo "$marker" > "$tmp/outer/initrd-marker"
retain=; [ "$mode" = own ] && retain=retain_initrd
(cd "$tmp/outer" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$tmp/initrd"

# The gdb side: once the guest has loaded (its /init then sleeps 8 s before
# kexec -e), attach, a breakpoint at the kernel segment's address, continue;
# at the stop (real mode: MSR IR/DR off) the registers the purgatory left:
# "r3 r4 r5 msr", then on without the breakpoint. corrupt: first a breakpoint
# at the purgatory's entry, where one byte of the initrd segment (the one of
# INITRD_SIZE bytes) is flipped; then the kernel's breakpoint must not be
# hit, and the CPU, interrupted every SAMPLE s, must be found twice at the
# same pc in the purgatory with the same registers (its stop loop; hashing
# moves on).
#   gdbentry GDBSOCK CONSOLE TIMEOUT MODE INITRD_SIZE
gdbentry='
import re, sys, time
sys.path.insert(0, sys.argv[1])
from gdbdump import GDB
gsock, console, tmo, mode, isize = sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5], sys.argv[6]
SAMPLE, SPIN_MAX = 10, 180
deadline = time.monotonic() + tmo
text = ""
while not ("UKEXEC-LOADED rc=0" in text and re.search(r"^entry = ", text, re.M)):
    if time.monotonic() > deadline:
        sys.exit("no loaded plan on the console")
    time.sleep(0.2)
    text = open(console, "rb").read().decode("latin-1")
segs = re.findall(r"^segment\[\d+\]: buf=\S+ bufsz=(0x[0-9a-f]+) mem=(0x[0-9a-f]+) memsz=(0x[0-9a-f]+)", text, re.M)
kernel = int(segs[0][1], 16)
entry = int(re.search(r"^entry = (0x[0-9a-f]+)", text, re.M).group(1), 16)
pmemsz = [int(z, 16) for b, m, z in segs if int(m, 16) == entry][0]
initrd = [int(m, 16) for b, m, z in segs if int(b, 16) == int(isize)][0]
g = GDB(gsock)
g.drain()
g.cmd("?")
# QEMU 7.2 answers "p" (pc 64, msr 65) only once the client has read the
# target description (and asserts on a ppc64 "g" without it)
g.cmd("qXfer:features:read:target.xml:0,ffb")
def reg(n):
    a = g.cmd("p%x" % n)
    v = bytes.fromhex(a) if re.fullmatch(r"([0-9a-f]{2})+", a) else b""
    return [int.from_bytes(v, "big"), int.from_bytes(v, "little")]
def stop_at(addr):
    """continue to the breakpoint at addr in real mode: the byte order, or None"""
    seen = []
    for stops in range(5):
        g.send("c")
        stop = g.recv(max(1.0, deadline - time.monotonic()))
        pcs, msrs = reg(64), reg(65)
        for o in (0, 1):            # target order, or swapped for an LE guest
            if pcs[o] == addr and not msrs[o] & 0x30:
                return o, msrs[o]
        seen.append("%s pc=%s msr=%s" % (stop, [hex(x) for x in pcs], [hex(x) for x in msrs]))
    g.cmd("z1,%x,4" % addr)
    g.send("c")                     # let the guest go on without us
    sys.exit("5 stops, none at 0x%x in real mode: %s" % (addr, "; ".join(seen)))
if mode == "corrupt":
    if g.cmd("Z1,%x,4" % entry) != "OK":
        sys.exit("Z1 refused")
    o, msr = stop_at(entry)
    g.cmd("z1,%x,4" % entry)
    at = initrd + 0x10
    old = int(g.cmd("m%x,1" % at), 16)
    g.cmd("M%x,1:%02x" % (at, old ^ 0xff))
    new = int(g.cmd("m%x,1" % at), 16)
    print("UKEXEC-PURGATORY-ENTRY pc=0x%x msr=0x%x r3=0x%x r4=0x%x; initrd byte 0x%x: 0x%02x -> 0x%02x"
          % (entry, msr, reg(3)[o], reg(4)[o], at, old, new))
if g.cmd("Z1,%x,4" % kernel) != "OK":
    sys.exit("Z1 refused")
if mode != "corrupt":
    o, msr = stop_at(kernel)
    r = [reg(i)[o] for i in (3, 4, 5)]
    print("UKEXEC-ENTRY r3=0x%x r4=0x%x r5=0x%x msr=0x%x" % (r[0], r[1], r[2], msr))
    g.cmd("z1,%x,4" % kernel)
    g.send("c")
    sys.exit(0)
# hashing under TCG takes tens of seconds: sample the pc and the registers
# every SAMPLE s until they are the same twice in the purgatory (its stop
# loop, "b .")
t0, last = time.monotonic(), None
while True:
    g.send("c")
    try:
        stop = g.recv(SAMPLE)
        print("UKEXEC-KERNEL-REACHED %s pc=%s" % (stop, [hex(x) for x in reg(64)]))
        break
    except TimeoutError:
        g.sock.sendall(b"\x03")
        g.recv(10)
    pcs, msrs = reg(64), reg(65)
    pc = [x for x in pcs if entry <= x < entry + pmemsz]
    # TCG stops at block starts, so a hashing loop shows one pc too: its
    # registers move on, those of the stop loop do not
    now = (pc[0], [reg(i)[0] for i in range(32)]) if pc else None
    if now and now == last:
        print("UKEXEC-SPINNING after %d s: pc=0x%x and r0-r31 unchanged over %d s, msr=%s, in the purgatory 0x%x-0x%x"
              % (time.monotonic() - t0, now[0], SAMPLE, [hex(x) for x in msrs], entry, entry + pmemsz - 1))
        break
    last = now
    if time.monotonic() - t0 > SPIN_MAX:
        print("UKEXEC-NOT-SPINNING after %d s: pc=%s" % (SPIN_MAX, [hex(x) for x in pcs]))
        break
g.send("k")
'

exec 8>/tmp/ukexec-qemu.lock
flock 8
t0=$SECONDS
timeout "${UKEXEC_PPC64_TIMEOUT:-300}" qemu-system-ppc64 -M pseries -cpu power9 -accel tcg -m 2G \
	-nographic -no-reboot -kernel "$cache/debian-vmlinux" -initrd "$tmp/initrd" \
	-chardev socket,id=g,path="$tmp/gdb",server=on,wait=off -gdb chardev:g \
	-append "console=hvc0 panic=-1 quiet $retain" </dev/null 2>&1 | stdbuf -o0 tr -d '\r' >"$tmp/console" &
qemu=$!
python3 -c "$gdbentry" "$top/tests/lib" "$tmp/gdb" "$tmp/console" 260 "$mode" \
	"$(stat -c %s "$tmp/outer/initrd.img")" >"$tmp/entry" 2>&1
[ -n "${UKEXEC_KEEP:-}" ] && cp "$tmp/entry" /tmp/ukexec-ppc64-boot.entry
wait $qemu
flock -u 8
secs=$((SECONDS - t0))

n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
c=$tmp/console
grep -aq '^UKEXEC-LOADED rc=0' "$c"
ok $? "kexec -l of Debian's vmlinux in the guest ($(grep -ao 'UKEXEC-FIRST-KERNEL .*' "$c" | head -1 | cut -d' ' -f2-))"
grep -a '^segment\[\|^entry =' "$c" | sed 's/^/# /'
if [ "$mode" = own ]; then
	# the first kernel's --reuseinitrd load, then the same initramfs' /init again
	grep -a '^reuse: \|^UKEXEC-REUSE-LOADED' "$c" | grep -v '^reuse:   ' | sed 's/^/# /'
	grep -aq '^UKEXEC-REUSE-LOADED loaded=1' "$c" &&
		grep -aq '^reuse: not the in-kernel plan: --reuseinitrd' "$c" &&
		grep -aq '^reuse: not the in-kernel plan: --dtb' "$c"
	ok $? "kexec -l --reuseinitrd --dtb=/sys/firmware/fdt in the kernel booted with retain_initrd: loaded, not the in-kernel plan"
	marks=$(grep -a '^UKEXEC-INITRD-MARKER' "$c" | cut -d' ' -f2-)
	# two kernels, one line: the host's marker "at" the same linux,initrd-start
	[ "$(echo "$marks" | wc -l)" -eq 2 ] && [ "$(echo "$marks" | sort -u | wc -l)" -eq 1 ] &&
		echo "$marks" | awk -v m="$marker" '$1 != m || $2 != "at" || $3 !~ /^[0-9a-f]+$/ { exit 1 }'
	ok $? "kexec -e: the next kernel ran the same initramfs' /init from the same address: $(echo $marks)"
fi
if [ "$mode" = kernel ]; then
	grep -aq -- '--dtb: kexec_file_load has no such argument; using the userspace plan and kexec_load' "$c" &&
		grep -aq '^not the in-kernel plan: --dtb' "$c"
	ok $? "--dtb: the userspace plan through kexec_load, not the in-kernel plan"
else
	grep -aq 'kexec_file_load: .*falling back to the userspace plan and kexec_load' "$c"
	ok $? "kexec_file_load refused (no KEXEC_FILE): the userspace plan through kexec_load"
fi
size=$(printf '0x%x' "$(stat -c %s "$tmp/outer/initrd.img")")
entry_addr=$(sed -n 's/^entry = //p' "$c" | head -1)
psz=$(grep -a '^segment\[' "$c" | sed -n "s/.* bufsz=\(0x[0-9a-f]*\) mem=$entry_addr .*/\1/p")
if [ "$mode" != kernel ]; then
	# no --purgatory and no kexec_purgatory in the guest: the embedded one
	[ -n "$psz" ] && [ "$psz" != 0x310 ]
	ok $? "the purgatory at the entry ${entry_addr:-?} is ours (bufsz ${psz:-?}; the kernel's is 0x310)"
fi
line=$(grep -a '^UKEXEC-SECOND-KERNEL' "$c")
if [ "$mode" = corrupt ]; then
	pe=$(grep -a '^UKEXEC-PURGATORY-ENTRY' "$tmp/entry")
	[[ $pe == *" -> "* ]]
	ok $? "at the purgatory's entry (gdb): ${pe#UKEXEC-PURGATORY-ENTRY }"
	spin=$(grep -a '^UKEXEC-SPINNING\|^UKEXEC-KERNEL-REACHED\|^UKEXEC-NOT-SPINNING' "$tmp/entry")
	[[ $spin == UKEXEC-SPINNING* ]]
	ok $? "the kernel's first instruction never reached; the CPU stays in the purgatory: ${spin:-$(head -c 300 "$tmp/entry")}"
	[ -z "$line" ]
	ok $? "no second kernel booted ($secs s)"
	[ $failed -eq 0 ] || tail -20 "$c" | sed 's/^/# /'
	echo "1..$n"
	[ $failed -eq 0 ]
	exit
fi
qemu_check_second_kernel $((n + 1)) "$c" "$tmp/outer/initrd.img" "$secs" || failed=$((failed + 1))
n=$((n + 2))
model=$(grep -a '^UKEXEC-SECOND-MODEL' "$c" | cut -d' ' -f2-)
if [ "$mode" = kernel ]; then
	[ "$model" = "IBM pSeries (ukexec-dtb-blob!)" ]
	ok $? "--dtb: the second kernel's /model is the blob's: ${model:-?} ($(grep -a '^UKEXEC-BLOB' "$c"))"
else
	[ "$model" = "IBM pSeries (emulated by qemu)" ]
	ok $? "without --dtb: the second kernel's /model is the machine's: ${model:-?}"
fi
# at the second kernel's first instruction: r3 = the device tree, r4 = the
# kernel, r5 = 0, as the kernel's purgatory leaves them
fdt=$(grep -a '^segment\[' "$c" | sed -n 's/.* bufsz=\(0x[0-9a-f]*\) mem=\(0x[0-9a-f]*\) .*/\1 \2/p' |
	while read -r sz mem; do [ "$sz" != "$size" ] && [ "$mem" != "$entry_addr" ] && [ $((sz)) -lt $((0x10000)) ] &&
		[ $((sz)) -gt $((0x1000)) ] && echo "$mem"; done | tail -1)
kmem=$(grep -a '^segment\[0\]' "$c" | sed 's/.* mem=\(0x[0-9a-f]*\) .*/\1/')
entry=$(grep -a '^UKEXEC-ENTRY' "$tmp/entry")
[ -n "$fdt" ] && [ -n "$kmem" ] && [[ $entry == *" r3=$fdt r4=$kmem r5=0x0 "* ]]
ok $? "at the kernel's entry (real mode): ${entry#UKEXEC-ENTRY } (want r3=${fdt:-?} the device tree, r4=${kmem:-?} the kernel, r5=0)"
[ -n "$entry" ] || head -c 300 "$tmp/entry" | sed 's/^/# /'
echo "1..$n"
[ $failed -eq 0 ]
