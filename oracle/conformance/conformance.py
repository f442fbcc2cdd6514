#!/usr/bin/env python3
"""Conformance corpus: upstream's recorded verdicts, replayed against any libcvm.

  conformance.py record --lib LIB --out verdicts.jsonl   record LIB's verdicts (upstream's)
  conformance.py check  --lib LIB                        compare LIB (cvm) with the record
  conformance.py count                                   print the number of cases

The cases are generated here, deterministically, from the committed base models
(base.jsonl, written by cvm_conformance_base): each base model as it is, plus
variants that change one thing: an attribute's spelling, a key, an operator
name, a graph JSON field, the params bytes or the input values. Each case runs
through the C API a node uses (CVMAPILoadModel, the getters, CVMAPIInference)
on device 0 (CPU) and device 2 (formal), each in a child process, so a crash
or a hang of the library under test is recorded, not fatal. Only the Python
standard library is used; the library path is an argument, so this file never
builds or names a copy of upstream.

`check` fails on every case whose verdict differs from the record unless an
entry of spec/errata lists the case (a "Conformance cases:" line with
fnmatch patterns of case ids).
"""
import argparse
import ctypes
import fnmatch
import glob
import hashlib
import json
import os
import re
import signal
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEVICES = (0, 2)
ALIASES = {"relu": "nn.relu", "non_max_suppression": "vision.non_max_suppression",
           "broadcast_add": "add", "broadcast_sub": "subtract", "broadcast_mul": "multiply",
           "broadcast_max": "__max_symbol__", "broadcast_div": "__div_symbol__",
           "broadcast_greater": "__greater_symbol__"}
DTYPES = ["float16", "float32", "float64", "uint8", "uint16", "uint32", "uint64",
          "int8", "int16", "int32", "int64"]

# ----------------------------------------------------------------------------
# Case generation


def load_base(path):
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return lines[0]["schema"], lines[1:]


def strip_suffix(name):
    head, sep, tail = name.rpartition("_")
    return head if sep and tail.isdigit() or (sep and tail == "") else name


def int_spellings(v):
    s = str(v)
    out = [s, " " + s, s + " ", "\t" + s + "\n", s + "L", s + "l", "0" + s, s + ".0", s + "e0",
           s + "x", "(" + s + ")", "[" + s + "]", s + ",", "", " ", "0x" + s, "- " + s.lstrip("-"),
           "2147483648", "-2147483649", "2147483647", "-2147483648", "99999999999999999999"]
    if v >= 0:
        out += ["+" + s, " +" + s]
    return out


def bool_spellings(b):
    base = ["true", "false", "True", "FALSE", "tRuE", "1", "0", " true", "true ", "True\t",
            " 0", "0 ", "01", "yes", "no", "t", "f", "", "2", "-1", "on", "\ttrue"]
    return base


def tuple_spellings(vals):
    items = [str(x) for x in vals]
    j = ", ".join(items)
    out = ["(" + j + ")", "[" + j + "]", "(" + ",".join(items) + ")", "( " + j + " )",
           "(" + j + ",)", "(" + j + ", )", " (" + j + ")", "(" + j + ") ",
           "(" + ", ".join(x + "L" for x in items) + ")",
           "(" + ", ".join(x + "l" for x in items) + ")",
           "( " + " , ".join(x + "L" for x in items) + " )",
           "(" + ", ".join(x + " L" for x in items) + ")",
           "(" + j + "]", "[" + j + ")", "((" + j + "))", "(" + "; ".join(items) + ")", j,
           "(" + " ".join(items) + ")", "(" + ",, ".join(items) + ")", "(" + j, j + ")",
           "(" + j + ")x", "(" + ", ".join("+" + x if not x.startswith("-") else x for x in items) + ")",
           "()", "[]", "( )", "(,)", ""]
    if len(vals) == 1:
        x = items[0]
        out += [x, " " + x + " ", "+" + x, x + "L", "(" + x + ")", "[" + x + ",]"]
    return out


def optional_spellings(v):
    out = ["None", " None", "None ", "none", "NONE", "Nonex", "None,"]
    if v is not None:
        s = str(v)
        out += [s, s + "L", s + "l", " " + s, s + " ", s + " L", s + "L ", "+" + s, "(" + s + ")"]
    return out


def string_spellings(v):
    return [v, " " + v, v + " ", v.lower(), v.upper(), "\t" + v, "", v + "\n"]


def dtype_spellings(allow_same):
    out = DTYPES + ["same", "Int32", " int32", "int32 ", "int7", "", "4", "None", "float"]
    return out


