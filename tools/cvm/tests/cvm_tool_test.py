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
import os
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

def cvm(*args, expect=None):
    """Runs cvm; checks the exit code when `expect` is given."""
    p = subprocess.run([CVM, *[str(a) for a in args]], capture_output=True, text=True, timeout=120)
    shown = "$ cvm %s\n[exit %d]\n--- stdout\n%s--- stderr\n%s" % (
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

SUBCOMMANDS = ["run", "info", "gas", "check", "trace", "diff", "op", "ops", "prove"]


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
    cvm("trace", d, "--input", x, "--output", t1, expect=0)
    cvm("trace", d, "--input", x, "--output", t2, "--backend", "reference", expect=0)
    with open(t1, "rb") as f:
        b1 = f.read()
    with open(t2, "rb") as f:
        b2 = f.read()
    check(b1 == b2, "two traces of the same run differ")
    p = cvm("trace", d, "--input", x, expect=0)
    check(p.stdout.encode() == b1, "trace on stdout differs from the file")
    t = json.loads(b1)
    check(t["format"] == "cvm-trace-1" and t["backend"] == "reference", "format/backend")
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
    check("runtime error: io" in p.stderr, "missing trace")


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
    check("GMAC/s" in p.stdout, "multiply-add rate reported")
    p = cvm("bench", mnist, "--backends", "reference,no-such-backend", "-n", "1", expect=2)
    check("no-such-backend" in p.stderr or "backend" in p.stderr, "unknown backend named")
    cvm("bench", mnist, "--threads", "0", expect=2)


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


def npy_float32(shape, values):
    return npy_bytes("<f4", shape, b"".join(struct.pack("<f", v) for v in values))


def test_quantize():
    # The committed float model of examples/fashion_mnist; 4 calibration
    # images of a diagonal ramp in [0, 1] (any values will do for the
    # command's contract; the accuracy is tested in tools/quantize/tests).
    onnx = os.path.join(ROOT, "examples", "fashion_mnist", "cnn.onnx")
    calib = os.path.join(TMP, "calib.npy")
    values = [((i % 28) + (i // 28 % 28)) / 54.0 * ((i // 784) + 1) / 4 for i in range(4 * 784)]
    write(calib, npy_float32([4, 1, 28, 28], values))
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
