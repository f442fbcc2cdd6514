#!/bin/bash -eu
# Builds cvm's fuzz targets the way OSS-Fuzz and ClusterFuzzLite build a
# project (see docs/fuzzing.rst). The builder sets:
#   CC, CXX            clang
#   CFLAGS, CXXFLAGS   the sanitizer flags plus -fsanitize=fuzzer-no-link
#   LIB_FUZZING_ENGINE the engine's link flags (e.g. -fsanitize=fuzzer)
#   OUT                where the fuzzer binaries, seed corpora (.zip) and
#                      dictionaries (.dict) go
#   WORK               scratch space (optional; default /tmp)
# Every target is installed as $OUT/cvm_fuzz_<target> with
# $OUT/cvm_fuzz_<target>_seed_corpus.zip, and the JSON dictionary as
# $OUT/cvm_fuzz_<target>.dict for the targets that read graph JSON.
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WORK:-/tmp}/cvm-fuzz-build
seeds=${WORK:-/tmp}/cvm-fuzz-seeds
targets=(graph_json params npy model op_diff model_diff certified)
json_targets=(graph_json model)

# Build type None: CFLAGS/CXXFLAGS alone decide optimisation and
# instrumentation; the tests, benchmarks, docs, tools and the Python package
# are not needed (nor is CUDA: the service has no GPU).
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCVM_BUILD_TESTS=OFF -DCVM_BUILD_BENCH=OFF -DCVM_BUILD_DOCS=OFF -DCVM_BUILD_TOOLS=OFF \
  -DCVM_BUILD_PYTHON=OFF -DCVM_ENABLE_CUDA=OFF \
  -DCVM_ENABLE_FUZZ=ON -DCVM_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
cmake --build "$build" -j "$(nproc)" --target cvm_fuzz_seeds "${targets[@]/#/cvm_fuzz_}"

"$build/fuzz/cvm_fuzz_seeds" "$root" "$seeds"
mkdir -p "$OUT"
for t in "${targets[@]}"; do
  cp "$build/fuzz/cvm_fuzz_$t" "$OUT/"
  rm -f "$OUT/cvm_fuzz_${t}_seed_corpus.zip"
  (cd "$seeds/$t" && zip -q -j "$OUT/cvm_fuzz_${t}_seed_corpus.zip" ./*)
done
for t in "${json_targets[@]}"; do
  cp "$root/fuzz/json.dict" "$OUT/cvm_fuzz_$t.dict"
done