def spellings(ftype, value):
    """Spellings of one attribute of type `ftype` whose value text is `value`."""
    if ftype == "int":
        try:
            return int_spellings(int(value.strip()))
        except ValueError:
            return [value]
    if ftype == "bool":
        return bool_spellings(value)
    if ftype in ("shape", "tuple"):
        nums = [int(x) for x in re.findall(r"-?\d+", value)]
        return tuple_spellings(nums)
    if ftype == "optional":
        m = re.search(r"-?\d+", value)
        return optional_spellings(int(m.group()) if m else None)
    if ftype == "string":
        return string_spellings(value)
    return dtype_spellings(ftype == "out_dtype")


def hex_bytes(h):
    return bytes.fromhex(h)


class Case:
    __slots__ = ("id", "symbol", "params", "input")

    def __init__(self, cid, symbol, params, values):
        self.id, self.symbol, self.params, self.input = cid, symbol, params, values

    def digest(self):
        h = hashlib.sha256()
        for part in (self.symbol.encode(), self.params, json.dumps(self.input).encode()):
            h.update(hashlib.sha256(part).digest())
        return h.hexdigest()[:16]


def attr_cases(model, schema, seen):
    """One attribute change at a time, in every op node of the model."""
    sym = json.loads(model["symbol"])
    op_attrs = sym["attrs"]["op_attrs"][1]
    params = hex_bytes(model["params"])
    for i, node in enumerate(sym["nodes"]):
        if node["op"] == "null":
            continue
        op = strip_suffix(node["attrs"]["func_name"])
        fields = schema[op]["fields"]
        attrs = json.loads(op_attrs[i]) if op_attrs[i] else {}

        def variant(tag, new_attrs, limit=2):
            key = (op, tag)
            if seen.get(key, 0) >= limit:
                return None
            seen[key] = seen.get(key, 0) + 1
            s2 = json.loads(model["symbol"])
            s2["attrs"]["op_attrs"][1][i] = json.dumps(new_attrs, separators=(",", ":"))
            return Case(f"{model['id']}/n{i}/{op}/{tag}", json.dumps(s2, separators=(",", ":")),
                        params, model["input"])

        for f in fields:
            k, t = f["key"], f["type"]
            if k in attrs:
                for sp in spellings(t, attrs[k]):
                    c = variant(f"{k}={json.dumps(sp)}", dict(attrs, **{k: sp}))
                    if c:
                        yield c
                if not f["required"] or True:
                    c = variant(f"-{k}", {a: b for a, b in attrs.items() if a != k})
                    if c:
                        yield c
            elif t in ("bool", "optional", "dtype", "out_dtype"):
                for sp in spellings(t, "None" if t == "optional" else "true"):
                    c = variant(f"+{k}={json.dumps(sp)}", dict(attrs, **{k: sp}))
                    if c:
                        yield c
        for extra, v in (("foo", "1"), ("__foo__", "1"), ("____", "1"), ("__a__", "x"),
                         ("__a_", "x"), ("Units", "1"), ("", "1")):
            c = variant(f"+{json.dumps(extra)}", dict(attrs, **{extra: v}), limit=1)
            if c:
                yield c
        # Operator names: aliases, unknown names, suffix forms.
        names = [ALIASES.get(op, op + "x"), "foo", op + "_", op + "_007", op + "_1_2", op.upper(),
                 " " + op, op + "5", "_" + op]
        for name in names:
            key = (op, "func_name", name)
            if seen.get(key):
                continue
            seen[key] = 1
            s2 = json.loads(model["symbol"])
            s2["nodes"][i]["attrs"]["func_name"] = name
            yield Case(f"{model['id']}/n{i}/{op}/func_name={json.dumps(name)}",
                       json.dumps(s2, separators=(",", ":")), params, model["input"])


