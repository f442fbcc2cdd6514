#!/usr/bin/python3
"""End-to-end tests of the `cvm` command-line tool (standard library only).

    cvm_tool_test.py CVM_BINARY CASE

Every expected value below is derived by hand from the spec (spec/model/*.rst)
or computed here from first principles (hashlib over hand-written bytes); none
is produced by the tool itself. The models are the hand-written symbols in
data/ (see data/README); params files and .npy inputs are written byte by byte
into a fresh temporary directory.
"""

import ast
import hashlib
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))

CVM = None
TMP = None


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


# --- running the tool ----------------------------------------------------------

def cvm(*args, expect=None, env=None):
    """Runs cvm; checks the exit code when `expect` is given. `env`: variables
    to set (a value None removes the variable)."""
    full_env = dict(os.environ)
    for k, v in (env or {}).items():
        if v is None:
            full_env.pop(k, None)
        else:
            full_env[k] = v
    p = subprocess.run([CVM, *[str(a) for a in args]], capture_output=True, text=True, timeout=120,
                       env=full_env)
    shown = "$ %scvm %s\n[exit %d]\n--- stdout\n%s--- stderr\n%s" % (
        "".join("%s=%s " % kv for kv in (env or {}).items()),
        " ".join(str(a) for a in args), p.returncode, p.stdout, p.stderr)
    print(shown)
    if expect is not None:
        check(p.returncode == expect, "exit code %d, expected %d" % (p.returncode, expect))
    return p


# --- hand-written files ----------------------------------------------------------

PARAMS_LIST_MAGIC = 0xF7E58D4F05049CB7
PARAMS_ARRAY_MAGIC = 0xDD5E40F096B4A13F


def params_bytes(arrays):
    """spec/model/params.rst: arrays = [(name, bits, shape, values)]."""
    out = struct.pack("<QQQ", PARAMS_LIST_MAGIC, 0, len(arrays))
    for name, _, _, _ in arrays:
        out += struct.pack("<Q", len(name)) + name.encode()
    out += struct.pack("<Q", len(arrays))
    for _, bits, shape, values in arrays:
        out += struct.pack("<QQiii", PARAMS_ARRAY_MAGIC, 0, 1, 0, len(shape))
        out += struct.pack("<BBH", 0, bits, 1)
        out += b"".join(struct.pack("<q", d) for d in shape)
        data = b"".join(struct.pack("<b" if bits == 8 else "<i", v) for v in values)
        out += struct.pack("<q", len(data)) + data
    return out


EMPTY_PARAMS = params_bytes([])
assert len(EMPTY_PARAMS) == 32  # the 32-byte empty list


def npy_bytes(descr, shape, payload):
    """A version 1.0 .npy file: magic, version, header length, header, data."""
    shape_text = "(%s)" % ("".join("%d," % d for d in shape) if len(shape) == 1
                           else ", ".join(str(d) for d in shape))
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    total = 10 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + payload


def npy_int8(shape, values):
    return npy_bytes("|i1", shape, b"".join(struct.pack("<b", v) for v in values))


def npy_int32(shape, values):
    return npy_bytes("<i4", shape, b"".join(struct.pack("<i", v) for v in values))


def read_npy(path):
    """Parses an int8/int32 .npy written by cvm: returns (dtype, shape, values)."""
    with open(path, "rb") as f:
        b = f.read()
    check(b[:6] == b"\x93NUMPY", "%s: bad magic" % path)
    major = b[6]
    if major == 1:
        (hlen,) = struct.unpack_from("<H", b, 8)
        start = 10
    else:
        (hlen,) = struct.unpack_from("<I", b, 8)
        start = 12
    header = ast.literal_eval(b[start:start + hlen].decode("latin1"))
    check(header["fortran_order"] is False, "fortran order")
    shape = tuple(header["shape"])
    data = b[start + hlen:]
    n = 1
    for d in shape:
        n *= d
    descr = header["descr"]
    if descr in ("|i1", "<i1", "i1"):
        check(len(data) == n, "%s: %d data bytes for %d int8 values" % (path, len(data), n))
        return "int8", shape, list(struct.unpack("<%db" % n, data))
    check(descr == "<i4", "%s: unexpected descr %r" % (path, descr))
    check(len(data) == 4 * n, "%s: %d data bytes for %d int32 values" % (path, len(data), n))
    return "int32", shape, list(struct.unpack("<%di" % n, data))


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return path


def model_dir(name, params=EMPTY_PARAMS, symbol=None):
    """A MODEL directory in TMP: the symbol of data/<name> (or `symbol`) and params."""
    d = os.path.join(TMP, "models", name)
    os.makedirs(d, exist_ok=True)
    if symbol is None:
        shutil.copyfile(os.path.join(DATA, name.split(".")[0], "symbol"), os.path.join(d, "symbol"))
    else:
        write(os.path.join(d, "symbol"), symbol)
    write(os.path.join(d, "params"), params)
    return d


def relu_model():
    return model_dir("relu")


W_VALUES = [1, -1, 100, -100]


def add_model():
    return model_dir("add", params_bytes([("w", 8, [4], W_VALUES)]))


def argmax_model():
    return model_dir("argmax")


def le_int32(values):
    return b"".join(struct.pack("<i", v) for v in values)


def sha(b):
    return hashlib.sha256(b).hexdigest()


# --- the cases ------------------------------------------------------------------

SUBCOMMANDS = ["run", "info", "gas", "check", "trace", "diff", "op", "ops", "prove", "bench"]


def test_help():
    p = cvm("--help", expect=0)
    for s in SUBCOMMANDS:
        check(s in p.stdout, "top-level help does not list %s" % s)
    for s in SUBCOMMANDS:
        p = cvm(s, "--help", expect=0)
        check(s in p.stdout.lower(), "help of %s does not name it" % s)
    p = cvm("trace", "--help", expect=0)
    check("little-endian" in p.stdout, "trace --help does not say what is hashed")


def test_usage():
    p = cvm(expect=2)
    check("run" in p.stdout + p.stderr and "diff" in p.stdout + p.stderr,
          "cvm without a subcommand does not print the help")
    cvm("no-such-command", expect=2)
    cvm("run", expect=2)  # MODEL, --input, --output missing
    cvm("run", relu_model(), "--input", "x.npy", expect=2)  # --output missing
    cvm("gas", expect=2)  # neither MODEL nor --symbol
    cvm("diff", "only-one", expect=2)
    # A MODEL that is one regular file is not a model (except for gas).
    x = write(os.path.join(TMP, "x.npy"), npy_int8([4], [0, 0, 0, 0]))
    p = cvm("run", os.path.join(relu_model(), "symbol"), "--input", x, "--output",
            os.path.join(TMP, "y.npy"), expect=2)
    check("usage error" in p.stderr, "no usage error message")
    p = cvm("run", os.path.join(TMP, "no-such-dir"), "--input", x, "--output",
            os.path.join(TMP, "y.npy"), expect=2)
    check("runtime error: io" in p.stderr, "missing MODEL is not an io error")


def test_run_int8():
    # relu, input precision 8, int8 bytes 0x80 (-128) saturate to -127 (inference.rst).
    x = write(os.path.join(TMP, "x.npy"), npy_int8([4], [-128, -1, 0, 127]))
    y = os.path.join(TMP, "y.npy")
    p = cvm("run", relu_model(), "--input", x, "--output", y, expect=0)
    check(read_npy(y) == ("int8", (4,), [0, 0, 0, 127]), "wrong output %r" % (read_npy(y),))
    check("gas: 44" in p.stdout, "summary lacks the gas")
    check("[0, 0, 0, 127]" in p.stdout, "summary lacks the values")
    # int32 input to an int8 model: saturated too.
    x32 = write(os.path.join(TMP, "x32.npy"), npy_int32([4], [-100000, 5, -3, 300]))
    cvm("run", relu_model(), "-i", x32, "-o", y, expect=0)
    check(read_npy(y) == ("int8", (4,), [0, 5, 0, 127]), "wrong output %r" % (read_npy(y),))


def test_run_int32():
    # data p8 + w p8 -> elemwise_add, precision 9: output width 4 (int32).
    # Input saturated to [-127, 5, 127, 0]; plus w = [1, -1, 100, -100].
    d = add_model()
    x = write(os.path.join(TMP, "x.npy"), npy_int32([4], [-1000, 5, 300, 0]))
    y = os.path.join(TMP, "y.npy")
    heads = os.path.join(TMP, "heads")
    expected = [-126, 4, 227, -100]
    # MODEL as the two paths SYMBOL PARAMS.
    p = cvm("run", os.path.join(d, "symbol"), os.path.join(d, "params"), "--input", x,
            "--output", y, "--heads", heads, expect=0)
    check(read_npy(y) == ("int32", (4,), expected), "wrong output %r" % (read_npy(y),))
    h = read_npy(os.path.join(heads, "head0.npy"))
    check(h == ("int32", (4,), expected), "wrong head %r" % (h,))
    check("gas: 64" in p.stdout, "summary lacks the gas")
    check(not os.path.exists(os.path.join(heads, "head1.npy")), "one head only")


