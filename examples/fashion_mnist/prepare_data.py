#!/usr/bin/python3
"""prepare_data.py OUT_DIR [--calibration N]

Writes the quantizer's inputs: OUT_DIR/calib.npy (the first N training
images, default 1000), OUT_DIR/eval.npy (the 10000 test images), both float32
(N, 1, 28, 28) as pixel / 255, and OUT_DIR/labels.npy (int32 test labels)."""

import argparse
import os

import numpy as np

import fashion_mnist as fm


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--calibration", type=int, default=1000)
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    np.save(os.path.join(a.out_dir, "calib.npy"), fm.images(fm.TRAIN)[: a.calibration])
    np.save(os.path.join(a.out_dir, "eval.npy"), fm.images(fm.TEST))
    np.save(os.path.join(a.out_dir, "labels.npy"), fm.labels(fm.TEST).astype(np.int32))
    print("wrote %s/{calib,eval,labels}.npy" % a.out_dir)


if __name__ == "__main__":
    main()
