#!/usr/bin/python3
"""Times one CVM model through the C API of several libraries, side by side.

    bench/side_by_side.py MODEL_DIR [--cvm-lib build/libcvm.so]
                          [--upstream-lib PATH] [--devices 0,2]
                          [--rounds 5] [--iterations 10] [--threads 2]
                          [--torch]

MODEL_DIR holds `symbol` and `params` (e.g. the ResNet-18-shaped benchmark
model: `build/tools/make_examples/cvm_make_examples --resnet18 /tmp/r18`, then
MODEL_DIR = /tmp/r18/resnet18).

Every library is loaded into this one process through ctypes and called the
way a node calls it: CVMAPILoadModel once per (library, device), then
CVMAPIInference on one fixed input. The runs are interleaved: each round
times `iterations` calls of every (library, device) in turn, so that a noisy
machine slows all of them alike; the table gives each one's median over all
rounds and its ratio to the first row. Before timing, every output is
compared byte for byte with the first row's, and a difference is an error
(exit status 1): a speed figure is only worth printing for the same bytes.

`--upstream-lib` names a build of the upstream CVM runtime's libcvm.so made
by you, outside this repository (nothing here builds or fetches it).
Upstream's OpenMP threads spin after each call unless told to wait
passively, which slows whatever runs next; this script sets
OMP_WAIT_POLICY=PASSIVE (and CVM_THREADS / OMP_NUM_THREADS to --threads)
before any library is loaded.

`--torch` adds PyTorch's ResNet-18 at batch 1 (Debian's python3-torch and
python3-torchvision, random weights): fp32, and int8 through its quantized
engine (oneDNN / fbgemm, which use VNNI where the CPU has it). Its arithmetic
is not CVM's (float scales), so it is a speed reference only: no bytes are
compared, and it is timed the same interleaved way.
"""

import argparse
import ctypes
import json
import os
import statistics
import sys
import time


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model", help="directory with symbol and params")
    p.add_argument("--cvm-lib", default=os.path.join(os.path.dirname(__file__), "..", "build", "libcvm.so"))
    p.add_argument("--upstream-lib", help="path to upstream's libcvm.so (built by you, elsewhere)")
    p.add_argument("--devices", default="0,2", help="device types to run: 0 CPU, 2 formal (default 0,2)")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--iterations", type=int, default=10, help="timed calls per row per round")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--torch", action="store_true", help="also time PyTorch's fp32 and int8 ResNet-18")
    p.add_argument("--seed", type=int, default=1, help="seed of the input's values")
    args = p.parse_args(argv)
    if args.rounds < 1 or args.iterations < 1 or args.threads < 1:
        p.error("--rounds, --iterations and --threads must be >= 1")
    try:
        args.devices = [int(d) for d in args.devices.split(",") if d]
    except ValueError:
        p.error("--devices is a comma-separated list of integers")
    return args


class Library:
    """One libcvm.so's C API (the calls a node makes)."""

    def __init__(self, label, path):
        self.label = label
        self.lib = ctypes.CDLL(os.path.abspath(path), mode=ctypes.RTLD_LOCAL)
        c = ctypes
        self.lib.CVMAPILoadModel.argtypes = [c.c_char_p, c.c_int, c.c_char_p, c.c_int,
                                             c.POINTER(c.c_void_p), c.c_int, c.c_int]
        self.lib.CVMAPIInference.argtypes = [c.c_void_p, c.c_char_p, c.c_int, c.c_char_p]
        self.lib.CVMAPIFreeModel.argtypes = [c.c_void_p]
        for name in ("CVMAPIGetInputLength", "CVMAPIGetOutputLength", "CVMAPIGetInputTypeSize"):
            getattr(self.lib, name).argtypes = [c.c_void_p, c.POINTER(c.c_ulonglong)]

    def query(self, net, name):
        v = ctypes.c_ulonglong(0)
        self.check(getattr(self.lib, name)(net, ctypes.byref(v)), name)
        return v.value

    def check(self, code, what):
        if code != 0:
            raise RuntimeError(f"{self.label}: {what} returned {code}")


