"""Sphinx extension for the cvm specification.

Directives:
  cvm-example   renders an operator case (the JSON the test suite runs) as a
                table of attributes, inputs and expected outputs.
  cvm-op-table  renders the operator registry spec/ops.json as a status grid;
                each status column is derived from the files in the repository.
  cvm-op-files  renders spec/op_files.json, the files every operator needs
                (the list oracle/coverage_test.cc checks for every op).
  cvm-layers    renders tools/layers/layers.json, the source layers that
                tools/layers/check_layers.py (ctest `layers`) enforces.
  cvm-attributes renders an operator page's attribute block (its one schema,
                tools/attrs/attr_block.py) as the page's attribute table.
"""
import json
import os
import sys

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList


def _tensor_cell(t):
    data = ", ".join(str(v) for v in t["data"])
    return "shape ``%s``, precision %d: ``[%s]``" % (tuple(t["shape"]), t["precision"], data)


def _list_table(rows, header, widths):
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: " + " ".join(map(str, widths)), ""]
    for row in [header] + rows:
        lines.append("   * - " + (row[0] or " "))
        for cell in row[1:]:
            lines.append("     - " + (cell or " "))
    return lines


class CvmExample(Directive):
    has_content = True
    option_spec = {"caption": str}

    def run(self):
        text = "\n".join(self.content)
        try:
            case = json.loads(text)
        except ValueError as e:
            raise self.error("cvm-example: invalid JSON: %s" % e)
        rows = []
        if "op" in case:
            rows.append(["operator", "``%s``" % case["op"]])
        attrs = case.get("attrs", {})
        rows.append(["attributes", ", ".join("``%s = %s``" % kv for kv in attrs.items()) or "none"])
        for i, t in enumerate(case.get("inputs", [])):
            rows.append(["input ``%s``" % t.get("name", i), _tensor_cell(t)])
        if "error" in case:
            err = case["error"]
            rows.append(["result", "rejected: %s error ``%s``" % (err["class"], err["label"])])
        for i, t in enumerate(case.get("outputs", [])):
            rows.append(["output ``%s``" % t.get("name", i), _tensor_cell(t)])
        if "gas_weight" in case:
            rows.append(["gas weight", str(case["gas_weight"])])
        lines = _list_table(rows, ["", "example"], [20, 80])
        container = nodes.container(classes=["cvm-example"])
        self.state.nested_parse(StringList(lines, source="cvm-example"), self.content_offset, container)
        return [container]


def _exists(root, *parts):
    return os.path.exists(os.path.join(root, *parts))


def _any_file(root, folder, op):
    base = os.path.join(root, folder)
    if not os.path.isdir(base):
        return False
    for _, _, files in os.walk(base):
        for f in files:
            stem = f.split(".")[0]
            if stem == op or stem.startswith(op + "__") or stem == op + "_fuzz":
                return True
    return False


class CvmOpTable(Directive):
    has_content = False

    def run(self):
        env = self.state.document.settings.env
        root = env.config.cvm_source_root
        if not root or not _exists(root, "spec", "ops.json"):
            raise self.error("cvm-op-table: cvm_source_root is not set to the repository")
        with open(os.path.join(root, "spec", "ops.json")) as f:
            table = json.load(f)
        env.note_dependency(os.path.join(root, "spec", "ops.json"))
        yes, no = "yes", "--"
        rows = []
        for op in table["ops"]:
            name = op["name"]
            ref_path = os.path.join(root, "reference", name + ".cc")
            ref = os.path.exists(ref_path) and "STUB" not in open(ref_path).read()
            rows.append([
                ":ref:`%s <op-%s>`" % (name, name),
                op["family"],
                ", ".join("``%s``" % i for i in op["inputs"]),
                yes if _exists(root, "spec", "ops", name + ".rst") else no,
                yes if ref else no,
                yes if _any_file(root, "fast", name) else no,
                yes if _any_file(root, "cuda", name) else no,
                yes if _any_file(root, "proofs", name) else no,
                yes if _any_file(root, "fuzz", name) else no,
                ":ref:`yes <errata-%s>`" % name if _exists(root, "spec", "errata", name + ".rst") else no,
            ])
        header = ["op", "family", "inputs", "spec", "reference", "fast", "cuda", "proof", "fuzz", "errata"]
        lines = _list_table(rows, header, [16, 10, 14, 7, 9, 7, 7, 7, 7, 9])
        container = nodes.container(classes=["cvm-op-table"])
        self.state.nested_parse(StringList(lines, source="cvm-op-table"), self.content_offset, container)
        return [container]


class CvmLemmaTable(Directive):
    """The lemma results written by cvm_prove_lemmas --json (lemmas.json beside the sources)."""

    has_content = False

    def run(self):
        env = self.state.document.settings.env
        path = os.path.join(env.srcdir, "lemmas.json")
        if not os.path.exists(path):
            raise self.error("cvm-lemma-table: %s is missing (the docs target writes it)" % path)
        env.note_dependency(path)
        with open(path) as f:
            results = json.load(f)
        rows = []
        for r in results:
            verdict = r["status"] + ("" if r["ok"] else " (FAILED)")
            if r["negative_control"] and r["counterexample"]:
                verdict += ": ``%s``" % r["counterexample"]
            # The statement as math (Goal::math, LaTeX) where the goal has one; the plain
            # text (|x| and * used freely) as a literal otherwise.
            math = r.get("math", "")
            if math:
                statement = ":math:`%s`" % math.replace("`", "'")
            else:
                statement = "``%s``" % r["statement"].replace("`", "'")
            rows.append(["``%s``" % r["label"], statement,
                         "negative control" if r["negative_control"] else "bound",
                         verdict, "%.2f s" % r["seconds"]])
        lines = _list_table(rows, ["goal", "statement", "kind", "verdict", "solver time"],
                            [22, 38, 12, 20, 8])
        container = nodes.container(classes=["cvm-lemma-table"])
        self.state.nested_parse(StringList(lines, source="cvm-lemma-table"), self.content_offset, container)
        return [container]


