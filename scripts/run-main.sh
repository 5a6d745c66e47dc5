#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds scnn, and compares float, int8 and
# stochastic computing (SC, stream lengths 32 … 4096) for the bundled default model on the Fashion-MNIST
# test set (10k images). Table on stdout; JSON, CSV and a PNG plot in build-main/compare/.
# Usage: scripts/run-main.sh [extra scnn compare options, e.g. --limit 1000 or --lengths 64,256,1024]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-main -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCNN_BUILD_TESTS=OFF -DSCNN_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-main --target scnn -j"$(nproc)"
./build-main/cli/scnn info fmnist_mlp
./build-main/cli/scnn compare --model fmnist_mlp --data fashion-mnist --out build-main/compare "$@"
