#!/bin/sh
# The command line, through the built binary: kexec-tools' exit codes, one
# line on stderr for every refusal, --help listing every option.
. "${top_srcdir:-.}/tests/unit/tap.sh"
kexec="${top_builddir:-.}/kexec/kexec"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# refuses DESC PATTERN ARGS...: exit status nonzero and exactly one line on
# stderr, which gives the reason (matches PATTERN, a fixed string)
refuses() {
	desc=$1 pat=$2; shift 2
	"$kexec" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -ne 0 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] && grep -qF -- "$pat" "$tmp/err"
	ok $? "$desc: exit $st, one line: $(head -c 200 "$tmp/err")"
}

"$kexec" --help >"$tmp/help" 2>&1; ok $? "--help exits 0"
for o in -l --load -p --load-panic -u --unload -e --exec -f --force -x --no-ifdown \
	-y --no-sync -s --kexec-file-syscall -c --kexec-syscall -a --kexec-syscall-auto \
	-S --status -i --no-checks -d --debug -t --type --mem-min --mem-max \
	--reuse-cmdline --append --command-line --initrd --ramdisk --dtb \
	--load-preserve-context --load-jump-back-helper --entry --print-ckr-size \
	-h --help -v --version --dry-run --print-plan --dump-plan --purgatory \
	--purgatory-from --sysroot --arch --kexec-file-profile --kernel-config --compare \
	--elf64-core-headers \
	--elf32-core-headers --reset-vga --console-vga --console-serial --serial --serial-baud \
	--pass-memmap-cmdline --noefi --reuse-video-type --args-linux --args-elf --args-none \
	--real-mode --entry-32bit --module --reuseinitrd --load-live-update --exec-live-update; do
	grep -q -- "$o\\b" "$tmp/help" || { echo "# --help lacks $o"; missing=1; }
done
[ -z "$missing" ]; ok $? "--help lists every option"
grep -q "253 -s refused" "$tmp/help" && grep -q "mem-max=ADDR  Place every segment inside" "$tmp/help"
ok $? "--help gives the exit codes and says --mem-min/--mem-max place the segments"
man=${top_srcdir:-.}/doc/kexec.8
! grep -q "same options, same exit codes" "$man" && grep -q "^253" "$man" && grep -qF 'elf64\-core\-headers' "$man"
ok $? "kexec(8) lists the exit codes and the kexec-tools options it accepts"
grep -q "With -u, -e, -S or --load-jump-back-helper the arch's" "$tmp/help" &&
	grep -q "with -u: the unload calls; with -e: what it would do" "$tmp/help" &&
	grep -q "OPT_ARCH_MAX" "$man" && grep -q "print the unload call" "$man"
ok $? "--help and kexec(8) say that loader options are refused without a load, and what a dry run of -u/-e does"
"$kexec" -v | grep -q '^ukexec '; ok $? "-v prints the version"

# a recorded machine, so no test depends on the host's /proc
mkdir -p "$tmp/root/proc/sys/kernel"
printf '00001000-0009fbff : System RAM\n00100000-3ffdffff : System RAM\n' > "$tmp/root/proc/iomem"
echo 6.1.0-28-amd64 > "$tmp/root/proc/sys/kernel/osrelease"

refuses "unknown option" "unknown or incomplete option '--frobnicate'" --frobnicate
"$kexec" --frobnicate >/dev/null 2>&1; [ $? -eq 1 ]; ok $? "a bad option exits 1 like kexec-tools"
"$kexec" --frobnicate 2>&1 >/dev/null | grep -q "^kexec: unknown or incomplete option"
ok $? "an error line on stderr starts with \"kexec: \""
refuses "two actions (-l -e)" "-l and -e cannot be used together" -l -e /nonexistent
refuses "two actions (-u -e)" "-u and -e cannot be used together" -u -e
refuses "-p with -e" "-p and -e cannot be used together" -p -e
refuses "no action" "nothing to do"
refuses "-l without a kernel" "-l: no KERNEL given" -l
refuses "--compare with --dry-run" "--compare: only with -l or -p and a real load" --compare --dry-run -l /nonexistent
refuses "--compare with -u" "--compare: only with -l or -p and a real load" --compare -u
refuses "missing kernel file" "/nonexistent/vmlinuz" --dry-run -c -l --sysroot="$tmp/root" /nonexistent/vmlinuz
grep -q '/nonexistent/vmlinuz' "$tmp/err"; ok $? "the message names the file"
refuses "bad --mem-min" "bad value for --mem-min: '12q'" --mem-min=12q -l k
# --entry-32bit, --real-mode and --module are read by kexec-tools' bzImage and
# multiboot loaders (tests/unit/test-x86_64-imgtypes.sh): -d names the variant
for o in entry-32bit real-mode module=xen.gz; do
	"$kexec" -d --dry-run --arch=x86_64 "--$o" -l k >/dev/null 2>"$tmp/err"
	grep -q -- "^--${o%%=*}: .*not the in-kernel plan" "$tmp/err"
	ok $? "--$o: accepted, -d: $(grep -- "^--${o%%=*}:" "$tmp/err" | head -c 160)"