class Row:
    """One (library, device) handle with its input and output buffers."""

    def __init__(self, lib, device, symbol, params):
        self.lib, self.device = lib, device
        self.label = f"{lib.label}, device {device}"
        self.net = ctypes.c_void_p()
        lib.check(lib.lib.CVMAPILoadModel(symbol, len(symbol), params, len(params),
                                          ctypes.byref(self.net), device, 0), "CVMAPILoadModel")
        self.input_len = lib.query(self.net, "CVMAPIGetInputLength")
        self.type_size = lib.query(self.net, "CVMAPIGetInputTypeSize")
        self.output = ctypes.create_string_buffer(lib.query(self.net, "CVMAPIGetOutputLength"))
        self.times = []

    def infer(self, data):
        self.lib.check(self.lib.lib.CVMAPIInference(self.net, data, len(data), self.output), "CVMAPIInference")

    def close(self):
        self.lib.lib.CVMAPIFreeModel(self.net)


def input_bytes(symbol, input_len, type_size, seed):
    """A fixed input inside the data node's precision, in the input width."""
    import numpy as np
    graph = json.loads(symbol)
    precision = 8
    prec = graph.get("attrs", {}).get("precision")
    if prec and len(prec) == 2 and prec[1]:
        precision = int(prec[1][0])  # entry 0 is the data input's
    bound = (1 << (min(precision, 8 * type_size) - 1)) - 1
    count = input_len // type_size
    values = np.random.RandomState(seed).randint(-bound, bound + 1, size=count)
    dtype = {1: np.int8, 4: np.int32}.get(type_size)
    if dtype is None:
        raise RuntimeError(f"input type size {type_size} is neither 1 nor 4")
    return values.astype(dtype).tobytes()


def torch_rows(threads):
    """PyTorch's ResNet-18 at batch 1: (label, callable) pairs."""
    import torch
    import torchvision
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.rand(1, 3, 224, 224)
    fp32 = torchvision.models.resnet18(weights=None).eval()
    q = torchvision.models.quantization.resnet18(weights=None, quantize=False).eval()
    q.fuse_model()
    engines = torch.backends.quantized.supported_engines
    engine = next((e for e in ("onednn", "x86", "fbgemm") if e in engines), None)
    if engine is None:
        raise RuntimeError(f"no x86 quantized engine in {engines}")
    torch.backends.quantized.engine = engine
    q.qconfig = torch.ao.quantization.get_default_qconfig(engine)
    torch.ao.quantization.prepare(q, inplace=True)
    with torch.no_grad():
        for _ in range(4):
            q(torch.rand(1, 3, 224, 224))
    torch.ao.quantization.convert(q, inplace=True)

    def run(model):
        def call():
            with torch.no_grad():
                model(x)
        return call
    return [("PyTorch fp32", run(fp32)), (f"PyTorch int8 ({engine})", run(q))]


def median_ms(times):
    return statistics.median(times) * 1e3


def main(argv):
    args = parse_args(argv)
    # Before any library (or torch) is loaded: their thread pools read these once.
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    os.environ["CVM_THREADS"] = str(args.threads)
    with open(os.path.join(args.model, "symbol"), "rb") as f:
        symbol = f.read()
    with open(os.path.join(args.model, "params"), "rb") as f:
        params = f.read()

    libs = []
    if args.upstream_lib:
        libs.append(Library("upstream", args.upstream_lib))
    libs.append(Library("cvm", args.cvm_lib))
    rows = [Row(lib, d, symbol, params) for d in args.devices for lib in libs]
    data = input_bytes(symbol, rows[0].input_len, rows[0].type_size, args.seed)

    # Same bytes first: every row against the first.
    for r in rows:
        r.infer(data)
    reference = rows[0].output.raw
    mismatches = [r.label for r in rows[1:] if r.output.raw != reference]
    if mismatches:
        print(f"error: output bytes differ from {rows[0].label}'s: {', '.join(mismatches)}", file=sys.stderr)
        return 1

    timed = [(r.label, lambda r=r: r.infer(data)) for r in rows]
    if args.torch:
        timed += torch_rows(args.threads)
    samples = {label: [] for label, _ in timed}
    for call in (c for _, c in timed):  # one untimed warm-up call each
        call()
    for _ in range(args.rounds):
        for label, call in timed:
            for _ in range(args.iterations):
                t0 = time.perf_counter()
                call()
                samples[label].append(time.perf_counter() - t0)

    first = median_ms(samples[timed[0][0]])
    print(f"model {args.model}, {args.threads} threads, {args.rounds} rounds x {args.iterations} calls, "
          f"same output bytes on every CVM row ({len(reference)} bytes)")
    print(f"{'row':32} {'median ms':>10} {'vs first':>9}")
    for label, _ in timed:
        m = median_ms(samples[label])
        print(f"{label:32} {m:10.2f} {first / m:8.2f}x")
    for r in rows:
        r.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
