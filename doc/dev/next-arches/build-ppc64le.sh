#!/bin/bash
# build-ppc64le.sh [OUT_DIR]: build-kernel.sh ppc64le (see there).
exec "$(dirname "$0")/build-kernel.sh" ppc64le "$@"
