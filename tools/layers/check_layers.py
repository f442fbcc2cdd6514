#!/usr/bin/env python3
"""Checks that every #include of the tree goes down the layers of layers.json.

    check_layers.py ROOT          every violation, one line each; exit 1 if any
    check_layers.py --self-test   runs the check on small made-up trees that
                                  must (and must not) fail, so the check itself
                                  is shown able to fail

A quoted include is resolved as the compiler would for this project: next to
the including file first, then under each include root of layers.json. An
include that resolves to no file of the tree (a system header, a generated
file) is not a layering question and is skipped. Every source file must fall
in a layer: a new top-level folder has to be placed in layers.json first.
"""
import json
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
SKIP_DIRS = {".git", "shared"}


def load_table(path=os.path.join(HERE, "layers.json")):
    with open(path) as f:
        return json.load(f)


def layer_of(rel, table):
    """(layer index, matching prefix) of a repo-relative path, or (None, None)."""
    best = (None, None)
    for i, layer in enumerate(table["layers"]):
        for p in layer["paths"]:
            if rel.startswith(p) and (best[1] is None or len(p) > len(best[1])):
                best = (i, p)
    return best


def separate_group(rel, layer):
    for g in layer.get("separate", []):
        if rel.startswith(g):
            return g
    return None


def sources(root, table):
    for d, dirs, files in os.walk(root):
        rel_d = os.path.relpath(d, root)
        # Build folders (build, build-asan, ...) and hidden folders hold no sources of ours.
        dirs[:] = [x for x in dirs if x not in SKIP_DIRS and not x.startswith((".", "build"))]
        for f in files:
            if os.path.splitext(f)[1] in table["sources"]:
                yield os.path.normpath(os.path.join(rel_d, f))


def resolve(root, rel, name, table):
    here = os.path.dirname(rel)
    for base in [here] + table["include_roots"]:
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def violations(root, table):
    out = []
    for rel in sorted(sources(root, table)):
        li, _ = layer_of(rel, table)
        if li is None:
            out.append(f"{rel}: in no layer of tools/layers/layers.json (place its folder there)")
            continue
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in INCLUDE.finditer(text):
            target = resolve(root, rel, m.group(1), table)
            if target is None:
                continue
            lj, _ = layer_of(target, table)
            line = text.count("\n", 0, m.start()) + 1
            if lj is None:
                out.append(f"{rel}:{line}: includes {target}, which is in no layer")
            elif lj > li:
                out.append(f"{rel}:{line}: includes {target}: layer '{table['layers'][li]['name']}' "
                           f"may not include the higher layer '{table['layers'][lj]['name']}'")
            elif lj == li:
                mine = separate_group(rel, table["layers"][li])
                theirs = separate_group(target, table["layers"][li])
                if mine is not None and theirs is not None and mine != theirs:
                    out.append(f"{rel}:{line}: includes {target}: {mine} and {theirs} are separate "
                               f"in layer '{table['layers'][li]['name']}'")
    return out


def self_test():
    """Made-up trees: one clean, one with each kind of violation."""
    table = load_table()
    cases = {
        "clean": ({"core/a.cc": '#include "cvm/op.h"\n', "include/cvm/op.h": "",
                   "fast/k.cc": '#include "cvm/op.h"\n#include "k.h"\n', "fast/k.h": "",
                   "runtime/p.cc": '#include "fast/k.h"\n#include <vector>\n#include "generated.inc"\n'}, 0),
        "kernel includes runtime": ({"fast/k.cc": '#include "runtime/p.h"\n', "runtime/p.h": ""}, 1),
        "spec includes kernels": ({"reference/r.cc": '#include "fast/k.h"\n', "fast/k.h": ""}, 1),
        "spec header includes runtime header": ({"include/cvm/op.h": '#include "cvm/model.h"\n',
                                                 "include/cvm/model.h": ""}, 1),
        "cuda includes fast": ({"cuda/k.cu": '#include "fast/k.h"\n', "fast/k.h": ""}, 1),
        "folder in no layer": ({"newdir/x.cc": ""}, 1),
    }
    ok = True
    for name, (files, expected) in cases.items():
        with tempfile.TemporaryDirectory() as root:
            for rel, text in files.items():
                os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
                with open(os.path.join(root, rel), "w") as f:
                    f.write(text)
            got = violations(root, table)
        if len(got) != expected:
            ok = False
            print(f"self-test '{name}': expected {expected} violation(s), got {len(got)}: {got}")
    print("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    table = load_table()
    found = violations(argv[1], table)
    for v in found:
        print(v)
    n = sum(1 for _ in sources(argv[1], table))
    print(f"{n} source files, {len(found)} layering violation(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
