#!/usr/bin/env bash
# Builds everything with warnings as errors and runs all tests through CTest. Installs what is missing.
# Then builds the tests again with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan, no benchmarks)
# and runs them (all but the `cross` ones, see below) with halt-on-error: any memory error, leak or undefined behaviour fails the run.
# Usage: scripts/run-tests.sh            (CI runs exactly this through .ci/run)
#        SCNN_SKIP_ASAN=1 scripts/run-tests.sh   (local shortcut: the normal pass only)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCNN_WERROR=ON -DSCNN_BUILD_TESTS=ON \
  -DSCNN_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

if [[ "${SCNN_SKIP_ASAN:-0}" == 1 ]]; then exit 0; fi
# Warnings are enforced by the pass above; g++ warns differently with sanitizers, so no -Werror here.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCNN_SANITIZE=ON -DSCNN_WERROR=OFF \
  -DSCNN_BUILD_TESTS=ON -DSCNN_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-asan -j"$jobs"
# Tests labelled `cross` compile generated code with a target toolchain and run it in a simulator (simavr,
# QEMU, Verilator, yosys): what they check runs outside this build, so the sanitizers add nothing to them and
# the normal pass above covers them. So does the `package` test (an install and an outside build: it checks
# the install layout, which sanitizers do not change).
ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE 'cross|package'
