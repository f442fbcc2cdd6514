#!/usr/bin/env bash
# The CUDA backend's verification and benchmarks on a GPU machine that has no
# build tools (docs/cuda.rst, "Verification" and "Benchmarks"), in one script
# so that a borrowed GPU's time goes to running, not to typing:
#
#   tools/gpu_check.sh bundle BUILD DIR     # on the build machine
#   DIR/gpu_check.sh run DIR [SECONDS]      # on the GPU machine
#
# bundle copies into DIR the stripped binaries (cvm, cvm_cuda_oracle,
# cvm_bench, and cvm_fuzz_cuda_op_diff with its seed corpus when BUILD has
# them), the shared libraries they load beyond the C/C++ runtime, every
# example model directory (symbol, params, input.npy) and this script.
#
# run then, stopping at nothing but reporting every failure in its exit
# status:
#   1. every test of cvm_cuda_oracle; a skipped test is a failure here (it
#      means no usable GPU), so a pass is a real pass;
#   2. each example through `cvm run` on the reference and on the cuda
#      backend: the output files must be identical bytes;
#   3. the cuda_op_diff fuzz target for SECONDS (default 60), when bundled;
#   4. the CUDA benchmarks (cvm_bench --benchmark_filter=cuda), printed.
set -uo pipefail

usage() {
  sed -n '2,8p' "$0" >&2
  exit 2
}

bundle() {
  local build=$1 dir=$2
  mkdir -p "$dir/bin" "$dir/lib" "$dir/examples"
  local bins=("$build/tools/cvm/cvm" "$build/oracle/cvm_cuda_oracle" "$build/bench/cvm_bench")
  [[ -x "$build/fuzz/cvm_fuzz_cuda_op_diff" ]] && bins+=("$build/fuzz/cvm_fuzz_cuda_op_diff")
  for b in "${bins[@]}"; do
    [[ -x "$b" ]] || { echo "gpu_check: $b is missing (build with CUDA first)" >&2; exit 1; }
    strip -o "$dir/bin/$(basename "$b")" "$b"
    # Libraries outside the C/C++ runtime (benchmark, protobuf, crypto ...).
    ldd "$b" | awk '/=> \// {print $3}' | grep -Ev '/(libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl|librt|ld-linux[^/]*)\.so' |
      while read -r lib; do cp -L "$lib" "$dir/lib/"; done
  done
  [[ -d "$build/fuzz/corpus/cuda_op_diff" ]] && cp -r "$build/fuzz/corpus/cuda_op_diff" "$dir/corpus"
  local root
  root=$(cd "$(dirname "$0")/.." && pwd)
  while read -r symbol; do
    local m
    m=$(dirname "$symbol")
    [[ -f "$m/params" && -f "$m/input.npy" ]] || continue
    local name=${m#"$root/examples/"}
    mkdir -p "$dir/examples/$name"
    cp "$m/symbol" "$m/params" "$m/input.npy" "$dir/examples/$name/"
  done < <(find "$root/examples" -name symbol | sort)
  cp "$0" "$dir/gpu_check.sh"
  du -sh "$dir"
}

run() {
  local dir=$1 seconds=${2:-60} failed=0
  export LD_LIBRARY_PATH="$dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true

  echo "== 1. CUDA tests"
  local log
  log=$(mktemp)
  RC_PARAMS="seed=20261122 max_success=100 verbose_progress=0" "$dir/bin/cvm_cuda_oracle" 2>&1 | tee "$log" |
    grep -E '^\[  (PASSED|FAILED|SKIPPED) |^\[==========\]' || true
  if ! grep -q '^\[  PASSED  \]' "$log" || grep -q '^\[  FAILED  \]' "$log"; then
    echo "FAIL: CUDA tests failed"; failed=1
  fi
  if grep -q '^\[  SKIPPED \]' "$log"; then
    echo "FAIL: CUDA tests were skipped (no usable GPU?)"; failed=1
  fi

  echo "== 2. examples, cuda against reference"
  local out
  out=$(mktemp -d)
  while read -r m; do
    local name=${m#"$dir/examples/"} tag
    tag=$(echo "$name" | tr / _)
    for backend in reference cuda; do
      "$dir/bin/cvm" run "$m" --input "$m/input.npy" --output "$out/$tag.$backend.npy" --backend "$backend" \
        > /dev/null || { echo "FAIL: $name on $backend"; failed=1; }
    done
    if cmp -s "$out/$tag.reference.npy" "$out/$tag.cuda.npy"; then
      echo "ok   $name: identical outputs"
    else
      echo "FAIL: $name: cuda output differs from the reference"; failed=1
    fi
  done < <(find "$dir/examples" -name symbol -exec dirname {} \; | sort)

  echo "== 3. fuzz cuda_op_diff (${seconds} s)"
  if [[ -x "$dir/bin/cvm_fuzz_cuda_op_diff" ]]; then
    mkdir -p "$dir/corpus"
    "$dir/bin/cvm_fuzz_cuda_op_diff" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix="$out/" "$dir/corpus" 2>&1 | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' ||
      true
    if ls "$out"/crash-* "$out"/timeout-* "$out"/oom-* > /dev/null 2>&1; then
      echo "FAIL: the fuzz target left artifacts in $out"; failed=1
    fi
  else
    echo "(not bundled: build with CVM_ENABLE_FUZZ and clang to include it)"
  fi

  echo "== 4. benchmarks"
  "$dir/bin/cvm_bench" --benchmark_filter=cuda || { echo "FAIL: benchmarks"; failed=1; }

  if ((failed)); then echo "gpu_check: FAILED"; else echo "gpu_check: all passed"; fi
  return "$failed"
}

case "${1:-}" in
  bundle) [[ $# -eq 3 ]] || usage; bundle "$2" "$3" ;;
  run) [[ $# -ge 2 ]] || usage; run "$2" "${3:-60}" ;;
  *) usage ;;
esac
