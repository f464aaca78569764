#!/bin/sh
# bench/ccond_crash.sh BUILD_DIR (placeholder)
echo "not written yet" >&2
exit 2