done
refuses "--reuseinitrd (kexec-tools' spelling)" \
	"--reuseinitrd: reusing the first boot's initrd is not implemented for x86_64" \
	--dry-run --arch=x86_64 --reuseinitrd -l k
refuses "--reuse-initrd (ukexec's spelling)" "--reuseinitrd: reusing the first boot's initrd is not" \
	--dry-run --arch=x86_64 --reuse-initrd -l k
refuses "--load-live-update" "--load-live-update: Xen live update is not supported" --load-live-update -l k
refuses "--exec-live-update" "--exec-live-update: Xen live update is not supported" --exec-live-update
refuses "-s --load-preserve-context" "--load-preserve-context is not supported with kexec_file_load (-s)" \
	-s --load-preserve-context --mem-max=0x1fffffff k
refuses "-s --load-jump-back-helper" "--load-jump-back-helper is not supported with kexec_file_load (-s)" \
	-s --load-jump-back-helper --entry=0x1000
refuses "-p --load-preserve-context" "-p and --load-preserve-context cannot be used together" \
	-p --load-preserve-context --mem-max=0x1fffffff k
refuses "--load-preserve-context without --mem-max" "--load-preserve-context needs --mem-max" \
	--load-preserve-context k
refuses "bad --entry" "bad value for --entry: '0x12g'" --entry=0x12g -l k
refuses "--arch without --dry-run" "it needs --dry-run" --arch=s390x -l k
refuses "--dry-run -s with --print-plan" "--print-plan needs -c or -a" --dry-run -s --print-plan -l k
refuses "unknown --arch" "--arch=vax: unknown architecture" --dry-run --arch=vax -l /dev/null
refuses "unknown --arch with -u (no plan)" "--arch=vax: unknown architecture" --dry-run --arch=vax -u
refuses "unknown --arch with --load-jump-back-helper" "--arch=vax: unknown architecture" \
	--dry-run --arch=vax --load-jump-back-helper --entry=0x1000
refuses "a missing sysroot" "/nonexistent: No such file or directory" --dry-run -l --sysroot=/nonexistent "$kexec"

# exits CODE DESC ARGS...: the exit status is CODE (kexec-tools' for the case)
exits() {
	code=$1 desc=$2; shift 2
	"$kexec" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq "$code" ]
	ok $? "$desc: exit $st (kexec-tools $code): $(head -c 200 "$tmp/err")"
}
exits 1 "--reuseinitrd (kexec-tools: die)" --dry-run --arch=x86_64 --reuseinitrd -l k
exits 1 "--load-preserve-context without --mem-max (kexec-tools: die)" --load-preserve-context k

# kexec-tools reads argv[optind] as the KERNEL and ignores the words after it
# (an unquoted --append=$(cat /proc/cmdline), options after --)
refuses "stray words after the kernel" "/nonexistent/vmlinuz: No such file" \
	--dry-run -c -l --sysroot="$tmp/root" /nonexistent/vmlinuz root=/dev/sda ro
"$kexec" -d --dry-run -c -l --sysroot="$tmp/root" /nonexistent/vmlinuz root=/dev/sda ro 2>&1 |
	grep -q "ignoring the argument 'root=/dev/sda'"
ok $? "-d says which stray word is ignored"
refuses "an option after --" "/nonexistent/vmlinuz: No such file" \
	--dry-run -c -l --sysroot="$tmp/root" -- /nonexistent/vmlinuz --append=quiet