def test_run_argmax():
    # (2, 3) p8 -> relu -> argmax: rows [0, 3, 3] and [7, 0, 9]: first maxima 1 and 2.
    x = write(os.path.join(TMP, "x.npy"), npy_int32([2, 3], [-5, 3, 3, 7, -2, 9]))
    y = os.path.join(TMP, "y.npy")
    heads = os.path.join(TMP, "heads")
    cvm("run", argmax_model(), "--input", x, "--output", y, "--heads", heads, expect=0)
    check(read_npy(y) == ("int32", (2,), [1, 2]), "wrong output %r" % (read_npy(y),))
    h = read_npy(os.path.join(heads, "head0.npy"))
    check(h == ("int8", (2, 3), [0, 3, 3, 7, 0, 9]), "wrong head %r" % (h,))


# Every integer element type cvm reads (spec/model/npy.rst, npy_c6), as
# struct format characters; '<'/'>' give the byte order.
INT_TYPES = [("|i1", "b"), ("<i1", "b"), ("|u1", "B"), ("<i2", "<h"), (">i2", ">h"), ("<u2", "<H"),
             (">u2", ">H"), ("<i4", "<i"), (">i4", ">i"), ("<u4", "<I"), (">u4", ">I"),
             ("<i8", "<q"), (">i8", ">q"), ("<u8", "<Q"), (">u8", ">Q")]


def npy_typed(descr, fmt, shape, values):
    return npy_bytes(descr, shape, b"".join(struct.pack(fmt, v) for v in values))


def clip(v, r):
    return max(-r, min(r, v))


def test_run_dtypes():
    # The add model (data p8 + w): every integer type and byte order gives the
    # same output as the int32 file of the same values, and that output is the
    # spec's: the input saturated to [-127, 127] (inference.rst), plus w.
    d = add_model()
    y32 = os.path.join(TMP, "y32.npy")
    for descr, fmt in INT_TYPES:
        lo = -(1 << (8 * struct.calcsize(fmt) - 1)) if fmt.lower() == fmt else 0
        hi = (1 << (8 * struct.calcsize(fmt) - (1 if fmt.lower() == fmt else 0))) - 1
        # Extremes of the type where they fit int32, and values that saturate.
        values = [max(lo, -2 ** 31), min(hi, 2 ** 31 - 1), 5 if lo == 0 else -5, min(hi, 300)]
        expected = [clip(v, 127) + w for v, w in zip(values, W_VALUES)]
        x32 = write(os.path.join(TMP, "x32.npy"), npy_int32([4], values))
        cvm("run", d, "-i", x32, "-o", y32, expect=0)
        check(read_npy(y32) == ("int32", (4,), expected), "int32 %r: %r" % (values, read_npy(y32)))
        x = write(os.path.join(TMP, "x.npy"), npy_typed(descr, fmt, [4], values))
        y = os.path.join(TMP, "y.npy")
        cvm("run", d, "-i", x, "-o", y, expect=0)
        check(read_npy(y) == read_npy(y32), "%s %r: %r != int32's %r" % (descr, values, read_npy(y),
                                                                         read_npy(y32)))
    # bool: 0 and 1.
    x = write(os.path.join(TMP, "b.npy"), npy_bytes("|b1", [4], b"\x01\x00\x01\x00"))
    y = os.path.join(TMP, "y.npy")
    cvm("run", d, "-i", x, "-o", y, expect=0)
    check(read_npy(y) == ("int32", (4,), [2, -1, 101, -100]), "bool: %r" % (read_npy(y),))
    # The 2-D argmax model from a big-endian int16 file.
    x = write(os.path.join(TMP, "a.npy"), npy_typed(">i2", ">h", [2, 3], [-5, 3, 3, 7, -2, 9]))
    cvm("run", argmax_model(), "-i", x, "-o", y, expect=0)
    check(read_npy(y) == ("int32", (2,), [1, 2]), "argmax from >i2: %r" % (read_npy(y),))
    # The default backend is fast; --backend reference gives the same bits.
    p = cvm("run", d, "-i", x32, "-o", y, expect=0)
    check(p.stdout.startswith("backend: fast\n"), "default backend: %r" % p.stdout)
    yr = os.path.join(TMP, "yr.npy")
    p = cvm("run", d, "-i", x32, "-o", yr, "--backend", "reference", expect=0)
    check(p.stdout.startswith("backend: reference\n"), "reference backend: %r" % p.stdout)
    with open(y, "rb") as f1, open(yr, "rb") as f2:
        check(f1.read() == f2.read(), "fast and reference outputs differ")


def test_run_out_of_range():
    d = add_model()
    y = os.path.join(TMP, "y.npy")
    # npy_bytes pads the header so that the data starts at file offset 128.
    cases = [
        ("<i8", "<q", [0, 1, 2 ** 31, 3], "element 2 (index (2,), file offset 144) is 2147483648 "
                                          "(int64 little-endian), outside the int32 range"),
        (">i8", ">q", [-2 ** 31 - 1, 0, 0, 0], "element 0 (index (0,), file offset 128) is -2147483649"),
        ("<u4", "<I", [0, 0, 0, 2 ** 32 - 1], "element 3 (index (3,), file offset 140) is 4294967295 "
                                              "(uint32 little-endian)"),
        (">u8", ">Q", [0, 2 ** 64 - 1, 0, 0], "element 1 (index (1,), file offset 136) is "
                                              "18446744073709551615"),
    ]
    for descr, fmt, values, fragment in cases:
        x = write(os.path.join(TMP, "x.npy"), npy_typed(descr, fmt, [4], values))
        p = cvm("run", d, "-i", x, "-o", y, expect=1)
        check(p.stderr.startswith("logic error: npy_c14: " + x + ": "), "%s: %r" % (descr, p.stderr))
        check(fragment in p.stderr, "%s: message lacks %r: %r" % (descr, fragment, p.stderr))
        check(not os.path.exists(y), "an output was written")
    # A bool byte that is not 0 or 1.
    x = write(os.path.join(TMP, "b.npy"), npy_bytes("|b1", [4], b"\x00\x01\x02\x00"))
    p = cvm("run", d, "-i", x, "-o", y, expect=1)
    check(p.stderr.startswith("logic error: npy_c14: ") and "element 2" in p.stderr, p.stderr)
    # Native byte order is not portable: rejected (npy_c6).
    x = write(os.path.join(TMP, "n.npy"), npy_typed("=i4", "<i", [4], [1, 2, 3, 4]))
    p = cvm("run", d, "-i", x, "-o", y, expect=1)
    check(p.stderr.startswith("logic error: npy_c6: "), "native order: %r" % p.stderr)


def relu_1x4_model():
    """relu with data of shape (1, 4): a batch may drop the leading 1."""
    with open(os.path.join(DATA, "relu", "symbol")) as f:
        symbol = f.read().replace("[[4], [4]]", "[[1, 4], [1, 4]]")
    return model_dir("relu.1x4", symbol=symbol)