class CvmOpFiles(Directive):
    """spec/op_files.json as a table: file, when it is needed, what it holds, what is checked."""

    has_content = False
    NEED = {"every": "every op", "attributes": "ops with attributes", "optional": "where it applies"}

    def run(self):
        env = self.state.document.settings.env
        root = env.config.cvm_source_root
        if not root or not _exists(root, "spec", "op_files.json"):
            raise self.error("cvm-op-files: cvm_source_root is not set to the repository")
        path = os.path.join(root, "spec", "op_files.json")
        env.note_dependency(path)
        with open(path) as f:
            files = json.load(f)["files"]
        rows = []
        for row in files:
            if row["check"] == "mentions":
                check = "contains ``%s``" % row["text"]
            else:
                check = "exists"
            rows.append(["``%s``" % row["path"], self.NEED[row["need"]], row["holds"].replace("*", "\\*"), check])
        lines = _list_table(rows, ["file", "needed by", "what it holds", "checked"], [24, 12, 44, 20])
        container = nodes.container(classes=["cvm-op-files"])
        self.state.nested_parse(StringList(lines, source="cvm-op-files"), self.content_offset, container)
        return [container]


class CvmLayers(Directive):
    """tools/layers/layers.json as a table: layer, what it holds, its folders and headers."""

    has_content = False

    def run(self):
        env = self.state.document.settings.env
        root = env.config.cvm_source_root
        if not root or not _exists(root, "tools", "layers", "layers.json"):
            raise self.error("cvm-layers: cvm_source_root is not set to the repository")
        path = os.path.join(root, "tools", "layers", "layers.json")
        env.note_dependency(path)
        with open(path) as f:
            layers = json.load(f)["layers"]
        rows = []
        for i, layer in enumerate(layers):
            paths = ", ".join("``%s``" % p for p in layer["paths"])
            if layer.get("separate"):
                paths += " (%s: apart from each other)" % ", ".join("``%s``" % p for p in layer["separate"])
            rows.append(["%d. %s" % (i, layer["name"]), layer["what"], paths])
        lines = _list_table(rows, ["layer", "what it holds", "paths"], [12, 40, 48])
        container = nodes.container(classes=["cvm-layers"])
        self.state.nested_parse(StringList(lines, source="cvm-layers"), self.content_offset, container)
        return [container]


class CvmAttributes(Directive):
    """An operator's attribute block as a table; the block is parsed by the
    same code that generates the C++ schema, so the table and the validator
    cannot differ."""

    has_content = True
    TYPE_TEXT = {
        "int": "int32",
        "bool": "bool",
        "string": "string",
        "shape": "tuple of int64",
        "tuple": "tuple of int32",
        "optional": "``None`` or int32",
        "dtype": "dtype name",
        "out_dtype": "``same`` or dtype name",
    }

    def run(self):
        env = self.state.document.settings.env
        root = env.config.cvm_source_root
        if not root or not _exists(root, "tools", "attrs", "attr_block.py"):
            raise self.error("cvm-attributes: cvm_source_root is not set to the repository")
        sys.path.insert(0, os.path.join(root, "tools", "attrs"))
        import attr_block

        try:
            entries = attr_block.parse_block(list(self.content), env.docname)
        except attr_block.BlockError as e:
            raise self.error("cvm-attributes: %s" % e)
        op = os.path.basename(env.docname)
        if not entries:
            text = ("None. ``%s`` reads no attributes: any key, a hidden one too, is rejected "
                    "(``attr_c0``, a logic error; :ref:`common-constraints`)." % op)
            lines = [text]
        else:
            rows = []
            for e in entries:
                default = "required" if e["required"] else "``%s``" % e["default"]
                notes = []
                if e["lower_bound"] is not None:
                    notes.append("the parser requires :math:`\\ge %d` (``%s``)" % (e["lower_bound"], e["label"] or "attr_c4"))
                elif e["label"]:
                    notes.append("a value outside the grammar is ``%s``" % e["label"])
                allowed = e["range"] + ("; " + "; ".join(notes) if notes else "")
                rows.append(["``%s``" % e["key"], self.TYPE_TEXT[e["type"]], default, allowed, e["syntax"]])
            lines = _list_table(rows, ["Name", "Type", "Default", "Allowed range", "String syntax"], [15, 10, 12, 33, 30])
        container = nodes.container(classes=["cvm-attributes"])
        self.state.nested_parse(StringList(lines, source="cvm-attributes"), self.content_offset, container)
        return [container]


def setup(app):
    app.add_config_value("cvm_source_root", "", "env")
    app.add_directive("cvm-example", CvmExample)
    app.add_directive("cvm-op-table", CvmOpTable)
    app.add_directive("cvm-lemma-table", CvmLemmaTable)
    app.add_directive("cvm-op-files", CvmOpFiles)
    app.add_directive("cvm-layers", CvmLayers)
    app.add_directive("cvm-attributes", CvmAttributes)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
