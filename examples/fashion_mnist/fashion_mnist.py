"""Reading Debian's Fashion-MNIST (package dataset-fashion-mnist) with the
standard library and NumPy: IDX files, gzip-compressed."""

import gzip
import os

import numpy as np

DATASET = "/usr/share/datasets/fashion-mnist"


def _read(name):
    path = os.path.join(DATASET, name)
    if not os.path.exists(path):
        raise SystemExit("%s is missing: apt-get install dataset-fashion-mnist" % path)
    with gzip.open(path) as f:
        return f.read()


def images(split):
    """(N, 1, 28, 28) float32 pixels / 255, computed in double and rounded
    once to float32 (the same values tools/quantize/tests computes)."""
    raw = _read("%s-images-idx3-ubyte.gz" % split)
    assert int.from_bytes(raw[0:4], "big") == 0x803, "not an IDX image file"
    n = int.from_bytes(raw[4:8], "big")
    pixels = np.frombuffer(raw, np.uint8, offset=16).reshape(n, 1, 28, 28)
    return (pixels.astype(np.float64) / 255.0).astype(np.float32)


def labels(split):
    raw = _read("%s-labels-idx1-ubyte.gz" % split)
    assert int.from_bytes(raw[0:4], "big") == 0x801, "not an IDX label file"
    return np.frombuffer(raw, np.uint8, offset=8).astype(np.int64)


TRAIN, TEST = "train", "t10k"