def test_run_batch():
    d = add_model()
    samples = [[-1000, 5, 300, 0], [1, 2, 3, 4], [127, -127, 0, -5]]
    expected = [[clip(v, 127) + w for v, w in zip(s, W_VALUES)] for s in samples]
    x = write(os.path.join(TMP, "x.npy"), npy_typed(">i4", ">i", [3, 4], sum(samples, [])))
    out = os.path.join(TMP, "out")
    heads = os.path.join(TMP, "heads")
    p = cvm("run", d, "--batch", "-i", x, "-o", out, "--heads", heads, expect=0)
    check(sorted(os.listdir(out)) == ["sample0.npy", "sample1.npy", "sample2.npy"],
          "files: %r" % os.listdir(out))
    for k, e in enumerate(expected):
        got = read_npy(os.path.join(out, "sample%d.npy" % k))
        check(got == ("int32", (4,), e), "sample %d: %r, expected %r" % (k, got, e))
        check("sample%d: [%s]" % (k, ", ".join(str(v) for v in e)) in p.stdout,
              "stdout lacks sample %d: %r" % (k, p.stdout))
        h = read_npy(os.path.join(heads, "sample%d" % k, "head0.npy"))
        check(h == ("int32", (4,), e), "head of sample %d: %r" % (k, h))
        # The same as running the sample alone.
        xs = write(os.path.join(TMP, "xs.npy"), npy_int32([4], samples[k]))
        ys = os.path.join(TMP, "ys.npy")
        cvm("run", d, "-i", xs, "-o", ys, expect=0)
        check(read_npy(ys) == got, "sample %d differs from its own run" % k)
    check("samples: 3" in p.stdout, "no sample count: %r" % p.stdout)
    check("cvm run:" not in p.stdout, "progress on stdout")
    # A model input (1, 4): the batch is (N, 4) or (N, 1, 4).
    m = relu_1x4_model()
    for shape in ([2, 4], [2, 1, 4]):
        x = write(os.path.join(TMP, "x2.npy"), npy_int8(shape, [-1, 2, -3, 4, 5, -6, 7, -128]))
        out2 = os.path.join(TMP, "out2")
        cvm("run", m, "--batch", "-i", x, "-o", out2, expect=0)
        check(read_npy(os.path.join(out2, "sample0.npy")) == ("int8", (1, 4), [0, 2, 0, 4]), "1x4 0")
        check(read_npy(os.path.join(out2, "sample1.npy")) == ("int8", (1, 4), [5, 0, 7, 0]), "1x4 1")
    # A shape that is no batch of the input: infer_c1, nothing written.
    x = write(os.path.join(TMP, "x3.npy"), npy_int8([2, 5], [0] * 10))
    out3 = os.path.join(TMP, "out3")
    p = cvm("run", d, "--batch", "-i", x, "-o", out3, expect=1)
    check(p.stderr.startswith("logic error: infer_c1: ") and "(N, 4)" in p.stderr, p.stderr)
    check(not os.path.exists(out3), "an output directory was made")
    p = cvm("run", m, "--batch", "-i", x, "-o", out3, expect=1)
    check("(N, 1, 4) or (N, 4)" in p.stderr, "both batch shapes named: %r" % p.stderr)
    # --output must be a directory: a file in the way is an I/O error.
    x = write(os.path.join(TMP, "x5.npy"), npy_int8([2, 4], [0] * 8))
    p = cvm("run", d, "--batch", "-i", x, "-o", x, expect=2)
    check(p.stderr.startswith("runtime error: io: ") and "directory" in p.stderr, p.stderr)
    # An out-of-range value in sample 1 names its index in the file.
    x = write(os.path.join(TMP, "x4.npy"), npy_typed("<i8", "<q", [2, 4], [0] * 5 + [2 ** 40, 0, 0]))
    p = cvm("run", d, "--batch", "-i", x, "-o", out3, expect=1)
    check("npy_c14" in p.stderr and "element 5 (index (1, 1)" in p.stderr, p.stderr)


def test_run_progress():
    # Progress goes to stderr, only once a run takes more than a second, and
    # never to stdout. The fashion-MNIST ResNet on the reference backend, 128
    # samples; whether it takes a second depends on the machine, so the test
    # measures (and allows for the time before the runs start).
    import time
    model = os.path.join(ROOT, "examples", "fashion_mnist", "resnet")
    with open(os.path.join(model, "input.npy"), "rb") as f:
        one = f.read()
    _, shape, values = read_npy(os.path.join(model, "input.npy"))
    n = 128
    x = write(os.path.join(TMP, "x.npy"), npy_int8([n] + list(shape), values * n))
    out = os.path.join(TMP, "out")
    start = time.monotonic()
    p = cvm("run", model, "--batch", "--backend", "reference", "-i", x, "-o", out, expect=0)
    took = time.monotonic() - start
    check("cvm run:" not in p.stdout, "progress on stdout")
    check(len(os.listdir(out)) == n, "one output per sample")
    if took > 2.0:
        check("cvm run: " in p.stderr and "/128 samples" in p.stderr, "no progress: %r" % p.stderr)
        check("cvm run: done: 128/128 samples" in p.stderr, "no closing line: %r" % p.stderr)
    p = cvm("run", model, "--batch", "-q", "--backend", "reference", "-i", x, "-o", out, expect=0)
    check(p.stderr == "", "--quiet prints progress: %r" % p.stderr)
    check(one.startswith(b"\x93NUMPY"), "input.npy")


def test_gas():
    d = relu_model()
    check(cvm("gas", d, expect=0).stdout == "44\n", "relu gas")
    check(cvm("gas", os.path.join(d, "symbol"), os.path.join(d, "params"), expect=0).stdout == "44\n",
          "relu gas, two paths")
    check(cvm("gas", "--symbol", os.path.join(DATA, "relu", "symbol"), expect=0).stdout == "44\n",
          "relu gas from the symbol alone")
    check(cvm("gas", os.path.join(DATA, "relu", "symbol"), expect=0).stdout == "44\n",
          "relu gas, MODEL a symbol file")
    check(cvm("gas", add_model(), expect=0).stdout == "64\n", "add gas")
    check(cvm("gas", "--symbol", os.path.join(DATA, "add", "symbol"), expect=0).stdout == "64\n",
          "add gas from the symbol alone (no params needed)")
    check(cvm("gas", argmax_model(), expect=0).stdout == "66\n", "argmax gas")


def test_check():
    p = cvm("check", relu_model(), expect=0)
    check(p.stdout == "ok\n", "check does not print ok")
    cvm("check", add_model(), expect=0)
    with open(os.path.join(DATA, "relu", "symbol")) as f:
        symbol = f.read()
    # A truncated symbol is not JSON: graph_c1, a runtime error as upstream's reader gives.
    p = cvm("check", model_dir("relu.truncated", symbol=symbol[:40]), expect=2)
    check(p.stdout.startswith("runtime error: graph_c1: "), "truncated symbol: %r" % p.stdout)
    # An unknown operator: op_c0, a runtime error as upstream reports it.
    p = cvm("check", model_dir("relu.badop", symbol=symbol.replace('"relu"', '"relux"')), expect=2)
    check(p.stdout.startswith("runtime error: op_c0: "), "unknown op: %r" % p.stdout)
    # The add model without its parameter w: model_c3.
    p = cvm("check", model_dir("add.noparams"), expect=1)
    check(p.stdout.startswith("logic error: model_c3: "), "missing param: %r" % p.stdout)
    # A params array for no variable: model_c2, a runtime error as upstream's fatal log.
    p = cvm("check", model_dir("relu.extra", params_bytes([("v", 32, [1], [0])])), expect=2)
    check(p.stdout.startswith("runtime error: model_c2: "), "extra param: %r" % p.stdout)
    # w out of its precision (model_c5): 200 needs more than 8 bits.
    p = cvm("check", model_dir("add.range", params_bytes([("w", 32, [4], [1, 2, 200, 3])])), expect=1)
    check(p.stdout.startswith("logic error: model_c5: "), "param range: %r" % p.stdout)
    # The memory cap is the machine's: model_c6 is a runtime error.
    p = cvm("check", relu_model(), "--memory-cap", "8", expect=2)
    check(p.stdout.startswith("runtime error: model_c6: "), "memory cap: %r" % p.stdout)
    # A missing params file is an I/O (runtime) error.
    d = model_dir("relu.noparamsfile")
    os.remove(os.path.join(d, "params"))
    p = cvm("check", d, expect=2)
    check(p.stdout.startswith("runtime error: io"), "missing file: %r" % p.stdout)
    # The symbol alone.
    cvm("check", "--symbol", os.path.join(DATA, "add", "symbol"), expect=0)


def test_info():
    p = cvm("info", relu_model(), "--json", expect=0)
    j = json.loads(p.stdout)
    check(j["version"] == "cvm_1.0.0", "version")
    check(j["node_count"] == 2 and len(j["nodes"]) == 2, "node count")
    check(j["nodes"][0]["op"] == "variable" and j["nodes"][0]["name"] == "data", "node 0")
    n1 = j["nodes"][1]
    check(n1["op"] == "relu" and n1["name"] == "r" and n1["gas_weight"] == 1, "node 1")
    check(n1["inputs"] == [{"entry": 0, "node": 0, "index": 0}], "node 1 inputs")
    check(n1["outputs"][0]["shape"] == [4] and n1["outputs"][0]["precision"] == 8, "node 1 output")
    check(j["input"]["shape"] == [4] and j["input"]["precision"] == 8, "input type")
    check(j["input"]["width"] == 1 and j["input"]["length"] == 4, "input width/length")
    check(j["output"]["width"] == 1 and j["output"]["length"] == 4, "output width/length")
    check(len(j["heads"]) == 1 and j["heads"][0]["node"] == 1, "heads")
    check(j["gas"] == 44 and j["storage_size"] == 32, "gas / storage size")
    # Memory plan (load.rst): params 0 + input 4 + one slot of 4 + outputs 4 elements, 4 bytes each.
    check(j["planned_memory_bytes"] == 48, "planned memory %r" % j["planned_memory_bytes"])
    j = json.loads(cvm("info", add_model(), "--json", expect=0).stdout)
    check(j["output"]["width"] == 4 and j["output"]["length"] == 16, "add output width/length")
    check(j["nodes"][2]["outputs"][0]["precision"] == 9, "add output precision")
    check(j["heads"][0]["precision"] == 9, "add head precision")
    j = json.loads(cvm("info", argmax_model(), "--json", expect=0).stdout)
    check(j["postprocess"] == "argmax" and j["output"]["width"] == 4, "argmax output width")
    check(j["output"]["length"] == 8, "argmax output length (2 rows, 4 bytes each)")
    p = cvm("info", relu_model(), expect=0)
    check("gas: 44" in p.stdout and "relu" in p.stdout, "text info")


