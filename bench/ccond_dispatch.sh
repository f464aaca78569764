#!/bin/sh
# bench/ccond_dispatch.sh BUILD_DIR (placeholder)
echo "not written yet" >&2
exit 2