def graph_cases(model):
    """Changes of the graph JSON other than attributes."""
    base = json.loads(model["symbol"])
    params = hex_bytes(model["params"])
    mid = model["id"]

    def mk(tag, fn):
        s = json.loads(model["symbol"])
        r = fn(s)
        text = r if isinstance(r, str) else json.dumps(s, separators=(",", ":"))
        return Case(f"{mid}/graph/{tag}", text, params, model["input"])

    def set_(path, value):
        def fn(s):
            d = s
            for p in path[:-1]:
                d = d[p]
            d[path[-1]] = value
        return fn

    def delete(path):
        def fn(s):
            d = s
            for p in path[:-1]:
                d = d[p]
            del d[path[-1]]
        return fn

    yield mk("sorted_keys", lambda s: json.dumps(s, sort_keys=True))
    yield mk("reversed_keys", lambda s: json.dumps(dict(reversed(list(s.items())))))
    yield mk("indented", lambda s: json.dumps(s, indent=2))
    yield mk("extra_top_key", set_(["foo"], 1))
    yield mk("extra_attrs_key", set_(["attrs", "foo"], ["list_int", []]))
    for v in ["cvm_1.1.0", "cvm_1.2.0", "", "CVM_1.0.0", 1]:
        yield mk(f"version={json.dumps(v)}", set_(["version"], v))
    yield mk("no_version", delete(["version"]))
    yield mk("no_node_row_ptr", delete(["node_row_ptr"]))
    yield mk("v110_no_node_row_ptr", lambda s: (s.update(version="cvm_1.1.0"), s.pop("node_row_ptr")) and None)
    yield mk("v110_no_arg_nodes", lambda s: (s.update(version="cvm_1.1.0"), s.pop("arg_nodes")) and None)
    yield mk("no_arg_nodes", delete(["arg_nodes"]))
    yield mk("arg_nodes_empty", set_(["arg_nodes"], []))
    yield mk("postprocess", set_(["postprocess"], "argmax"))
    n_entries = len(base["attrs"]["precision"][1])
    yield mk("dltype_int8", set_(["attrs", "dltype"], ["list_str", ["int8"] * n_entries]))
    yield mk("no_dltype", delete(["attrs", "dltype"]))
    yield mk("v110_no_dltype", lambda s: (s.update(version="cvm_1.1.0"), s["attrs"].pop("dltype")) and None)
    yield mk("device_index_empty", set_(["attrs", "device_index"], ["list_int", []]))
    yield mk("device_index_zeros", set_(["attrs", "device_index"], ["list_int", [0] * n_entries]))
    yield mk("heads_empty", set_(["heads"], []))
    last = n_entries - 1
    for p in (-1, 0, 1, 33, 32):
        yield mk(f"last_precision={p}", lambda s, p=p: s["attrs"]["precision"][1].__setitem__(last, p) and None)
    yield mk("last_sid_negative", lambda s: s["attrs"]["storage_id"][1].__setitem__(last, -1) and None)
    yield mk("all_sids_zero", lambda s: s["attrs"]["storage_id"][1].__setitem__(slice(None), [0] * n_entries) and None)
    yield mk("var_op_attrs_object", lambda s: s["attrs"]["op_attrs"][1].__setitem__(0, "{}") and None)
    yield mk("var_op_attrs_key", lambda s: s["attrs"]["op_attrs"][1].__setitem__(0, '{"a":"1"}') and None)
    for i, node in enumerate(base["nodes"]):
        if node["op"] != "null":
            for text in ["", " ", "{} ", "[]", "{", '{"a":1}', "null"]:
                yield mk(f"n{i}_op_attrs={json.dumps(text)}",
                         lambda s, t=text, i=i: s["attrs"]["op_attrs"][1].__setitem__(i, t) and None)
            yield mk(f"n{i}_num_inputs=9", lambda s, i=i: s["nodes"][i]["attrs"].__setitem__("num_inputs", "9") and None)
            yield mk(f"n{i}_attr_int", lambda s, i=i: s["nodes"][i]["attrs"].__setitem__("flatten_data", 0) and None)
            yield mk(f"n{i}_op_tvm", lambda s, i=i: s["nodes"][i].__setitem__("op", "tvm_op") and None)
            break


def params_cases(model):
    p = hex_bytes(model["params"])
    mid = model["id"]
    yield Case(f"{mid}/params/trailing", model["symbol"], p + b"\0" * 8, model["input"])
    yield Case(f"{mid}/params/cut1", model["symbol"], p[:-1], model["input"])
    yield Case(f"{mid}/params/empty", model["symbol"], b"", model["input"])
    yield Case(f"{mid}/params/header_only", model["symbol"], p[:24], model["input"])


def input_cases(model, schema_unused=None):
    sym = json.loads(model["symbol"])
    data = next(i for i, n in enumerate(sym["nodes"]) if n["op"] == "null" and n["name"] == "data")
    # entry of data = its node index when every earlier node is a variable (true for these models)
    prec = sym["attrs"]["precision"][1][data]
    r = (1 << (prec - 1)) - 1
    n = len(model["input"])
    mid = model["id"]
    for tag, vals in (("max", [r] * n), ("min", [-r] * n), ("zero", [0] * n),
                      ("over", [r + 1] * n), ("under", [-r - 1] * n),
                      ("int32_min", [-(1 << 31)] * n), ("int32_max", [(1 << 31) - 1] * n)):
        yield Case(f"{mid}/input/{tag}", model["symbol"], hex_bytes(model["params"]), vals)
    yield Case(f"{mid}/input/short", model["symbol"], hex_bytes(model["params"]), model["input"][:-1])