def test_trace_diff():
    d = relu_model()
    x = write(os.path.join(TMP, "x.npy"), npy_int8([4], [-128, -1, 0, 127]))
    t1, t2 = os.path.join(TMP, "t1.json"), os.path.join(TMP, "t2.json")
    # The default backend is fast; CVM_THREADS fixes its thread count.
    threads = {"CVM_THREADS": "3"}
    cvm("trace", d, "--input", x, "--output", t1, expect=0, env=threads)
    cvm("trace", d, "--input", x, "--output", t2, "--backend", "fast", expect=0, env=threads)
    with open(t1, "rb") as f:
        b1 = f.read()
    with open(t2, "rb") as f:
        b2 = f.read()
    check(b1 == b2, "two traces of the same run differ")
    p = cvm("trace", d, "--input", x, expect=0, env=threads)
    check(p.stdout.encode() == b1, "trace on stdout differs from the file")
    t = json.loads(b1)
    check(t["format"] == "cvm-trace-1" and t["backend"] == "fast", "format/backend (default fast)")
    # Provenance: the build (as cvm --version says), the ISA level, the threads.
    version = cvm("--version", expect=0).stdout
    check(t["cvm_version"] == project_version() and "cvm %s\n" % t["cvm_version"] in version,
          "trace version %r" % t["cvm_version"])
    check("commit: %s\n" % t["cvm_commit"] in version, "trace commit %r" % t["cvm_commit"])
    check("isa level: %s " % t["isa_level"] in version, "trace ISA level %r" % t["isa_level"])
    check(t["threads"] == 3, "trace threads %r (CVM_THREADS=3)" % t["threads"])
    with open(os.path.join(d, "symbol"), "rb") as f:
        check(t["symbol_sha256"] == sha(f.read()), "symbol hash")
    check(t["params_sha256"] == sha(EMPTY_PARAMS), "params hash")
    check(t["input_sha256"] == sha(le_int32([-127, -1, 0, 127])), "input hash (saturated, int32 LE)")
    check(len(t["nodes"]) == 1, "one operator node")
    n = t["nodes"][0]
    check(n["node"] == 1 and n["name"] == "r" and n["op"] == "relu", "node identity")
    check(n["outputs"] == [{"shape": [4], "precision": 8, "sha256": sha(le_int32([0, 0, 0, 127]))}],
          "node output record")
    check(t["output_sha256"] == sha(bytes([0, 0, 0, 127])), "output hash (encoded, int8)")
    p = cvm("diff", t1, t2, expect=0)
    check("traces agree (1 nodes)" in p.stdout, "diff does not say the traces agree")
    check("note:" not in p.stdout, "a note on identical provenance")
    # The reference on the same input: the same hashes; diff notes the other
    # backend and thread count, and still says the traces agree (exit 0).
    t3 = os.path.join(TMP, "t3.json")
    cvm("trace", d, "--input", x, "--output", t3, "--backend", "reference", expect=0, env=threads)
    r = json.load(open(t3))
    check(r["backend"] == "reference" and r["threads"] == 1, "reference provenance %r" % r)
    check(r["nodes"] == t["nodes"] and r["output_sha256"] == t["output_sha256"], "reference != fast")
    p = cvm("diff", t1, t3, expect=0)
    check("note: different backends: A fast, B reference" in p.stdout, "no backend note")
    check("note: different thread counts: A 3, B 1" in p.stdout, "no thread-count note")
    check("traces agree (1 nodes)" in p.stdout, "the notes changed the verdict")
    # Another build and ISA level (edited): noted, not a difference.
    other = dict(t, cvm_commit="0000000", isa_level="portable")
    t4 = write(os.path.join(TMP, "t4.json"), json.dumps(other))
    p = cvm("diff", t1, t4, expect=0)
    check("note: different builds: A cvm %s (commit %s), B cvm %s (commit 0000000)"
          % (t["cvm_version"], t["cvm_commit"], t["cvm_version"]) in p.stdout, "no build note")
    check("note: different ISA levels: A %s, B portable" % t["isa_level"] in p.stdout
          or t["isa_level"] == "portable", "no ISA note")
    # An older trace, without the provenance keys, still loads.
    old = {k: v for k, v in r.items() if k not in ("cvm_version", "cvm_commit", "isa_level", "threads")}
    t5 = write(os.path.join(TMP, "t5.json"), json.dumps(old))
    p = cvm("diff", t5, t3, expect=0)
    check("note: trace A does not record its build" in p.stdout, "no note on the older trace")
    cvm("diff", t5, t5, expect=0)


def test_diff_edited():
    d = add_model()
    x = write(os.path.join(TMP, "x.npy"), npy_int32([4], [-1000, 5, 300, 0]))
    t1 = os.path.join(TMP, "t1.json")
    cvm("trace", d, "--input", x, "--output", t1, expect=0)
    t = json.load(open(t1))
    check(t["nodes"][0]["outputs"][0]["sha256"] == sha(le_int32([-126, 4, 227, -100])),
          "add node hash")
    # One node hash changed by hand.
    edited = json.loads(json.dumps(t))
    h = edited["nodes"][0]["outputs"][0]["sha256"]
    edited["nodes"][0]["outputs"][0]["sha256"] = ("0" if h[0] != "0" else "1") + h[1:]
    t2 = write(os.path.join(TMP, "t2.json"), json.dumps(edited))
    p = cvm("diff", t1, t2, expect=1)
    check("node 2 'add' (elemwise_add), output 0" in p.stdout, "diff does not name the node")
    check(h in p.stdout and edited["nodes"][0]["outputs"][0]["sha256"] in p.stdout,
          "diff does not show both hashes")
    check("same model and input" in p.stdout, "models and inputs agree")
    # A node present in one trace only.
    dropped = json.loads(json.dumps(t))
    dropped["nodes"] = []
    t3 = write(os.path.join(TMP, "t3.json"), json.dumps(dropped))
    p = cvm("diff", t1, t3, expect=1)
    check("node 2 'add' (elemwise_add) is in trace A only" in p.stdout, "one-sided node")
    # Another input: the inputs differ, said first, then the node.
    x2 = write(os.path.join(TMP, "x2.npy"), npy_int32([4], [0, 0, 0, 0]))
    t4 = os.path.join(TMP, "t4.json")
    cvm("trace", d, "--input", x2, "--output", t4, expect=0)
    p = cvm("diff", t1, t4, expect=1)
    check("the inputs differ" in p.stdout and "node 2 'add'" in p.stdout, "different inputs")
    check(p.stdout.index("the inputs differ") < p.stdout.index("node 2 'add'"), "inputs said first")
    # Inputs that saturate to the same values hash alike: 1000 -> 127 like 300.
    x3 = write(os.path.join(TMP, "x3.npy"), npy_int8([4], [-127, 5, 127, 0]))
    t5 = os.path.join(TMP, "t5.json")
    cvm("trace", d, "--input", x3, "--output", t5, expect=0)
    cvm("diff", t1, t5, expect=0)
    # Another model (params changed): said first.
    d2 = model_dir("add.other", params_bytes([("w", 8, [4], [1, -1, 100, -99])]))
    t6 = os.path.join(TMP, "t6.json")
    cvm("trace", d2, "--input", x, "--output", t6, expect=0)
    p = cvm("diff", t1, t6, expect=1)
    check("the models differ: params" in p.stdout, "different params")


