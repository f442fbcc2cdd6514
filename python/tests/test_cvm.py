"""Tests of the Python package cvm (docs/python.rst).

Expected values come from elsewhere than the binding: models and results
worked out by hand (the dense model of spec/model/gas.rst, as in
oracle/c_api_test.c), and the `cvm` tool (run, trace, prove, info) on the
bundled examples. ctest `python` sets CVM_TOOL and CVM_SOURCE_DIR.
"""

import hashlib
import json
import os
import pickle
import struct
import subprocess
import threading

import numpy as np
import pytest

import cvm

SOURCE_DIR = os.environ.get(
    "CVM_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
TOOL = os.environ.get("CVM_TOOL")
EXAMPLES = ["mnist_cnn", "detection"]

needs_tool = pytest.mark.skipif(not TOOL, reason="CVM_TOOL (the cvm tool) is not set")

# ---- Hand-written models ----------------------------------------------------

RELU_SYMBOL = json.dumps({
    "nodes": [{"op": "null", "name": "data", "inputs": []},
              {"op": "cvm_op", "name": "r", "inputs": [[0, 0, 0]],
               "attrs": {"func_name": "relu", "num_inputs": "1", "num_outputs": "1",
                         "flatten_data": "0"}}],
    "arg_nodes": [0], "node_row_ptr": [0, 1, 2], "heads": [[1, 0, 0]],
    "attrs": {"dltype": ["list_str", ["int32", "int32"]], "storage_id": ["list_int", [0, 1]],
              "shape": ["list_shape", [[4], [4]]], "precision": ["list_int", [8, -1]],
              "op_attrs": ["list_str", ["", "{}"]]},
    "version": "cvm_1.0.0"})

# dense: data (2, 5) p8, w (3, 5) p8, b (3) p8, units 3, bias.
DENSE_SYMBOL = json.dumps({
    "nodes": [{"op": "null", "name": "data", "inputs": []},
              {"op": "null", "name": "w", "inputs": []},
              {"op": "null", "name": "b", "inputs": []},
              {"op": "cvm_op", "name": "fc", "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]],
               "attrs": {"func_name": "dense", "num_inputs": "3", "num_outputs": "1",
                         "flatten_data": "0"}}],
    "arg_nodes": [0, 1, 2], "node_row_ptr": [0, 1, 2, 3, 4], "heads": [[3, 0, 0]],
    "attrs": {"dltype": ["list_str", ["int32"] * 4], "storage_id": ["list_int", [0, 1, 2, 3]],
              "shape": ["list_shape", [[2, 5], [3, 5], [3], [2, 3]]],
              "precision": ["list_int", [8, 8, 8, -1]],
              "op_attrs": ["list_str", ["", "", "", json.dumps({"units": "3", "use_bias": "true"})]]},
    "version": "cvm_1.0.0"})

DENSE_W = [[1, 0, 0, 0, 0], [1, 1, 1, 1, 1], [127, -1, 0, 3, -127]]
DENSE_B = [10, -100, 127]
DENSE_X = [[1, 2, 3, 4, 5], [-128, 0, 127, -1, 2]]  # -128 saturates to -127 (p8)
# y[m][n] = sum_k x[m][k] w[n][k] + b[n], worked out in oracle/c_api_test.c.
DENSE_Y = [[11, -85, -371], [-117, -99, -16259]]


def params_file(arrays):
    """A params file (spec/model/params.rst): a list of named int arrays."""
    out = struct.pack("<QQ", 0xF7E58D4F05049CB7, 0) + struct.pack("<Q", len(arrays))
    for name, _, _ in arrays:
        out += struct.pack("<Q", len(name)) + name.encode()
    out += struct.pack("<Q", len(arrays))
    for _, bits, values in arrays:
        a = np.asarray(values)
        out += struct.pack("<QQiii", 0xDD5E40F096B4A13F, 0, 1, 0, a.ndim)
        out += struct.pack("<BBH", 0, bits, 1)
        out += struct.pack(f"<{a.ndim}q", *a.shape)
        data = a.astype("<i1" if bits == 8 else "<i4").tobytes()
        out += struct.pack("<q", len(data)) + data
    return out


EMPTY_PARAMS = params_file([])
DENSE_PARAMS = params_file([("w", 8, DENSE_W), ("b", 32, DENSE_B)])


@pytest.fixture(scope="module")
def dense():
    return cvm.from_bytes(DENSE_SYMBOL, DENSE_PARAMS)


@pytest.fixture(scope="module")
def relu():
    return cvm.from_bytes(RELU_SYMBOL.encode(), EMPTY_PARAMS)


def test_version():
    assert isinstance(cvm.__version__, str)
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt")) as f:
        text = f.read()
    start = text.index("project(cvm VERSION ") + len("project(cvm VERSION ")
    project_version = text[start:].split()[0]
    assert cvm.__version__.startswith(project_version)
    info = cvm.build_info()
    assert info["version"] == cvm.__version__
    if "backends" in info:  # built with include/cvm/version.h
        assert "reference" in info["backends"] and "fast" in info["backends"]


def test_inspect_dense(dense):
    assert EMPTY_PARAMS.__len__() == 32 and len(DENSE_PARAMS) == 181  # as c_api_test.c
    assert dense.version == "cvm_1.0.0"
    assert dense.postprocess == ""
    assert dense.input == cvm.TensorInfo((2, 5), 8)
    assert dense.inputs == (dense.input,)
    # p = 8 + 8 + bits(5) = 19, with the bias max(19, 8) + 1 = 20.
    assert dense.outputs == (cvm.TensorInfo((2, 3), 20),)
    assert dense.heads == ((3, 0),)
    assert dense.output_precision == 20 and dense.output_width == 4 and dense.input_width == 1
    assert dense.input_length == 10 and dense.output_length == 24
    # spec/model/gas.rst: 5 * (10 + 15 + 3 + 6) + (3 * 5 + 1) * 6 = 266.
    assert dense.gas == 266
    assert cvm.symbol_gas(DENSE_SYMBOL) == 266
    assert dense.storage_size == 4 * (10 + 15 + 3 + 6)
    assert [(n.name, n.op, n.is_variable) for n in dense.nodes] == [
        ("data", "variable", True), ("w", "variable", True), ("b", "variable", True),
        ("fc", "dense", False)]
    fc = dense.nodes[3]
    assert fc.attrs == {"units": "3", "use_bias": "true"}
    assert fc.inputs == ((0, 0), (1, 0), (2, 0))
    assert fc.outputs == (cvm.TensorInfo((2, 3), 20),)
    assert dense.nodes[1].outputs == (cvm.TensorInfo((3, 5), 8),)
    assert dense.symbol_sha256 == hashlib.sha256(DENSE_SYMBOL.encode()).hexdigest()
    assert "cvm.Model" in repr(dense)


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_run_dense(dense, backend):
    for dtype in (np.int8, np.int16, np.int32, np.int64):
        y = dense.run(np.array(DENSE_X, dtype=dtype), backend=backend)
        assert y.dtype == np.int32 and y.shape == (2, 3)
        assert y.tolist() == DENSE_Y
    assert dense.run(DENSE_X, backend=backend).tolist() == DENSE_Y  # nested lists
    heads = dense.run_heads(np.array(DENSE_X), backend=backend)
    assert len(heads) == 1 and heads[0].tolist() == DENSE_Y
    trace = dense.trace(np.array(DENSE_X), backend=backend)
    assert [(n.node, n.name, n.op) for n in trace] == [(3, "fc", "dense")]
    assert trace["fc"].outputs[0].tolist() == DENSE_Y
    assert trace.output.tolist() == DENSE_Y


def test_run_input_conversion(relu):
    # Saturation to p8 (R = 127), then relu.
    assert relu.run(np.array([-40000, 40000, -5, 100], np.int32)).tolist() == [0, 127, 0, 100]
    # Unsigned dtypes convert exactly.
    assert relu.run(np.array([0, 1, 200, 65535], np.uint16)).tolist() == [0, 1, 127, 127]
    assert relu.run(np.array([2**31 - 1, -2**31, 3, 4], np.int64)).tolist() == [127, 0, 3, 4]
    # A non-contiguous view is read in logical order.
    assert relu.run(np.arange(8, dtype=np.int64)[::2]).tolist() == [0, 2, 4, 6]
    for bad in (np.array([0, 0, 0, 2**31], np.int64), np.array([-2**31 - 1, 0, 0, 0], np.int64),
                np.array([0, 2**63, 0, 0], np.uint64), np.array([0, 0, 2**32, 0], np.uint64)):
        with pytest.raises(cvm.LogicError) as e:
            relu.run(bad)
        assert e.value.label == "py_c1" and e.value.code == 1
        assert "outside int32" in str(e.value)
    with pytest.raises(TypeError):
        relu.run(np.zeros(4, np.float32))
    with pytest.raises(TypeError):
        relu.run(np.zeros(4, bool))
    # The wrong shape: infer_c1.
    with pytest.raises(cvm.LogicError) as e:
        relu.run(np.zeros((2, 2), np.int8))
    assert e.value.label == "infer_c1"


def test_errors():
    with pytest.raises(cvm.RuntimeFault) as e:
        cvm.from_bytes('{"nodes": [', EMPTY_PARAMS)
    err = e.value
    assert err.label == "graph_c1" and err.code == 2
    assert isinstance(err, cvm.Error) and isinstance(err, RuntimeError)
    assert str(err).startswith("graph_c1: ")
    # No values for w and b: model_c3, a logic error (also a ValueError).
    with pytest.raises(ValueError) as e:
        cvm.from_bytes(DENSE_SYMBOL, EMPTY_PARAMS)
    assert isinstance(e.value, cvm.LogicError)
    assert e.value.label == "model_c3" and e.value.code == 1
    # Errors pickle with their label.
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is cvm.LogicError and again.label == "model_c3" and str(again) == str(e.value)
    with pytest.raises(cvm.LogicError) as e:
        cvm.from_bytes(RELU_SYMBOL, b"not a params file")
    assert e.value.label == "params_c1"
    with pytest.raises(cvm.RuntimeFault) as e:
        cvm.from_bytes(RELU_SYMBOL, EMPTY_PARAMS, memory_cap=8)
    assert e.value.label == "model_c6"
    with pytest.raises(TypeError):
        cvm.from_bytes(RELU_SYMBOL, 42)
    with pytest.raises(OSError):
        cvm.load(os.path.join(SOURCE_DIR, "no such model"))


def test_backends(relu):
    names = cvm.backends()
    assert "reference" in names and "fast" in names
    with pytest.raises(cvm.RuntimeFault) as e:
        relu.run([1, 2, 3, 4], backend="no such backend")
    assert e.value.label == "backend"
    if "cuda" not in names:
        with pytest.raises(cvm.RuntimeFault):
            relu.run([1, 2, 3, 4], backend="cuda")


def test_threads(dense):
    results, errors = [], []

    def work():
        try:
            for _ in range(20):
                results.append(dense.run(np.array(DENSE_X)).tolist())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == [DENSE_Y] * 80


# ---- The bundled examples against the cvm tool -------------------------------

def tool(*args):
    return subprocess.run([TOOL, *args], check=True, capture_output=True, text=True).stdout


def example(name):
    return os.path.join(SOURCE_DIR, "examples", name)


@needs_tool
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_matches_tool(name, tmp_path):
    path = example(name)
    model = cvm.load(path)
    assert model.version == "cvm_1.0.0"
    x = np.load(os.path.join(path, "input.npy"))

    info = json.loads(tool("info", path, "--json"))
    assert model.gas == info["gas"]
    assert model.storage_size == info["storage_size"]
    assert model.postprocess == info["postprocess"]
    assert model.input == cvm.TensorInfo(tuple(info["input"]["shape"]), info["input"]["precision"])
    assert [tuple(h["shape"]) for h in info["heads"]] == [o.shape for o in model.outputs]
    assert [(n.name, n.op, n.gas_weight) for n in model.nodes] == [
        (n["name"], n["op"], n["gas_weight"]) for n in info["nodes"]]
    assert [n.attrs for n in model.nodes if not n.is_variable] == [
        n["attrs"] for n in info["nodes"] if n["op"] != "variable"]

    # run: the post-processed output and the heads, on both CPU backends.
    tool("run", path, "--input", os.path.join(path, "input.npy"), "--output",
         str(tmp_path / "y.npy"), "--heads", str(tmp_path / "heads"))
    expected = np.load(tmp_path / "y.npy").astype(np.int32)
    for backend in ("fast", "reference"):
        y = model.run(x, backend=backend)
        assert y.dtype == np.int32
        np.testing.assert_array_equal(y, expected)
        for k, head in enumerate(model.run_heads(x, backend=backend)):
            np.testing.assert_array_equal(head, np.load(tmp_path / "heads" / f"head{k}.npy"))

    # trace: the SHA-256 of every node's int32 outputs.
    tool("trace", path, "--input", os.path.join(path, "input.npy"), "--output",
         str(tmp_path / "trace.json"))
    with open(tmp_path / "trace.json") as f:
        expected_trace = json.load(f)
    trace = model.trace(x)
    assert len(trace) == len(expected_trace["nodes"]) > 0
    for got, want in zip(trace, expected_trace["nodes"]):
        assert (got.node, got.name, got.op) == (want["node"], want["name"], want["op"])
        assert [(o.shape, hashlib.sha256(o.astype("<i4").tobytes()).hexdigest())
                for o in got.outputs] == [(tuple(o["shape"]), o["sha256"]) for o in want["outputs"]]
    np.testing.assert_array_equal(trace.output, expected)

    # prove: the certificate of `cvm prove --json`.
    subprocess.run([TOOL, "prove", path, "--json", str(tmp_path / "prove.json")],
                   check=False, capture_output=True)
    with open(tmp_path / "prove.json") as f:
        expected_cert = json.load(f)
    expected_cert.setdefault("never_runs", "")
    cert = model.prove()
    assert cert.pop("certified") == (expected_cert["verdict"] == "certified")
    assert cert == expected_cert
    # Per-model value intervals: one [lo, hi] and one headroom per output.
    for n in cert["nodes"]:
        assert len(n["intervals"]) == len(n["headroom_bits"]) == len(n["output_precisions"])
        assert all(lo <= hi for lo, hi in n["intervals"])