def all_cases(base_path):
    schema, models = load_base(base_path)
    seen = {}
    for k, m in enumerate(models):
        yield Case(f"{m['id']}/base", m["symbol"], hex_bytes(m["params"]), m["input"])
        yield from attr_cases(m, schema, seen)
        if k < 12:
            yield from graph_cases(m)
            yield from params_cases(m)
        if k < 40:
            yield from input_cases(m)


# ----------------------------------------------------------------------------
# Running one case through a library's C API


def bind(lib_path):
    lib = ctypes.CDLL(lib_path)
    u64p = ctypes.POINTER(ctypes.c_ulonglong)
    lib.CVMAPILoadModel.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                                    ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
    lib.CVMAPIFreeModel.argtypes = [ctypes.c_void_p]
    lib.CVMAPIInference.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    for name in ("GetInputLength", "GetOutputLength", "GetInputTypeSize", "GetOutputTypeSize",
                 "GetStorageSize", "GetGasFromModel"):
        getattr(lib, "CVMAPI" + name).argtypes = [ctypes.c_void_p, u64p]
    lib.CVMAPIGetGasFromGraphFile.argtypes = [ctypes.c_char_p, u64p]
    return lib


def encode_input(values, size):
    if size == 1:
        return bytes(((v + 128) & 255) ^ 128 for v in values)
    return b"".join(struct.pack("<i", ((v + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)) for v in values)


def run_case(lib, case, device):
    """The verdict of `lib` on `case`, in this process."""
    v = {}
    sym = case.symbol.encode()
    g = ctypes.c_ulonglong(0)
    rc = lib.CVMAPIGetGasFromGraphFile(sym, ctypes.byref(g))
    v["graph_gas"] = [rc, g.value if rc == 0 else None]
    net = ctypes.c_void_p()
    rc = lib.CVMAPILoadModel(sym, len(sym), case.params, len(case.params), ctypes.byref(net), device, 0)
    v["load"] = rc
    if rc != 0:
        return v
    for name in ("GasFromModel", "InputLength", "OutputLength", "InputTypeSize", "OutputTypeSize",
                 "StorageSize"):
        x = ctypes.c_ulonglong(0)
        r = getattr(lib, "CVMAPIGet" + name)(net, ctypes.byref(x))
        v[name] = x.value if r == 0 else ["rc", r]
    size = v["InputTypeSize"] if isinstance(v["InputTypeSize"], int) else 4
    data = encode_input(case.input, size)
    out_len = v["OutputLength"] if isinstance(v["OutputLength"], int) else 0
    if out_len > (1 << 26):
        v["infer"] = "skipped"
        return v
    out = ctypes.create_string_buffer(out_len * 2 + 4096)
    rc = lib.CVMAPIInference(net, data, len(data), out)
    v["infer"] = rc
    if rc == 0:
        v["output"] = hashlib.sha256(out.raw[:out_len]).hexdigest()[:24]
    lib.CVMAPIFreeModel(net)
    return v


def run_isolated(lib, case, device, timeout=20):
    """run_case in a child process: a crash or a hang becomes the verdict."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        signal.alarm(timeout)
        try:
            data = json.dumps(run_case(lib, case, device)).encode()
        except Exception as e:  # noqa: BLE001 - any failure is the verdict
            data = json.dumps({"error": repr(e)}).encode()
        os.write(w, data)
        os._exit(0)
    os.close(w)
    chunks = []
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        chunks.append(b)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return {"crash": "hang" if sig == signal.SIGALRM else signal.Signals(sig).name}
    return json.loads(b"".join(chunks) or b"{}")


def verdicts(lib_path, base_path, only=None, isolate=True):
    """Each case's verdicts; `isolate` runs each in a child process (needed for
    upstream, which crashes on some cases; cvm must never crash, so checking
    it in-process is both faster and stricter)."""
    lib = bind(lib_path)
    run = run_isolated if isolate else run_case
    if not isolate:  # the library's error messages would bury the report
        sys.stdout.flush()
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        try:
            for case in all_cases(base_path):
                if only and not fnmatch.fnmatch(case.id, only):
                    continue
                yield case, {str(d): run(lib, case, d) for d in DEVICES}
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        return
    for case in all_cases(base_path):
        if only and not fnmatch.fnmatch(case.id, only):
            continue
        yield case, {str(d): run(lib, case, d) for d in DEVICES}


# ----------------------------------------------------------------------------
# Errata: which cases may differ


def errata_patterns():
    """(pattern, erratum id, devices, fields) from every "Conformance cases" line of spec/errata:

        **Conformance cases** (device 0; ``infer``, ``output``): ``m11/*``, ``m18/*``

    The parenthesis is optional: "device N" limits the entry to that device, and field names
    limit it to differences in those verdict fields; without them any difference is explained.
    """
    out = []
    line_re = re.compile(r"^\*\*Conformance cases:?\*\*(?: \(([^)]*)\))?:?(.*)$")
    for path in sorted(glob.glob(os.path.join(ROOT, "spec", "errata", "*.rst"))):
        entry = None
        with open(path) as f:
            # A paragraph is one logical line (the list may wrap).
            paragraphs = re.split(r"\n\s*\n", f.read())
            for para in paragraphs:
                m = re.search(r"^(E-[\w-]+):", para, re.M)
                if m:
                    entry = m.group(1)
                m = line_re.match(" ".join(para.split()))
                if not (m and entry):
                    continue
                scope = m.group(1) or ""
                devices = set(re.findall(r"device (\d)", scope)) or {str(d) for d in DEVICES}
                fields = set(re.findall(r"``([^`]+)``", scope))
                for pat in re.findall(r"``([^`]+)``", m.group(2)):
                    out.append((pat, entry, devices, fields))
    return out


def explained(case_id, diff, patterns):
    """The erratum that explains every difference in `diff` ({device: [fields]}), or None."""
    for pat, entry, devices, fields in patterns:
        if not fnmatch.fnmatch(case_id, pat):
            continue
        if all(d in devices and (not fields or set(f) <= fields) for d, f in diff.items()):
            return entry
    return None


def differs(a, b):
    """The fields where the two verdicts of one device differ."""
    keys = sorted(set(a) | set(b))
    return [k for k in keys if a.get(k) != b.get(k)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["record", "check", "count"])
    ap.add_argument("--lib", help="path of the libcvm shared library to run")
    ap.add_argument("--base", default=os.path.join(HERE, "base.jsonl"))
    ap.add_argument("--verdicts", default=os.path.join(HERE, "verdicts.jsonl"))
    ap.add_argument("--out", help="record: where to write the verdicts")
    ap.add_argument("--only", help="fnmatch pattern of case ids to run")
    ap.add_argument("--report", help="check: write every difference here as JSON lines")
    ap.add_argument("--isolate", action="store_true",
                    help="check: run each case in a child process (as record always does)")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    if args.mode == "count":
        print(sum(1 for _ in all_cases(args.base)))
        return 0
    if args.mode == "record":
        with open(args.out, "w") as f:
            for n, (case, v) in enumerate(verdicts(args.lib, args.base, args.only), 1):
                f.write(json.dumps({"id": case.id, "digest": case.digest(), "devices": v},
                                   separators=(",", ":")) + "\n")
                if n % 500 == 0:
                    print(f"{n} cases recorded", file=sys.stderr)
        return 0

    recorded = {}
    with open(args.verdicts) as f:
        for line in f:
            r = json.loads(line)
            recorded[r["id"]] = r
    patterns = errata_patterns()
    total = same = listed = 0
    failures = []
    report = open(args.report, "w") if args.report else None
    for case, v in verdicts(args.lib, args.base, args.only, isolate=args.isolate):
        total += 1
        rec = recorded.get(case.id)
        if rec is None or rec["digest"] != case.digest():
            failures.append(f"{case.id}: not in the record (re-record after changing the cases)")
            continue
        diff = {d: differs(rec["devices"][d], v[d]) for d in v if differs(rec["devices"][d], v[d])}
        if not diff:
            same += 1
            continue
        entry = explained(case.id, diff, patterns)
        if report:
            report.write(json.dumps({"id": case.id, "erratum": entry, "upstream": rec["devices"],
                                     "cvm": v}) + "\n")
        if entry:
            listed += 1
        else:
            failures.append(f"{case.id}: differs in {diff}; upstream {rec['devices']}, cvm {v}")
    for line in failures[:50]:
        print(line)
    if len(failures) > 50:
        print(f"... and {len(failures) - 50} more")
    print(f"conformance: {total} cases, {same} identical to upstream, {listed} different as "
          f"spec/errata lists, {len(failures)} unlisted differences")
    return 1 if failures or total < 3000 and not args.only else 0


if __name__ == "__main__":
    sys.exit(main())