def test_diff_malformed():
    d = relu_model()
    x = write(os.path.join(TMP, "x.npy"), npy_int8([4], [1, 2, 3, 4]))
    good = os.path.join(TMP, "good.json")
    cvm("trace", d, "--input", x, "--output", good, expect=0)
    t = json.load(open(good))
    bad = write(os.path.join(TMP, "bad.json"), "{not json")
    p = cvm("diff", good, bad, expect=2)
    check("malformed trace" in p.stderr, "no clear message for non-JSON")
    wrong = dict(t, format="cvm-trace-0")
    p = cvm("diff", write(os.path.join(TMP, "fmt.json"), json.dumps(wrong)), good, expect=2)
    check("format" in p.stderr, "wrong format not named")
    nohash = json.loads(json.dumps(t))
    del nohash["nodes"][0]["outputs"][0]["sha256"]
    p = cvm("diff", good, write(os.path.join(TMP, "nohash.json"), json.dumps(nohash)), expect=2)
    check("sha256" in p.stderr, "missing hash not named")
    p = cvm("diff", good, os.path.join(TMP, "no-such.json"), expect=2)
    check("runtime error: io: cannot read trace B: " in p.stderr and "no such file" in p.stderr
          and "malformed" not in p.stderr, "missing trace: %r" % p.stderr)
    p = cvm("diff", TMP, good, expect=2)
    check("runtime error: io: cannot read trace A: " in p.stderr and "is a directory" in p.stderr
          and "malformed" not in p.stderr, "directory as trace: %r" % p.stderr)


def test_bad_npy():
    # float32 .npy: npy_c6 (the descr), a logic error.
    x = write(os.path.join(TMP, "f.npy"),
              npy_bytes("<f4", [4], b"".join(struct.pack("<f", v) for v in [0.0, 1.0, 2.0, 3.0])))
    y = os.path.join(TMP, "y.npy")
    p = cvm("run", relu_model(), "--input", x, "--output", y, expect=1)
    check(p.stderr.startswith("logic error: npy_c6: "), "float32 input: %r" % p.stderr)
    check(not os.path.exists(y), "an output was written")
    # Not a .npy at all: npy_c1.
    x = write(os.path.join(TMP, "junk.npy"), b"hello world")
    p = cvm("trace", relu_model(), "--input", x, expect=1)
    check(p.stderr.startswith("logic error: npy_c1: "), "junk input: %r" % p.stderr)
    # Missing input file: io.
    p = cvm("run", relu_model(), "--input", os.path.join(TMP, "none.npy"), "--output", y, expect=2)
    check(p.stderr.startswith("runtime error: io"), "missing input: %r" % p.stderr)


def test_bad_shape():
    x = write(os.path.join(TMP, "x5.npy"), npy_int8([5], [1, 2, 3, 4, 5]))
    p = cvm("run", relu_model(), "--input", x, "--output", os.path.join(TMP, "y.npy"), expect=1)
    check(p.stderr.startswith("logic error: infer_c1: "), "wrong shape: %r" % p.stderr)
    x = write(os.path.join(TMP, "x22.npy"), npy_int8([2, 2], [1, 2, 3, 4]))
    p = cvm("run", relu_model(), "--input", x, "--output", os.path.join(TMP, "y.npy"), expect=1)
    check(p.stderr.startswith("logic error: infer_c1: "), "wrong rank: %r" % p.stderr)


def test_backend():
    x = write(os.path.join(TMP, "x.npy"), npy_int8([4], [1, 2, 3, 4]))
    p = cvm("run", relu_model(), "--input", x, "--output", os.path.join(TMP, "y.npy"),
            "--backend", "no-such-backend", expect=2)
    check(p.stderr.startswith("runtime error: backend: ") and "reference" in p.stderr,
          "unknown backend message: %r" % p.stderr)
    p = cvm("trace", relu_model(), "--input", x, "--backend", "no-such-backend", expect=2)
    check("reference" in p.stderr, "trace: unknown backend message")
    # cuda: either it runs (built with CUDA, a GPU present) and agrees with the
    # reference, or it is refused with a message that says why.
    ref = cvm("run", relu_model(), "--input", x, "--output", os.path.join(TMP, "r.npy"), expect=0)
    p = cvm("run", relu_model(), "--input", x, "--output", os.path.join(TMP, "c.npy"), "--backend", "cuda")
    if p.returncode == 0:
        check(read_npy(os.path.join(TMP, "c.npy")) == read_npy(os.path.join(TMP, "r.npy")), "cuda != reference")
    else:
        check(p.returncode == 2 and "built without CUDA, or no CUDA device is present" in p.stderr,
              "cuda refusal: %r" % p.stderr)


def test_bench():
    # Times both backends on the bundled CNN and checks their heads agree.
    mnist = os.path.join(ROOT, "examples", "mnist_cnn")
    p = cvm("bench", mnist, "--backends", "reference,fast", "--threads", "2", "-n", "2", expect=0)
    check("reference: median" in p.stdout and "fast: median" in p.stdout, "both backends timed")
    check("heads identical" in p.stdout, "fast heads equal the reference's")
    # Every operator node's outputs compared too (cvm trace's digests): the
    # bundled CNN has 11 operator nodes.
    check("heads identical, all 11 nodes' outputs identical" in p.stdout,
          "node digests not compared: %r" % p.stdout)
    check("GMAC/s" in p.stdout, "multiply-add rate reported")
    # --per-node: one line per operator node (11), in execution order, with
    # its op; GMAC/s only on the conv2d and dense nodes (2 + 1 here).
    p = cvm("bench", mnist, "--backends", "fast", "--threads", "1", "-n", "3", "--per-node", expect=0)
    check("per node (median of 3 observed runs" in p.stdout, "no per-node table: %r" % p.stdout)
    rows = [l.split() for l in p.stdout.splitlines() if l.startswith("    ")]
    check(len(rows) == 11, "expected 11 node rows, got %r" % rows)
    check(rows[0][:2] == ["conv2d_0", "conv2d"], "first row is not conv2d_0: %r" % rows[0])
    gemm = [r[1] for r in rows if r[-1] == "GMAC/s"]
    check(sorted(set(gemm)) == ["conv2d", "dense"] and len(gemm) == 3, "GMAC/s rows: %r" % gemm)
    p = cvm("bench", mnist, "--backends", "reference,no-such-backend", "-n", "1", expect=2)
    check("no-such-backend" in p.stderr or "backend" in p.stderr, "unknown backend named")
    cvm("bench", mnist, "--threads", "0", expect=2)
    # The build, ISA level and each backend's threads are printed.
    p = cvm("bench", mnist, "--backends", "reference,fast", "--threads", "2", "-n", "1", expect=0)
    check(p.stdout.startswith("cvm %s (commit " % project_version()) and "isa level " in p.stdout,
          "no build line: %r" % p.stdout)
    check("runs on 1 thread " in p.stdout and "runs on 2 threads " in p.stdout, "no thread counts")
    # CVM_THREADS: its count when valid, an error when not, unread with --threads.
    p = cvm("bench", mnist, "--backends", "fast", "-n", "1", expect=0, env={"CVM_THREADS": "3"})
    check("runs on 3 threads " in p.stdout, "CVM_THREADS=3 not used")
    p = cvm("bench", mnist, "--backends", "fast", "-n", "1", expect=2, env={"CVM_THREADS": "abc"})
    check("CVM_THREADS='abc'" in p.stderr, "bad CVM_THREADS: %r" % p.stderr)
    cvm("bench", mnist, "--backends", "fast", "--threads", "2", "-n", "1", expect=0,
        env={"CVM_THREADS": "abc"})
    # --isa: the fast backend at that level (printed), the reference unchanged; a
    # name that is no level is refused.
    p = cvm("bench", mnist, "--backends", "reference,fast", "--threads", "2", "--isa", "portable",
            "-n", "1", expect=0)
    check("runs on 2 threads at portable " in p.stdout and "heads identical" in p.stdout,
          "--isa portable: %r" % p.stdout)
    p = cvm("bench", mnist, "--backends", "fast", "--isa", "sse9", "-n", "1", expect=2)
    check(p.stderr.startswith("runtime error: isa: --isa sse9:"), "--isa sse9: %r" % p.stderr)


def test_op():
    with open(os.path.join(ROOT, "spec", "ops.json")) as f:
        names = [op["name"] for op in json.load(f)["ops"]]
    p = cvm("ops", expect=0)
    check(p.stdout.split() == names, "cvm ops is not the list of spec/ops.json")
    p = cvm("op", os.path.join(ROOT, "examples", "conv2d.json"), expect=0)
    check("expected outputs: match" in p.stdout, "conv2d example")
    case = {"op": "relu", "inputs": [{"name": "x", "shape": [3], "precision": 8, "data": [-1, 0, 5]}],
            "outputs": [{"name": "y", "shape": [3], "precision": 8, "data": [0, 0, 5]}]}
    cvm("op", write(os.path.join(TMP, "ok.json"), json.dumps(case)), expect=0)
    case["outputs"][0]["data"] = [0, 0, 4]
    p = cvm("op", write(os.path.join(TMP, "bad.json"), json.dumps(case)), expect=3)
    check("MISMATCH" in p.stdout, "mismatch not reported")
    case["inputs"][0]["data"] = [-1, 0, 500]  # out of precision 8: tensor_c4
    p = cvm("op", write(os.path.join(TMP, "range.json"), json.dumps(case)), expect=1)
    check(p.stderr.startswith("logic error: "), "invalid case: %r" % p.stderr)
    cvm("op", os.path.join(TMP, "no-such.json"), expect=2)
    # A model's symbol is JSON but not a case: said so, no JSON-library message.
    p = cvm("op", os.path.join(DATA, "relu", "symbol"), expect=1)
    check(p.stderr.startswith("logic error: case: this is a model's symbol") and
          "json.exception" not in p.stderr and '"inputs"' in p.stderr, "symbol as case: %r" % p.stderr)
    p = cvm("op", write(os.path.join(TMP, "list.json"), "[1, 2]"), expect=1)
    check("an op case is a JSON object" in p.stderr and "not a JSON array" in p.stderr,
          "array as case: %r" % p.stderr)
    p = cvm("op", write(os.path.join(TMP, "attrs.json"), json.dumps(dict(case, attrs={"a": [1]}))),
            expect=1)
    check("json.exception" not in p.stderr and "expected {" in p.stderr, "bad attrs: %r" % p.stderr)


