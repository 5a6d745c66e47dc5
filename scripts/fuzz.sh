#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) in build-fuzz and runs them, one at a time.
# Usage: scripts/fuzz.sh [TARGET|all] [SECONDS]   run TARGET (onnx, idx, csv; default all) for SECONDS each
#                                                (default 600), starting from tests/fuzz/corpus/TARGET
#        scripts/fuzz.sh replay                   run every target once over its seeds and regressions
#        scripts/fuzz.sh list                     print the target names
# Environment: FUZZ_JOBS (build parallelism, default 2), FUZZ_ARGS (extra libFuzzer flags).
# The growing corpus is kept in build-fuzz/corpus/TARGET (not committed); crash, leak, timeout and OOM
# inputs land in build-fuzz/artifacts/TARGET/. Add each one as a regression: copy it to
# tests/fuzz/regressions/TARGET/ and add a case to tests/io/test_fuzz_regressions.cpp (docs/ROBUSTNESS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=$(sed -n 's/^scnn_add_fuzzer(\([a-z0-9_]*\).*/\1/p' cmake/fuzz.cmake)
what=${1:-all}
seconds=${2:-600}
if [[ "$what" == list ]]; then echo "$targets"; exit 0; fi
if [[ "$what" != all && "$what" != replay ]] && ! grep -qx "$what" <<<"$targets"; then
  echo "scripts/fuzz.sh: unknown target '$what' (targets: $(echo $targets))" >&2
  exit 2
fi
command -v clang++ >/dev/null || { echo "scripts/fuzz.sh: clang++ not found (scripts/install-deps.sh --dev)" >&2; exit 2; }

CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCNN_FUZZ=ON \
  -DSCNN_BUILD_TESTS=OFF -DSCNN_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j"${FUZZ_JOBS:-2}" --target scnn_fuzzers

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
common=(-rss_limit_mb=2048 -timeout=10 -print_final_stats=1)

if [[ "$what" == replay ]]; then
  status=0
  for t in $targets; do
    inputs=()
    for d in tests/fuzz/corpus/$t tests/fuzz/regressions/$t; do
      if [[ -d $d ]]; then while IFS= read -r f; do inputs+=("$f"); done < <(find "$d" -type f | sort); fi
    done
    echo "== fuzz_$t: replaying ${#inputs[@]} inputs"
    ((${#inputs[@]} > 0)) || continue
    if ! build-fuzz/fuzz_"$t" "${common[@]}" "${inputs[@]}" >build-fuzz/replay-"$t".log 2>&1; then
      tail -n 40 build-fuzz/replay-"$t".log >&2
      status=1
    fi
  done
  exit $status
fi

[[ "$what" == all ]] && run=$targets || run=$what
for t in $run; do
  mkdir -p build-fuzz/corpus/"$t" build-fuzz/artifacts/"$t"
  echo "== fuzz_$t for ${seconds}s (corpus build-fuzz/corpus/$t, artifacts build-fuzz/artifacts/$t/)"
  # shellcheck disable=SC2086
  build-fuzz/fuzz_"$t" "${common[@]}" -max_total_time="$seconds" -artifact_prefix=build-fuzz/artifacts/"$t"/ \
    ${FUZZ_ARGS:-} build-fuzz/corpus/"$t" tests/fuzz/corpus/"$t"
done
