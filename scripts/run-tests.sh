#!/usr/bin/env bash
# Builds everything with warnings as errors and runs all tests through CTest. Installs what is missing.
# Usage: scripts/run-tests.sh            (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCNN_WERROR=ON -DSCNN_BUILD_TESTS=ON \
  -DSCNN_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
