#!/bin/sh
# The long firmware equivalence runs (too long for CI): every bundled model on the host target, fmnist_tiny on
# the ATmega328P (simavr) and the Cortex-M3 (QEMU) at the default L = 256, each image's outputs compared with
# the host engine by `scnn run-c` (exit status 2 on the first differing image, with its class and both values).
# Usage: scripts/firmware-equivalence.sh [BUILD_DIR] [IMAGES]     (defaults: build, 1000)
# Time on one core of the 2-core CI machine kind: host about 2 min in all; AVR about 12 min; Cortex-M 3 min.
set -eu
BUILD=${1:-build}
N=${2:-1000}
SCNN="$BUILD/cli/scnn"
for m in fmnist_tiny fmnist_mlp fmnist_mlp_sc fmnist_cnn fmnist_cnn_sc; do
    echo "== $m on the host, $N images"
    "$SCNN" run-c -m "$m" --target host -n "$N"
done
for t in avr cortex-m; do
    echo "== fmnist_tiny on $t, $N images"
    "$SCNN" run-c -m fmnist_tiny --target "$t" -n "$N"
    echo "== fmnist_tiny on $t with early exit (margin 20, every 8 cycles), $N images"
    "$SCNN" run-c -m fmnist_tiny --target "$t" -n "$N" --early-exit 20 --early-exit-every 8
done
echo "== models that do not fit the ATmega328P (the fit check's message)"
for m in fmnist_mlp fmnist_mlp_sc fmnist_cnn fmnist_cnn_sc; do
    "$SCNN" run-c -m "$m" --target avr -n 1 || true
done