def test_prove():
    # relu and elemwise_add have proved lemmas (proofs/lemmas.json): certified.
    p = cvm("prove", relu_model(), expect=0)
    check("node 1 'r' (relu): inputs p[8] -> p[8], lemmas [\"relu_b1\"]: safe" in p.stdout,
          "relu node line: %r" % p.stdout)
    check(p.stdout.rstrip().endswith("verdict: certified"), "relu verdict: %r" % p.stdout)
    report = os.path.join(TMP, "prove.json")
    cvm("prove", add_model(), "--json", report, expect=0)
    with open(report) as f:
        j = json.load(f)
    check(j["verdict"] == "certified", "json verdict %r" % j["verdict"])
    check(j["nodes"][0]["output_precisions"] == [9], "add: max(8, 8) + 1 = 9, got %r" % j["nodes"][0])
    # Built to overflow: data at precision 32 plus w: 33 bits (op_c3), node 2 named.
    with open(os.path.join(DATA, "add", "symbol")) as f:
        symbol = f.read().replace("[8, 8, -1]", "[32, 8, -1]")
    p = cvm("prove", model_dir("add.overflow", params_bytes([("w", 8, [4], W_VALUES)]), symbol),
            expect=1)
    check("verdict: REJECTED (op_c3)" in p.stdout and "node 2 'add'" in p.stdout,
          "overflow model: %r" % p.stdout)
    check("counterexample" in p.stdout, "no counterexample line: %r" % p.stdout)
    check("a = 2147483647, b = 127 gives |y| = 2147483774 > 2^31-1" in p.stdout,
          "no concrete overflowing input: %r" % p.stdout)
    # dense with K = 2^16 at precisions 8, 8: the rule needs 8 + 8 + 17 = 33 bits (op_c3), yet
    # x = w = 127 everywhere gives 2^16 * 127^2 = 1057030144, which fits: reported as such.
    # (The symbol is rejected before the params are read.)
    dense = symbol.replace('"elemwise_add"', '"dense"').replace(
        '[[4], [4], [4]]', '[[1, 65536], [1, 65536], [1, 1]]').replace(
        '[32, 8, -1]', '[8, 8, -1]').replace(
        '["", "", "{}"]', '["", "", "{\\"units\\": \\"1\\", \\"use_bias\\": \\"false\\"}"]')
    p = cvm("prove", model_dir("dense.overflow", params_bytes([("w", 8, [4], W_VALUES)]), dense),
            expect=1)
    check("verdict: REJECTED (op_c3)" in p.stdout and "node 2 'add'" in p.stdout,
          "dense model: %r" % p.stdout)
    check("no concrete overflow at the extremes" in p.stdout and "|acc| = 1057030144" in p.stdout,
          "dense witness: %r" % p.stdout)
    # The bundled detector is certified; with get_valid_counts' count (1,) as second head, the
    # heads (1, 8, 6) and (1,) cannot be interleaved (infer_c2) on any input: not certified.
    detection = os.path.join(ROOT, "examples", "detection")
    p = cvm("prove", detection, expect=0)
    check(p.stdout.rstrip().endswith("verdict: certified"), "detection verdict: %r" % p.stdout)
    with open(os.path.join(detection, "symbol")) as f:
        j = json.load(f)
    j["heads"][1] = [1, 0, 0]
    with open(os.path.join(detection, "params"), "rb") as f:
        d = model_dir("detection.count_head", f.read(), json.dumps(j))
    report = os.path.join(TMP, "prove.never_runs.json")
    p = cvm("prove", d, "--json", report, expect=1)
    why = "infer_c2: detection outputs cannot be interleaved: output 1 of shape (1,) has 1 rows"
    check("every inference fails: " + why in p.stdout, "no infer_c2 line: %r" % p.stdout)
    check(p.stdout.rstrip().endswith("verdict: not certified"), "count head verdict: %r" % p.stdout)
    with open(report) as f:
        j = json.load(f)
    check(j["verdict"] == "not certified" and j["never_runs"].startswith(why), "json: %r" % j)


def project_version():
    """The project's VERSION in the top-level CMakeLists.txt."""
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        m = re.search(r"project\(cvm VERSION ([0-9.]+)", f.read())
    check(m is not None, "no project version in CMakeLists.txt")
    return m.group(1)


def test_version():
    p = cvm("--version", expect=0)
    lines = p.stdout.splitlines()
    check(lines[0] == "cvm " + project_version(), "version line %r" % lines[0])
    fields = dict(l.split(": ", 1) for l in lines[1:])
    check(set(fields) == {"commit", "compiler", "build type", "backends", "isa level"},
          "fields %r" % sorted(fields))
    check(re.fullmatch(r"[0-9a-f]{4,40}(-dirty)?|unknown", fields["commit"]) is not None,
          "commit %r" % fields["commit"])
    # The commit is the checkout's at build time (when the sources are one).
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True)
    if head.returncode == 0 and fields["commit"] != "unknown":
        check(fields["commit"].split("-")[0] == head.stdout.strip(),
              "commit %r, checkout at %r (rebuild?)" % (fields["commit"], head.stdout.strip()))
    check(fields["compiler"] and fields["build type"], "compiler / build type empty")
    check(fields["backends"].startswith("reference, fast"), "backends %r" % fields["backends"])
    check(fields["isa level"].split()[0] in ISA_LEVELS,
          "isa level %r" % fields["isa level"])
    p = cvm("--help", expect=0)
    check("--version" in p.stdout, "--help does not list --version")


def test_threads():
    # CVM_THREADS must be a thread count from 1 to 256: anything else is an
    # error (not silently the hardware's count) wherever the fast backend runs.
    x = write(os.path.join(TMP, "x.npy"), npy_int8([4], [1, 2, 3, 4]))
    d = relu_model()
    for bad in ("abc", "0", "-2", "257", "99999999999999999999", "4x", " 4"):
        p = cvm("trace", d, "--input", x, expect=2, env={"CVM_THREADS": bad})
        check(p.stderr.startswith("runtime error: threads: CVM_THREADS='%s'" % bad) and
              "from 1 to 256" in p.stderr, "CVM_THREADS=%r: %r" % (bad, p.stderr))
        p = cvm("run", d, "--input", x, "--output", os.path.join(TMP, "y.npy"), "--backend", "fast",
                expect=2, env={"CVM_THREADS": bad})
        check("CVM_THREADS" in p.stderr, "run, CVM_THREADS=%r: %r" % (bad, p.stderr))
    # The reference does not use it.
    cvm("trace", d, "--input", x, "--backend", "reference", expect=0, env={"CVM_THREADS": "abc"})
    # Valid values, and unset or empty (all hardware threads).
    for good, n in (("1", 1), ("256", 256), ("7", 7)):
        t = json.loads(cvm("trace", d, "--input", x, expect=0, env={"CVM_THREADS": good}).stdout)
        check(t["threads"] == n, "CVM_THREADS=%s gives %r threads" % (good, t["threads"]))
    for unset in (None, ""):
        t = json.loads(cvm("trace", d, "--input", x, expect=0, env={"CVM_THREADS": unset}).stdout)
        check(1 <= t["threads"] <= 256, "default threads %r" % t["threads"])


ISA_LEVELS = ["portable", "avx2", "avx_vnni", "avx512_vnni"]  # fast/kernel.h, lowest first


def cpu_isa_levels():
    # The levels this CPU has, from its flags in /proc/cpuinfo (the checks of
    # fast/registry.cc; not every level below the top one: a CPU with
    # AVX-512 VNNI may lack AVX-VNNI).
    flags = set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    have = ["portable"]
    if "avx2" in flags:
        have.append("avx2")
        if "avx_vnni" in flags:
            have.append("avx_vnni")
        if {"avx512f", "avx512bw", "avx512_vnni"} <= flags:
            have.append("avx512_vnni")
    return have


