#!/usr/bin/python3
"""train.py OUT_DIR [--epochs-cnn N] [--epochs-resnet N]

Trains the two example networks (networks.py) on the 60000 Fashion-MNIST
training images with PyTorch on the CPU and exports OUT_DIR/cnn.onnx and
OUT_DIR/resnet.onnx (opset 13, input "data" (1, 1, 28, 28), output "logits").
Seeds are fixed and deterministic algorithms required, so a rerun on the same
machine and PyTorch gives the same weights."""

import argparse
import os
import time

import numpy as np
import onnx
import torch
from torch import nn

import fashion_mnist as fm
from networks import NETWORKS

ALLOWED_ONNX_OPS = {"Conv", "BatchNormalization", "Relu", "MaxPool", "Add", "GlobalAveragePool",
                    "Flatten", "Gemm"}


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return float((model(x).argmax(1).numpy() == y).mean())


def train(name, epochs, x_train, y_train, x_test, y_test):
    torch.manual_seed(0)
    model = NETWORKS[name]()
    shuffle = torch.Generator().manual_seed(0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    # The learning rate drops tenfold for the last third of the epochs.
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[max(1, epochs * 2 // 3)], gamma=0.1)
    start = time.time()
    for epoch in range(epochs):
        model.train()
        t = time.time()
        order = torch.randperm(len(x_train), generator=shuffle)
        for i in range(0, len(order), 128):
            idx = order[i:i + 128]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
        sched.step()
        print("%s: epoch %d/%d, %.0f s, last batch loss %.3f, test accuracy %.4f" % (
            name, epoch + 1, epochs, time.time() - t, float(loss), accuracy(model, x_test, y_test)), flush=True)
    return model, time.time() - start


def export(model, path):
    model.eval()
    # PRESERVE with the module in eval mode keeps BatchNormalization nodes (the
    # exporter's eval-mode peephole would fold them into the convolutions):
    # cvm quantize does the folding itself.
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, input_names=["data"], output_names=["logits"],
                      opset_version=13, training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = [n.op_type for n in m.graph.node]
    extra = set(ops) - ALLOWED_ONNX_OPS
    assert not extra, "unexpected ONNX ops %s" % extra
    return ops


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--epochs-cnn", type=int, default=9)
    ap.add_argument("--epochs-resnet", type=int, default=6)
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    x_train, y_train = torch.from_numpy(fm.images(fm.TRAIN)), torch.from_numpy(fm.labels(fm.TRAIN))
    x_test, y_test = torch.from_numpy(fm.images(fm.TEST)), fm.labels(fm.TEST)
    for name, epochs in (("cnn", a.epochs_cnn), ("resnet", a.epochs_resnet)):
        model, seconds = train(name, epochs, x_train, y_train, x_test, y_test)
        path = os.path.join(a.out_dir, name + ".onnx")
        ops = export(model, path)
        print("%s: float test accuracy %.4f, trained in %.0f s, %s (%d bytes): %s" % (
            name, accuracy(model, x_test, y_test), seconds, path, os.path.getsize(path), " ".join(ops)), flush=True)


if __name__ == "__main__":
    main()