"$kexec" --dry-run --arch=x86_64 -s -f "$kexec" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] && grep -q '^kexec_file_load(kernel_fd=<' "$tmp/out" && ! grep -q reboot "$tmp/out"
ok $? "--dry-run -f: the load planned (here the kexec_file_load call printed), no exec"

# a dry run of -u and -e prints the calls and makes none
"$kexec" --dry-run --arch=x86_64 -u vmlinuz >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] && [ ! -s "$tmp/err" ] &&
	grep -qx 'kexec_file_load(kernel_fd=-1, initrd_fd=-1, cmdline_len=0, cmdline=NULL, flags=KEXEC_FILE_UNLOAD)' "$tmp/out" &&
	grep -qx 'if that fails with ENOSYS: kexec_load(entry=0, nr_segments=0, segments=NULL, flags=0x3e0000 (arch x86_64))' "$tmp/out"
ok $? "--dry-run -u vmlinuz: the kernel ignored, kexec_file_load's unload then kexec_load's printed"
"$kexec" --dry-run --arch=s390x -c -p -u >"$tmp/out" 2>&1
[ $? -eq 0 ] && [ "$(cat "$tmp/out")" = "kexec_load(entry=0, nr_segments=0, segments=NULL, flags=0x160001 (KEXEC_ON_CRASH, arch s390x))" ]
ok $? "--dry-run -c -p -u: kexec_load with KEXEC_ON_CRASH only: $(head -1 "$tmp/out")"
"$kexec" --dry-run -s -p -u >"$tmp/out" 2>&1
[ $? -eq 0 ] && [ "$(cat "$tmp/out")" = "kexec_file_load(kernel_fd=-1, initrd_fd=-1, cmdline_len=0, cmdline=NULL, flags=KEXEC_FILE_UNLOAD|KEXEC_FILE_ON_CRASH)" ]
ok $? "--dry-run -s -p -u: kexec_file_load only"
mkdir -p "$tmp/loaded/sys/kernel"; echo 1 > "$tmp/loaded/sys/kernel/kexec_loaded"
"$kexec" --dry-run --sysroot="$tmp/loaded" -e >"$tmp/out" 2>&1
[ $? -eq 0 ] && [ "$(tr '\n' ';' < "$tmp/out")" = "sync();bring the network interfaces down;reboot(LINUX_REBOOT_CMD_KEXEC);" ]
ok $? "--dry-run -e, a kernel loaded: sync, ifdown, reboot printed: $(tr '\n' ';' < "$tmp/out")"
"$kexec" --dry-run --sysroot="$tmp/loaded" -e -x -y >"$tmp/out" 2>&1
[ $? -eq 0 ] && [ "$(cat "$tmp/out")" = "reboot(LINUX_REBOOT_CMD_KEXEC)" ]
ok $? "--dry-run -e -x -y: neither sync nor ifdown"

# kexec-tools' exit codes: die() 1, a failed load -1 (255), a bad option 1
exits 1 "a missing kernel" --dry-run -c -l --sysroot="$tmp/root" /nonexistent/vmlinuz
: > "$tmp/empty"
exits 1 "an empty kernel" --dry-run -c -l --sysroot="$tmp/root" "$tmp/empty"
exits 1 "a missing initrd" --dry-run -c -l --sysroot="$tmp/root" --initrd=/nonexistent/initrd "$kexec"
exits 255 "-l without a kernel" -l
exits 255 "-p without a kernel" -p
exits 255 "no argument at all"
exits 1 "-p without a crash region" --dry-run -c -p --sysroot="$tmp/root" "$kexec"
grep -q 'no "Crash kernel" region in /proc/iomem' "$tmp/err"; ok $? "it says why"
exits 1 "an unknown option" --frobnicate
exits 1 "--dry-run -e with nothing loaded (kexec-tools: Nothing has been loaded!)" \
	--dry-run -e --sysroot="$tmp/root"