def test_isa():
    # --isa runs a fast backend of its own at that level: every level this CPU has gives the
    # reference's node hashes on a model with conv2d and dense (the GEMM paths
    # differ per level), and the trace records the level it ran at.
    mnist = os.path.join(ROOT, "examples", "mnist_cnn")
    x = os.path.join(mnist, "input.npy")
    ref = json.loads(cvm("trace", mnist, "--input", x, "--backend", "reference", expect=0).stdout)
    top = json.loads(cvm("trace", mnist, "--input", x, expect=0).stdout)["isa_level"]
    have = cpu_isa_levels()
    check(top == have[-1], "default ISA level %r, the CPU has %r" % (top, have))
    for level in have:
        t = json.loads(cvm("trace", mnist, "--input", x, "--isa", level, expect=0).stdout)
        check(t["isa_level"] == level, "--isa %s traced at %r" % (level, t["isa_level"]))
        check(t["nodes"] == ref["nodes"] and t["output_sha256"] == ref["output_sha256"],
              "--isa %s differs from the reference" % level)
        y = os.path.join(TMP, "y_%s.npy" % level)
        cvm("run", mnist, "--input", x, "--output", y, "--isa", level, expect=0)
    # A name that is no level, and the levels the CPU lacks.
    for bad in ["sse9"] + [level for level in ISA_LEVELS if level not in have]:
        p = cvm("trace", mnist, "--input", x, "--isa", bad, expect=2)
        check(p.stderr.startswith("runtime error: isa: --isa %s:" % bad) and top in p.stderr,
              "--isa %s: %r" % (bad, p.stderr))


def test_messages():
    # A directory where the symbol file should be: said, not "not valid JSON".
    d = model_dir("relu.dirsymbol")
    os.remove(os.path.join(d, "symbol"))
    os.makedirs(os.path.join(d, "symbol"))
    p = cvm("check", d, expect=2)
    check(p.stdout.startswith("runtime error: io: ") and "is a directory" in p.stdout and
          "JSON" not in p.stdout, "directory symbol: %r" % p.stdout)
    p = cvm("gas", "--symbol", os.path.join(d, "symbol"), expect=2)
    check("is a directory" in p.stdout + p.stderr, "gas --symbol DIR: %r" % (p.stdout + p.stderr))
    # --memory-cap takes a byte count: a negative or non-numeric one is refused
    # with a short message (no 300-digit bound).
    for bad in ("-5", "abc", "1.5", "99999999999999999999"):
        p = cvm("check", relu_model(), "--memory-cap", bad, expect=2)
        check("--memory-cap" in p.stderr and "'%s' is not a whole number" % bad in p.stderr and
              len(p.stderr) < 300, "--memory-cap %s: %r" % (bad, p.stderr))
    cvm("check", relu_model(), "--memory-cap", "0", expect=2)  # model_c6: nothing fits
    cvm("check", relu_model(), "--memory-cap", "1000", expect=0)
    # A node's error names its label once, then the node (check, trace and prove).
    with open(os.path.join(DATA, "add", "symbol")) as f:
        symbol = f.read().replace("[[4], [4], [4]]", "[[4], [5], [4]]")
    bad = model_dir("add.shape", params_bytes([("w", 8, [5], [1, 2, 3, 4, 5])]), symbol)
    p = cvm("check", bad, expect=1)
    check(p.stdout.startswith("logic error: elemwise_add_c1: node 2 'add' (elemwise_add): "),
          "check: %r" % p.stdout)
    check(p.stdout.count("elemwise_add_c1") == 1, "label repeated: %r" % p.stdout)
    x = write(os.path.join(TMP, "x.npy"), npy_int8([4], [1, 2, 3, 4]))
    for backend in ("fast", "reference"):
        p = cvm("trace", bad, "--input", x, "--backend", backend, expect=1)
        check(p.stderr.count("elemwise_add_c1") == 1, "trace: label repeated: %r" % p.stderr)
    p = cvm("prove", bad, expect=1)
    check("verdict: REJECTED (elemwise_add_c1)\n  node 2 'add' (elemwise_add): " in p.stdout and
          p.stdout.count("elemwise_add_c1") == 1, "prove: label repeated: %r" % p.stdout)


def npy_float32(shape, values):
    return npy_bytes("<f4", shape, b"".join(struct.pack("<f", v) for v in values))


# The committed float model of examples/fashion_mnist.
FASHION_CNN = os.path.join(ROOT, "examples", "fashion_mnist", "cnn.onnx")


