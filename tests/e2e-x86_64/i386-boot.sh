#!/bin/bash
# A real i386 Linux through the elf-x86 loader (scripts/check --slow): Debian
# 12's 686 kernel, its vmlinux fetched by scripts/fetch-i386-kernel (cached
# outside the clone), loaded by the Debian 6.1 amd64 guest with kexec -l -t
# elf-x86 --args-linux and entered in 32-bit protected mode: run-all.sh's case
# c-i386-exec (one TCG guest).
#
#   tests/e2e-x86_64/i386-boot.sh BUILD_DIR
# Results: tests/e2e-x86_64/results-i386 (PASS/FAIL/SKIP name).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${UKEXEC_I386_CACHE:-/var/cache/ukexec/i386-6.1}
"$top/scripts/fetch-i386-kernel" "$cache"
UKEXEC_E2E_RUNALL_RESULTS=$top/tests/e2e-x86_64/results-i386 \
UKEXEC_E2E_I386=$cache UKEXEC_E2E_KERNELS=6.1 UKEXEC_E2E_CASES='^c-i386-exec$' \
	exec "$top/tests/e2e-x86_64/run-all.sh" "$@"
