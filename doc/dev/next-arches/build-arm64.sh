#!/bin/bash
# build-arm64.sh [OUT_DIR]: build-kernel.sh arm64 (see there).
exec "$(dirname "$0")/build-kernel.sh" arm64 "$@"
