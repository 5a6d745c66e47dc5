#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds scnn, and evaluates the bundled
# default model on the Fashion-MNIST test set (10k images) in float and int8.
# Usage: scripts/run-main.sh [extra scnn eval options, e.g. --limit 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-main -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCNN_BUILD_TESTS=OFF -DSCNN_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-main --target scnn -j"$(nproc)"
./build-main/cli/scnn info fmnist_mlp
./build-main/cli/scnn eval --model fmnist_mlp --data fashion-mnist --mode float "$@"
./build-main/cli/scnn eval --model fmnist_mlp --data fashion-mnist --mode int8 "$@"
