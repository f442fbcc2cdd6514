#!/usr/bin/env bash
# The Fashion-MNIST story end to end, offline (docs/quantizer.rst, "Tutorial"):
#
#   examples/fashion_mnist/reproduce.sh BUILD_DIR [WORK_DIR]
#
# prepares the data (Debian's dataset-fashion-mnist), trains the two networks
# with PyTorch on the CPU and exports them to ONNX (python3-torch,
# python3-onnx), then for each: cvm quantize (calibrate, quantize, certify,
# evaluate on the 10000 test images), cvm prove, cvm run; and prints float vs
# integer accuracy. It installs the Debian packages it needs (apt-get; CVM_SKIP_DEPS=1
# skips that). SKIP_TRAIN=1 quantizes the committed ONNX files instead of
# training (a minute instead of several).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  sed -n 2,12p "$0" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
cvm=$(cd "$1" && pwd)/tools/cvm/cvm
work=${2:-$(mktemp -d /tmp/cvm_fashion_mnist.XXXXXX)}
mkdir -p "$work"
python=/usr/bin/python3  # Debian's interpreter, where python3-torch lives

# Debian packages the script needs beyond the build's (CVM_SKIP_DEPS=1 skips).
deps=(python3-numpy python3-onnx dataset-fashion-mnist)
[[ "${SKIP_TRAIN:-0}" == 1 ]] || deps+=(python3-torch)
bash "$here/../../tools/apt_install.sh" "${deps[@]}"

[[ -x $cvm ]] || { echo "no cvm binary at $cvm: build the target cvm first" >&2; exit 2; }
"$cvm" quantize --help > /dev/null || { echo "$cvm lacks 'quantize' (install libonnx-dev, reconfigure)" >&2; exit 2; }

echo "== data -> $work"
"$python" "$here/prepare_data.py" "$work"

if [[ "${SKIP_TRAIN:-0}" == 1 ]]; then
  echo "== using the committed ONNX models"
  cp "$here/cnn.onnx" "$here/resnet.onnx" "$work/"
else
  echo "== training (PyTorch, CPU)"
  "$python" "$here/train.py" "$work"
fi

for net in cnn resnet; do
  echo "== cvm quantize $net"
  "$cvm" quantize "$work/$net.onnx" --calibration "$work/calib.npy" \
    --eval "$work/eval.npy" --labels "$work/labels.npy" --output "$work/$net"
  echo "== cvm prove $net"
  "$cvm" prove "$work/$net" | tail -1
  echo "== cvm run $net"
  "$cvm" run "$work/$net" --input "$work/$net/input.npy" --output "$work/${net}_out.npy"
done

echo "== accuracy on the 10000 test images"
"$python" - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
print("%-8s %8s %8s %8s" % ("network", "float", "integer", "delta"))
for net in ("cnn", "resnet"):
    r = json.load(open(os.path.join(work, net, "report.json")))
    f, i = r["float_accuracy"], r["int_accuracy"]
    print("%-8s %8.4f %8.4f %+8.4f" % (net, f, i, i - f))
PY
echo "== outputs in $work"
