# Shared by tests/unit/test-hostile*.sh (sourced after tap.sh): set kexec,
# machine (a recorded sysroot's directory) and tmp first.

# refuses DESC PATTERN ARGS...: within 10 s, nonzero exit, one stderr line matching PATTERN, no plan
refuses() {
	local desc=$1 pat=$2 st
	shift 2
	timeout 10 "$kexec" --dry-run --print-plan "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	st=$?
	[ $st -ne 0 ] && [ $st -ne 124 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] &&
		grep -q -- "$pat" "$tmp/err" && [ ! -s "$tmp/out" ]
	ok $? "$desc: exit $st: $(head -c 300 "$tmp/err" | head -n 3 | tr '\n' '|')"
}

# sysroot NAME: a fresh copy of the recorded machine in $tmp/NAME
sysroot() {
	rm -rf "$tmp/$1"
	mkdir -p "$tmp/$1" && cp -r "$machine/sysroot/." "$tmp/$1/"
	echo "$tmp/$1"
}