# -S reads the recorded flags: exit 1 if loaded, 0 if not (kexec-tools)
mkdir -p "$tmp/root/sys/kernel"
echo 0 > "$tmp/root/sys/kernel/kexec_crash_loaded"; echo 1 > "$tmp/root/sys/kernel/kexec_loaded"
"$kexec" -S --sysroot="$tmp/root"; [ $? -eq 0 ]; ok $? "-S: no panic kernel loaded → exit 0"
"$kexec" -l -S --sysroot="$tmp/root"; [ $? -eq 1 ]; ok $? "-l -S: a kernel loaded → exit 1"
refuses "-S with -e" "-S and -e cannot be used together" -S -e
# kexec-tools ignores a KERNEL given with -S
"$kexec" -S --sysroot="$tmp/root" vmlinuz 2>"$tmp/err"; [ $? -eq 0 ] && [ ! -s "$tmp/err" ]
ok $? "-S vmlinuz: the kernel is ignored → exit 0"
"$kexec" -l -S --sysroot="$tmp/root" vmlinuz 2>"$tmp/err"; [ $? -eq 1 ] && [ ! -s "$tmp/err" ]
ok $? "-l -S vmlinuz: the kernel is ignored → exit 1, silently"

# A file that is not a kernel is refused before anything else happens.
head -c 4096 /dev/zero > "$tmp/zeros"
refuses "not a kernel" "$tmp/zeros" --dry-run -c -l --sysroot="$tmp/root" "$tmp/zeros"
grep -q "$tmp/zeros" "$tmp/err"; ok $? "the message names the image"
: > "$tmp/empty"
refuses "empty kernel file" "$tmp/empty" --dry-run -c -l --sysroot="$tmp/root" "$tmp/empty"
gzip -c "$tmp/zeros" | head -c 20 > "$tmp/truncated.gz"
refuses "a truncated gzip kernel" "$tmp/truncated.gz" --dry-run -c -l --sysroot="$tmp/root" "$tmp/truncated.gz"
refuses "--purgatory-from for an arch without the hook" "s390x" --dry-run --arch=s390x -l \
	--sysroot="$tmp/root" --purgatory-from="$tmp/zeros" "$tmp/zeros"
"$kexec" --print-ckr-size --sysroot="$tmp/root" > "$tmp/out"; [ "$(cat "$tmp/out")" = 0 ]
ok $? "--print-ckr-size without a crash region prints 0"
printf '00100000-3ffdffff : System RAM\n  1f000000-2effffff : Crash kernel\n' > "$tmp/root/proc/iomem"
"$kexec" --print-ckr-size --sysroot="$tmp/root" > "$tmp/out"; [ "$(cat "$tmp/out")" = 268435456 ]
ok $? "--print-ckr-size prints the region's size in bytes"
# crashkernel=128M,low + 256M,high: kexec-tools prints the high region (the kdump kernel's)
printf '00100000-3ffdffff : System RAM\n  37000000-3effffff : Crash kernel\n100000000-17fffffff : System RAM\n  16f000000-17effffff : Crash kernel\n' > "$tmp/root/proc/iomem"
"$kexec" --print-ckr-size --sysroot="$tmp/root" > "$tmp/out"; [ "$(cat "$tmp/out")" = 268435456 ]
ok $? "--print-ckr-size with ,high and ,low prints the high region: $(cat "$tmp/out")"

# --dry-run -s prints the kexec_file_load call it would make (issue 15, item 8)
echo 'BOOT_IMAGE=/vmlinuz root=/dev/vda crashkernel=256M,high crashkernel=128M,low quiet' > "$tmp/root/proc/cmdline"
echo initrd > "$tmp/initrd"
"$kexec" --dry-run -s -l --sysroot="$tmp/root" --append="console=ttyS0 quiet" "$kexec" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] && [ ! -s "$tmp/err" ] && [ "$(cat "$tmp/out")" = "kexec_file_load(kernel_fd=<$kexec>, initrd_fd=-1, cmdline_len=20, cmdline=\"console=ttyS0 quiet\", flags=KEXEC_FILE_NO_INITRAMFS)" ]
ok $? "--dry-run -s -l prints the call: $(cat "$tmp/out" "$tmp/err")"
"$kexec" --dry-run -s -p -d --sysroot="$tmp/root" --reuse-cmdline --initrd="$tmp/initrd" "$kexec" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] && [ "$(cat "$tmp/out")" = "kexec_file_load(kernel_fd=<$kexec>, initrd_fd=<$tmp/initrd>, cmdline_len=41, cmdline=\"root=/dev/vda crashkernel=128M,low quiet\", flags=KEXEC_FILE_ON_CRASH|KEXEC_FILE_DEBUG)" ]
ok $? "--dry-run -s -p -d --reuse-cmdline --initrd prints the call: $(cat "$tmp/out")"
# under -s kexec-tools' open() of the kernel fails with -1, not die()
exits 255 "--dry-run -s with a missing kernel" --dry-run -s -l --sysroot="$tmp/root" /nonexistent/vmlinuz
exits 0 "--dry-run -s without a command line" --dry-run -s -l --sysroot="$tmp/root" "$kexec"
grep -qF 'cmdline_len=0, cmdline=NULL, flags=KEXEC_FILE_NO_INITRAMFS)' "$tmp/out"; ok $? "it says cmdline=NULL: $(cat "$tmp/out")"

