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
	--purgatory-from --sysroot --arch --kexec-file-profile; do
	grep -q -- "$o\\b" "$tmp/help" || { echo "# --help lacks $o"; missing=1; }
done
[ -z "$missing" ]; ok $? "--help lists every option"
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
refuses "two kernels" "unexpected argument 'b': one KERNEL only" -l a b
refuses "-e with a kernel" "-e does not take a KERNEL" -e vmlinuz
refuses "missing kernel file" "/nonexistent/vmlinuz" --dry-run -c -l --sysroot="$tmp/root" /nonexistent/vmlinuz
grep -q '/nonexistent/vmlinuz' "$tmp/err"; ok $? "the message names the file"
refuses "bad --mem-min" "bad value for --mem-min: '12q'" --mem-min=12q -l k
refuses "not yet supported option" "--real-mode: not supported yet" --real-mode -l k
refuses "--arch without --dry-run" "it needs --dry-run" --arch=s390x -l k
refuses "--dry-run with -s" "without -s" --dry-run -s -l k
refuses "unknown --arch" "--arch=vax: unknown architecture" --dry-run --arch=vax -l /dev/null
refuses "a missing sysroot" "/nonexistent: No such file or directory" --dry-run -l --sysroot=/nonexistent "$kexec"

# -S reads the recorded flags: exit 1 if loaded, 0 if not (kexec-tools)
mkdir -p "$tmp/root/sys/kernel"
echo 0 > "$tmp/root/sys/kernel/kexec_crash_loaded"; echo 1 > "$tmp/root/sys/kernel/kexec_loaded"
"$kexec" -S --sysroot="$tmp/root"; [ $? -eq 0 ]; ok $? "-S: no panic kernel loaded → exit 0"
"$kexec" -l -S --sysroot="$tmp/root"; [ $? -eq 1 ]; ok $? "-l -S: a kernel loaded → exit 1"
refuses "-S with -e" "-S and -e cannot be used together" -S -e

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
done_testing