# 4 calibration images (4, 1, 28, 28) of a diagonal ramp in [0, 1] that
# peaks at 1.0, row-major.
RAMP_CALIBRATION = [((i % 28) + (i // 28 % 28)) / 54.0 * ((i // 784) + 1) / 4 for i in range(4 * 784)]


def write_ramp_calibration():
    """Writes RAMP_CALIBRATION as the float32 .npy TMP/calib.npy; returns its path."""
    calib = os.path.join(TMP, "calib.npy")
    write(calib, npy_float32([4, 1, 28, 28], RAMP_CALIBRATION))
    return calib


def test_quantize():
    # The ramp calibration: any values will do for the command's contract;
    # the accuracy is tested in tools/quantize/tests.
    onnx = FASHION_CNN
    calib = write_ramp_calibration()
    out = os.path.join(TMP, "q")
    p = cvm("quantize", onnx, "--calibration", calib, "--output", out, expect=0)
    check("certified: no value can overflow" in p.stdout, "no certificate line: %r" % p.stdout)
    check("calibration: 4/4 samples" in p.stderr, "no progress lines: %r" % p.stderr)
    for f in ("symbol", "params", "report.json", "input.npy"):
        check(os.path.exists(os.path.join(out, f)), "missing %s" % f)
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    check(report["certified"] is True and report["calibration"]["samples"] == 4, "report: %r" % report)
    check(report["input"]["shape"] == [1, 1, 28, 28] and report["input"]["precision"] == 8, "input: %r" % report)
    # The ramp peaks at 1.0 (last image, last pixel): scale 127 / 1.0.
    check(abs(report["input"]["scale"] - 127.0) < 1e-9, "input scale %r" % report["input"]["scale"])
    check([l["op"] for l in report["layers"]][:2] == ["Conv", "Relu"], "layers: %r" % report["layers"][:2])
    # Each layer reports its value interval (as cvm prove computes it), which
    # the scales and precisions used; --no-intervals records that they were not.
    check(report["options"]["use_intervals"] is True, "options: %r" % report["options"])
    for l in report["layers"]:
        lo, hi = l["interval"]
        check(lo <= hi and max(-lo, hi) <= 2 ** (l["precision"] - 1) - 1, "interval: %r" % l)
    plain = os.path.join(TMP, "q_plain")
    cvm("quantize", onnx, "--calibration", calib, "--output", plain, "--no-intervals", "--quiet", expect=0)
    with open(os.path.join(plain, "report.json")) as f:
        check(json.load(f)["options"]["use_intervals"] is False, "--no-intervals not recorded")
    # The written model runs, and cvm prove agrees with the certificate.
    cvm("run", out, "--input", os.path.join(out, "input.npy"), "--output", os.path.join(TMP, "y.npy"), expect=0)
    p = cvm("prove", out, expect=0)
    check(p.stdout.rstrip().endswith("verdict: certified"), "prove: %r" % p.stdout)
    # A calibration set of the wrong sample shape is the caller's fault (1),
    # a file that is not ONNX too, a missing file is I/O (2), and --eval
    # without --labels is a usage error (2).
    bad = os.path.join(TMP, "bad.npy")
    write(bad, npy_float32([2, 3], [0.0] * 6))
    p = cvm("quantize", onnx, "--calibration", bad, "--output", out, expect=1)
    check("does not match the model input" in p.stderr, "shape error: %r" % p.stderr)
    garbage = os.path.join(TMP, "garbage.onnx")
    write(garbage, b"\xff\xff not protobuf")
    p = cvm("quantize", garbage, "--calibration", calib, "--output", out, expect=1)
    check("logic error: quantize" in p.stderr, "garbage: %r" % p.stderr)
    cvm("quantize", os.path.join(TMP, "absent.onnx"), "--calibration", calib, "--output", out, expect=2)
    cvm("quantize", onnx, "--calibration", calib, "--output", out, "--eval", calib, expect=2)
    # A misspelt --eval-backend is refused before any work, with run's class (2).
    labels = write(os.path.join(TMP, "labels.npy"), npy_int32([4], [0, 1, 2, 3]))
    fresh = os.path.join(TMP, "q_typo")
    p = cvm("quantize", onnx, "--calibration", calib, "--output", fresh, "--eval", calib,
            "--labels", labels, "--eval-backend", "fats", expect=2)
    check(p.stderr.startswith("runtime error: backend: backend 'fats'"), "typo: %r" % p.stderr)
    check("calibration:" not in p.stderr and not os.path.exists(fresh), "work done before the check")
    p = cvm("run", out, "--input", os.path.join(out, "input.npy"), "--output",
            os.path.join(TMP, "y.npy"), "--backend", "fats", expect=2)
    # --percentile without --method percentile would be ignored: refused.
    p = cvm("quantize", onnx, "--calibration", calib, "--output", fresh, "--percentile", "99",
            expect=2)
    check("--percentile applies only with --method percentile" in p.stderr, "percentile: %r" % p.stderr)
    check(not os.path.exists(fresh), "work done before the check")
    cvm("quantize", onnx, "--calibration", calib, "--output", fresh, "--percentile", "99",
        "--method", "percentile", "--quiet", expect=0)
    # All-zero calibration: every scale would silently be 1.0; a warning names
    # the tensors (the model input first of all), even with --quiet.
    zeros = write(os.path.join(TMP, "zeros.npy"), npy_float32([2, 1, 28, 28], [0.0] * (2 * 784)))
    p = cvm("quantize", onnx, "--calibration", zeros, "--output", os.path.join(TMP, "qz"), "--quiet")
    check("warning: " in p.stderr and "0 on every calibration sample" in p.stderr and
          "scale defaults to 1.0" in p.stderr, "no zero-range warning: %r" % p.stderr)
    check("'%s'" % onnx_input_name(onnx) in p.stderr, "the input tensor is not named: %r" % p.stderr)
    # The ramp calibration has a range for every tensor: no warning.
    p = cvm("quantize", onnx, "--calibration", calib, "--output", out, expect=0)
    check("warning" not in p.stderr, "spurious warning: %r" % p.stderr)


def onnx_input_name(path):
    """The first graph input's name of an ONNX file, read from the protobuf
    wire format by hand (ModelProto.graph = 7, GraphProto.input = 11,
    ValueInfoProto.name = 1)."""
    def fields(b):
        i = 0
        while i < len(b):
            key, i = varint(b, i)
            field, wire = key >> 3, key & 7
            if wire == 0:
                _, i = varint(b, i)
                continue
            if wire == 1:
                i += 8
                continue
            if wire == 5:
                i += 4
                continue
            check(wire == 2, "unexpected wire type %d" % wire)
            n, i = varint(b, i)
            yield field, b[i:i + n]
            i += n

    def varint(b, i):
        v = shift = 0
        while True:
            c = b[i]
            i += 1
            v |= (c & 0x7F) << shift
            shift += 7
            if c < 0x80:
                return v, i

    with open(path, "rb") as f:
        model = f.read()
    graph = next(v for k, v in fields(model) if k == 7)
    value_info = next(v for k, v in fields(graph) if k == 11)
    return next(v for k, v in fields(value_info) if k == 1).decode()


def round_half_away(v):
    """round(v), ties away from zero (quantize's report: input.rule)."""
    return int(math.floor(abs(v) + 0.5)) * (1 if v >= 0 else -1)


def test_run_float_input():
    # cvm quantize records the input scale in report.json; cvm run
    # --float-input quantizes a float input with it. The float values are
    # dyadic, so x * 127 is exact and the expected integers follow from the
    # rule alone: q = clip(round(x * 127), -127, 127), ties away from zero.
    onnx = FASHION_CNN
    calib = write_ramp_calibration()
    q = os.path.join(TMP, "q")
    cvm("quantize", onnx, "--calibration", calib, "--output", q, "--quiet", expect=0)
    with open(os.path.join(q, "report.json")) as f:
        scale = json.load(f)["input"]["scale"]
    check(scale == 127.0, "input scale %r" % scale)  # the ramp peaks at 1.0
    # 1. Against the quantizer's own quantized input (its first sample).
    y_int, y_float = os.path.join(TMP, "y_int.npy"), os.path.join(TMP, "y_float.npy")
    cvm("run", q, "-i", os.path.join(q, "input.npy"), "-o", y_int, expect=0)
    first = write(os.path.join(TMP, "first.npy"), npy_float32([1, 1, 28, 28], RAMP_CALIBRATION[:784]))
    p = cvm("run", q, "--float-input", "-i", first, "-o", y_float, expect=0)
    check(read_npy(y_float) == read_npy(y_int), "--float-input != quantize's input.npy")
    check(p.stdout.startswith("backend: fast"), p.stdout)
    # 2. Dyadic values, ties (0.5 * 127 = 63.5 -> 64) and clipping, as
    # float32 and big-endian float64: the same output as the int8 file of the
    # integers the rule gives.
    xs = [((i * 7) % 61 - 30) / 16.0 for i in range(784)]
    qs = [clip(round_half_away(v * 127), 127) for v in xs]
    check(64 in qs and -64 in qs and 127 in qs and -127 in qs, "ties and clipping exercised")
    xi = write(os.path.join(TMP, "xi.npy"), npy_int8([1, 1, 28, 28], qs))
    cvm("run", q, "-i", xi, "-o", y_int, expect=0)
    for descr, fmt in (("<f4", "<f"), (">f8", ">d"), ("<f8", "<d"), (">f4", ">f")):
        xf = write(os.path.join(TMP, "xf.npy"), npy_typed(descr, fmt, [1, 1, 28, 28], xs))
        cvm("run", q, "--float-input", "-i", xf, "-o", y_float, expect=0)
        check(read_npy(y_float) == read_npy(y_int), "%s: --float-input differs" % descr)
    # 3. A batch of the four calibration samples, (N, 1, 28, 28) for the
    # input (1, 1, 28, 28): sample 0 is the quantizer's input.npy.
    out = os.path.join(TMP, "out")
    cvm("run", q, "--float-input", "--batch", "-i", calib, "-o", out, expect=0)
    cvm("run", q, "-i", os.path.join(q, "input.npy"), "-o", y_int, expect=0)
    check(read_npy(os.path.join(out, "sample0.npy")) == read_npy(y_int), "batch sample 0")
    check(len(os.listdir(out)) == 4, "4 outputs")
    # 4. Errors: no recorded scale (a model cvm quantize did not write); a
    # float file without --float-input; an integer file with it; a NaN.
    p = cvm("run", add_model(), "--float-input", "-i", first, "-o", y_float, expect=1)
    check(p.stderr.startswith("logic error: float_input: ") and "report.json" in p.stderr
          and "no recorded input scale" in p.stderr, "no scale: %r" % p.stderr)
    p = cvm("run", q, "-i", first, "-o", y_float, expect=1)
    check(p.stderr.startswith("logic error: npy_c6: "), "float without --float-input: %r" % p.stderr)
    p = cvm("run", q, "--float-input", "-i", xi, "-o", y_float, expect=1)
    check(p.stderr.startswith("logic error: npy_c6: ") and "float32 and float64" in p.stderr,
          "int with --float-input: %r" % p.stderr)
    xn = write(os.path.join(TMP, "xn.npy"), npy_float32([1, 1, 28, 28], [0.0] * 783 + [float("nan")]))
    p = cvm("run", q, "--float-input", "-i", xn, "-o", y_float, expect=1)
    check(p.stderr.startswith("logic error: npy_c15: ") and "element 783" in p.stderr, p.stderr)
    # A report whose input shape is not the model's is refused.
    with open(os.path.join(q, "report.json")) as f:
        report = json.load(f)
    report["input"]["shape"] = [1, 1, 28, 27]
    with open(os.path.join(q, "report.json"), "w") as f:
        json.dump(report, f)
    p = cvm("run", q, "--float-input", "-i", first, "-o", y_float, expect=1)
    check(p.stderr.startswith("logic error: float_input: ") and "(1, 1, 28, 27)" in p.stderr, p.stderr)
    del report["input"]["scale"]
    with open(os.path.join(q, "report.json"), "w") as f:
        json.dump(report, f)
    p = cvm("run", q, "--float-input", "-i", first, "-o", y_float, expect=1)
    check(p.stderr.startswith("logic error: float_input: ") and "scale" in p.stderr, p.stderr)


def main():
    global CVM, TMP
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    CVM = sys.argv[1]
    case = sys.argv[2]
    fn = globals().get("test_" + case)
    if fn is None:
        print("unknown case %r" % case, file=sys.stderr)
        return 2
    TMP = tempfile.mkdtemp(prefix="cvm_tool_test_")
    try:
        fn()
    except Failure as e:
        print("FAIL %s: %s" % (case, e))
        return 1
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("PASS %s" % case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
