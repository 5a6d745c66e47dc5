#!/bin/sh
# Firmware speed benchmark (not a test): AVR cycles and Cortex-M3 instructions per inference of fmnist_tiny,
# and per synapse-cycle (synapses = 196·64 + 64·10 = 13,184 products per SC cycle, times L cycles), for
# the SC firmware at the given lengths. The toolchain notes put good C at about 4.5 AVR cycles per
# synapse-cycle. Usage: bench/firmware_cycles.sh [BUILD] [IMAGES] [LENGTHS]   (build, 5, "64 256")
set -eu
BUILD=${1:-build}
N=${2:-5}
LENGTHS=${3:-"64 256"}
for t in avr cortex-m; do
    for L in $LENGTHS; do
        json=$("$BUILD/cli/scnn" run-c -m fmnist_tiny --target "$t" -L "$L" -n "$N" --json)
        echo "$json" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin); L = int(sys.argv[2]); syn = (196 * 64 + 64 * 10) * L
print("%-8s L=%-5d %12.0f %s per inference  %6.2f per synapse-cycle  mismatches %d" % (
    sys.argv[1], L, r["cycles_per_inference"], "cycles" if sys.argv[1] == "avr" else "instructions",
    r["cycles_per_inference"] / syn, r["mismatches"]))' "$t" "$L"
    done
done