# kexec-tools' x86_64 options the in-kernel plan already means: accepted, -d says why
notes="elf64-core-headers elf32-core-headers reset-vga console-vga console-serial serial=ttyS1
	serial-baud=57600 pass-memmap-cmdline noefi reuse-video-type args-linux args-elf args-none"
for o in $notes; do
	"$kexec" -d --dry-run --arch=x86_64 -s -l --sysroot="$tmp/root" "--$o" "$kexec" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq 0 ] && grep -q "^kexec_file_load(" "$tmp/out" && grep -q -- "--${o%%=*}: no effect on the in-kernel plan: " "$tmp/err"
	ok $? "--$o: accepted (exit $st), -d: $(grep -- "--${o%%=*}:" "$tmp/err" | head -c 160)"
done
"$kexec" --dry-run --arch=x86_64 -s -l --sysroot="$tmp/root" --noefi "$kexec" 2>"$tmp/err" >/dev/null; [ ! -s "$tmp/err" ]
ok $? "without -d the accepted options say nothing"
exits 0 "--serial=0x2f8" --dry-run --arch=x86_64 -s -l --sysroot="$tmp/root" --serial=0x2f8 "$kexec"
exits 255 "--serial=ttyS9 (kexec-tools: bad port, -1)" --dry-run --arch=x86_64 -s -l --sysroot="$tmp/root" --serial=ttyS9 "$kexec"
exits 255 "--serial=0x10000" --dry-run --arch=x86_64 -s -l --sysroot="$tmp/root" --serial=0x10000 "$kexec"
exits 255 "--serial-baud=1200 (below 9600)" --dry-run --arch=x86_64 -s -l --sysroot="$tmp/root" --serial-baud=1200 "$kexec"
exits 255 "--serial-baud=100000 (does not divide 115200)" --dry-run --arch=x86_64 -s -l --sysroot="$tmp/root" --serial-baud=100000 "$kexec"
# Xen: in a dom0 (/sys/hypervisor/type xen, control_d) kexec-tools loads
# through hypercalls: ukexec says so in one line; a domU kexecs as bare metal
mkdir -p "$tmp/xen/sys/hypervisor" "$tmp/xen/proc/xen" "$tmp/xen/sys/kernel"
echo xen > "$tmp/xen/sys/hypervisor/type"
echo control_d > "$tmp/xen/proc/xen/capabilities"
echo 0 > "$tmp/xen/sys/kernel/kexec_crash_loaded"
refuses "-l in a Xen dom0" "this is a Xen dom0, where kexec loads through Xen hypercalls" \
	--dry-run -c -l --sysroot="$tmp/xen" "$kexec"
exits 1 "-l in a Xen dom0" --dry-run -c -l --sysroot="$tmp/xen" "$kexec"
refuses "-S in a Xen dom0" "this is a Xen dom0" -S --sysroot="$tmp/xen"
: > "$tmp/xen/proc/xen/capabilities"
exits 0 "-S in a Xen domU reads the flags, as on bare metal" -S --sysroot="$tmp/xen"
# a dom0 without xenfs (a module in Debian's kernels: no capabilities file):
# the feature bits Xen gives the guest, as Xen 4.17's dom0 in QEMU shows them
rm "$tmp/xen/proc/xen/capabilities"
mkdir -p "$tmp/xen/sys/hypervisor/properties"
echo 000228f0 > "$tmp/xen/sys/hypervisor/properties/features"
refuses "-l in a Xen dom0 without xenfs (XENFEAT_dom0)" \
	"/sys/hypervisor/properties/features: this is a Xen dom0" --dry-run -c -l --sysroot="$tmp/xen" "$kexec"
echo 000220f0 > "$tmp/xen/sys/hypervisor/properties/features"
exits 0 "-S in a Xen domU without XENFEAT_dom0" -S --sysroot="$tmp/xen"
done_testing
