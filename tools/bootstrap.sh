#!/usr/bin/env bash
# One-step set-up for a fresh Debian machine (see README.md).
#
#   tools/bootstrap.sh example   install dependencies, build, run the bundled MNIST-sized CNN and
#                                the quantized Fashion-MNIST classifiers
#   tools/bootstrap.sh test      install dependencies, build everything (docs too), run ctest,
#                                then build again with clang, ASan+UBSan and libFuzzer and
#                                run ctest there (unit tests plus a short run of every
#                                fuzz target)
#
# Environment: CVM_SKIP_DEPS=1 skips apt-get; BUILD_DIR (default build) and
# JOBS (default nproc) set the build folder and parallelism; CVM_SKIP_SANITIZERS=1
# skips the sanitizer pass (build-asan); CVM_FUZZ_SECONDS (default 20) is
# each fuzz target's run time there.
set -euo pipefail

mode=${1:-}
case "$mode" in
  example|test) ;;
  *) echo "usage: $0 example|test" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-$(nproc)}

# Debian packages only; nothing is downloaded at build or run time.
packages=(
  build-essential cmake ninja-build pkg-config
  nlohmann-json3-dev libcli11-dev libssl-dev libgtest-dev libgmock-dev googletest librapidcheck-dev libbenchmark-dev libz3-dev
  doxygen python3-sphinx python3-breathe libjs-mathjax fonts-mathjax clang
  libonnx-dev libprotobuf-dev zlib1g-dev dataset-fashion-mnist
  pybind11-dev python3-dev python3-pytest python3-numpy chromium
)
bash "$root/tools/apt_install.sh" "${packages[@]}"

if [[ $mode == example ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCVM_BUILD_TESTS=OFF -DCVM_BUILD_DOCS=OFF
  cmake --build "$build" -j "$jobs" --target cvm
  model="$root/examples/mnist_cnn"
  echo "== cvm info examples/mnist_cnn"
  "$build/tools/cvm/cvm" info "$model"
  echo "== cvm run examples/mnist_cnn --input examples/mnist_cnn/input.npy"
  "$build/tools/cvm/cvm" run "$model" --input "$model/input.npy" --output "$build/mnist_cnn_output.npy"
  # The quantized Fashion-MNIST classifiers (examples/fashion_mnist: trained
  # in PyTorch, exported to ONNX, quantized by `cvm quantize`).
  for net in cnn resnet; do
    model="$root/examples/fashion_mnist/$net"
    echo "== cvm prove examples/fashion_mnist/$net"
    "$build/tools/cvm/cvm" prove "$model"
    echo "== cvm run examples/fashion_mnist/$net --input examples/fashion_mnist/$net/input.npy"
    "$build/tools/cvm/cvm" run "$model" --input "$model/input.npy" --output "$build/fashion_mnist_${net}_output.npy"
  done
else
  # Line tables only (-g1) instead of full debug info: the same code (debug
  # info never changes GCC's code generation) and readable backtraces, in
  # two thirds of the build time (402 s instead of 597 s on 2 cores).
  cmake -S "$root" -B "$build" -G Ninja -DCVM_BUILD_TESTS=ON -DCVM_BUILD_DOCS=ON \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
    -DCMAKE_CUDA_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG -Xcompiler=-g1"
  cmake --build "$build" -j "$jobs"
  (cd "$build" && ctest --output-on-failure -j "$jobs")
  if [[ "${CVM_SKIP_SANITIZERS:-0}" != 1 ]]; then
    # The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer,
    # built with clang and libFuzzer's coverage instrumentation: any memory
    # error or UB aborts the test that triggers it, and the same build runs
    # every fuzz target (fuzz/) for CVM_FUZZ_SECONDS (default 20) over its
    # seed corpus (ctest label "fuzz"); no benchmarks, and no Z3 prover (its
    # work is inside Z3, which is not instrumented; the normal pass proves every
    # goal and runs its mutation checks). -O1, as sanitizer builds usually are:
    # the suite runs about twice as fast as at -O0 and reports stay exact; line tables only
    # (reports keep file:line, the 2-core CI build and links are faster than with full -g).
    asan="${build}-asan"
    echo "== ASan + UBSan + libFuzzer build (clang) in $asan"
    cmake -S "$root" -B "$asan" -G Ninja -DCVM_BUILD_TESTS=ON -DCVM_BUILD_DOCS=OFF \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCVM_SANITIZE=address,undefined -DCVM_ENABLE_FUZZ=ON -DCVM_ENABLE_CUDA=OFF -DCVM_BUILD_BENCH=OFF \
      -DCVM_BUILD_PROVER=OFF \
      -DCVM_FUZZ_SECONDS="${CVM_FUZZ_SECONDS:-20}" -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_C_FLAGS_DEBUG="-gline-tables-only -O1" -DCMAKE_CXX_FLAGS_DEBUG="-gline-tables-only -O1"
    cmake --build "$asan" -j "$jobs"
    # Tests labelled `slow` (the Fashion-MNIST example evaluations, the Z3
    # proofs) ran in the normal pass and add no coverage here; they would
    # double this pass.
    (cd "$asan" && ctest --output-on-failure -j "$jobs" -LE slow)
  fi
fi
