#!/bin/sh
# usage: check-undefined.sh NM OBJECT
# Fails (exit 1) and names the symbols when OBJECT has any undefined symbol:
# a purgatory runs with nothing to resolve them against.
nm=$1 obj=$2
[ -n "$nm" ] && [ -f "$obj" ] || { echo "usage: $0 NM OBJECT" >&2; exit 2; }
undef=$($nm -u "$obj") || { echo "$obj: $nm failed" >&2; exit 2; }
if [ -n "$undef" ]; then
	echo "$obj: undefined symbols in purgatory:" $(echo "$undef" | awk '{print $NF}') >&2
	exit 1
fi
exit 0
