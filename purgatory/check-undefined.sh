#!/bin/sh
# usage: check-undefined.sh NM OBJECT [SYMBOL...]
# Fails (exit 1) and names the symbols when OBJECT has any undefined symbol:
# a purgatory runs with nothing to resolve them against. The SYMBOLs given
# are the loader's to resolve (ppc64's .TOC., the TOC base the kernel's and
# ukexec's relocators compute) and are let through.
nm=$1 obj=$2
[ -n "$nm" ] && [ -f "$obj" ] || { echo "usage: $0 NM OBJECT [SYMBOL...]" >&2; exit 2; }
shift 2
undef=$($nm -u "$obj") || { echo "$obj: $nm failed" >&2; exit 2; }
undef=$(echo "$undef" | awk -v ok=" $* " 'NF && index(ok, " " $NF " ") == 0 { print $NF }')
if [ -n "$undef" ]; then
	echo "$obj: undefined symbols in purgatory:" $undef >&2
	exit 1
fi
exit 0
