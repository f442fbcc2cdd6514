"""The attribute block of an operator page: one schema per operator.

Every page spec/ops/<op>.rst declares its attributes once, in a
``.. cvm-attributes::`` block under its "Attributes" heading::

   .. cvm-attributes::

      channels
         :type: int
         :default: required
         :range: :math:`[1,\\ 2^{31}-1]`
         :syntax: decimal int, e.g. ``"16"``

One entry per attribute, in upstream's declaration order (the order phase 1
names a missing required key in). An entry is the key on a line of its own,
then its fields, one per line, indented below it; a field's text may go on
over further lines indented deeper still. The fields:

  type         the value grammar, a name of spec/common.rst's grammar table:
               int, bool, string, shape, tuple, optional, dtype, out_dtype
  default      "required", or the value a node that leaves the key out gets,
               written as a node would write it ("(1, 1)", "true", "NCHW")
  range        the values the operator accepts (reStructuredText, for the reader)
  syntax       how the value is written (reStructuredText, for the reader)
  lower_bound  optional: a bound upstream's parser itself enforces (phase 1)
  label        optional: the op's label raised instead of attr_c4 for that
               bound or, without a bound, instead of attr_c3 for the grammar

An empty block means the operator takes no attributes: upstream registers no
parser for it and any key at all is attr_c0.

Read by: tools/attrs/attr_schema.py (the C++ schema the validator and the
parse functions read, and the fuzzer dictionary) and docs/_ext/cvmspec.py
(the table on the page). Nothing else keeps a copy.
"""
import re

TYPES = ("int", "bool", "string", "shape", "tuple", "optional", "dtype", "out_dtype")
FIELDS = ("type", "default", "range", "syntax", "lower_bound", "label")
REQUIRED_FIELDS = ("type", "default", "range", "syntax")
DIRECTIVE = ".. cvm-attributes::"

_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")
_FIELD = re.compile(r"^:([a-z_]+):\s*(.*)$")
_LABEL = re.compile(r"^[a-z0-9_]+_c[0-9]+$")


class BlockError(ValueError):
    """A malformed attribute block; the message says where."""


def parse_block(lines, where="attribute block"):
    """Parses the dedented content lines of one block into a list of dicts
    (key, type, default, required, range, syntax, lower_bound, label)."""
    entries = []
    field = None
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip()
        if not line.strip():
            field = None
            continue
        indent = len(line) - len(line.lstrip(" "))
        text = line.strip()
        at = "%s, line %d" % (where, n)
        if indent == 0:
            if not _KEY.match(text):
                raise BlockError("%s: '%s' is not an attribute key" % (at, text))
            if any(e["key"] == text for e in entries):
                raise BlockError("%s: attribute '%s' is declared twice" % (at, text))
            entries.append({"key": text})
            field = None
        elif not entries:
            raise BlockError("%s: a field before the first attribute key" % at)
        elif _FIELD.match(text) and indent <= 3:
            name, value = _FIELD.match(text).groups()
            if name not in FIELDS:
                raise BlockError("%s: unknown field ':%s:' (fields: %s)" % (at, name, ", ".join(FIELDS)))
            if name in entries[-1]:
                raise BlockError("%s: field ':%s:' given twice" % (at, name))
            entries[-1][name] = value
            field = name
        elif field is not None and indent > 3:
            entries[-1][field] = (entries[-1][field] + " " + text).strip()
        else:
            raise BlockError("%s: expected ':field: value' or a continuation: '%s'" % (at, text))
    for e in entries:
        at = "%s, attribute '%s'" % (where, e["key"])
        for name in REQUIRED_FIELDS:
            if not e.get(name):
                raise BlockError("%s: no ':%s:' field" % (at, name))
        if e["type"] not in TYPES:
            raise BlockError("%s: type '%s' is not one of %s" % (at, e["type"], ", ".join(TYPES)))
        e["required"] = e["default"] == "required"
        if e["required"]:
            e["default"] = None
        if "lower_bound" in e:
            if not re.match(r"^-?[0-9]+$", e["lower_bound"]):
                raise BlockError("%s: lower_bound '%s' is not an integer" % (at, e["lower_bound"]))
            e["lower_bound"] = int(e["lower_bound"])
        else:
            e["lower_bound"] = None
        if e.get("label") and not _LABEL.match(e["label"]):
            raise BlockError("%s: label '%s' is not an <op>_cN label" % (at, e["label"]))
        e.setdefault("label", "")
    return entries


def page_block(path):
    """The entries of the one attribute block of the page at `path`."""
    with open(path) as f:
        lines = f.read().split("\n")
    starts = [i for i, l in enumerate(lines) if l.strip() == DIRECTIVE]
    if len(starts) != 1:
        raise BlockError("%s: %d '%s' blocks, expected exactly one" % (path, len(starts), DIRECTIVE))
    body = []
    for line in lines[starts[0] + 1:]:
        if line.strip() and not line.startswith("   "):
            break
        body.append(line[3:])
    return parse_block(body, "%s (block at line %d)" % (path, starts[0] + 1))


def self_test():
    """Blocks that must parse and blocks that must be refused, each with the
    reason in its message; returns the number of failures."""
    good = ["a", "   :type: int", "   :default: 1", "   :range: any", "      int32", "   :syntax: decimal",
            "   :lower_bound: 1", "   :label: op_c1", "", "b", "   :type: shape", "   :default: required",
            "   :range: r", "   :syntax: s"]
    bad = {
        "not an attribute key": ["A-b", "   :type: int"],
        "no ':syntax:' field": ["a", "   :type: int", "   :default: 1", "   :range: r"],
        "is not one of": ["a", "   :type: float", "   :default: 1", "   :range: r", "   :syntax: s"],
        "unknown field": ["a", "   :kind: int"],
        "declared twice": ["a", "   :type: int", "   :default: 1", "   :range: r", "   :syntax: s", "a"],
        "given twice": ["a", "   :type: int", "   :type: int"],
        "not an integer": ["a", "   :type: int", "   :default: 1", "   :range: r", "   :syntax: s", "   :lower_bound: x"],
        "not an <op>_cN label": ["a", "   :type: int", "   :default: 1", "   :range: r", "   :syntax: s", "   :label: x"],
        "before the first attribute key": ["   :type: int"],
    }
    failures = 0
    entries = parse_block(good)
    want = [("a", "int", "1", False, 1, "op_c1", "any int32"), ("b", "shape", None, True, None, "", "r")]
    got = [(e["key"], e["type"], e["default"], e["required"], e["lower_bound"], e["label"], e["range"]) for e in entries]
    if got != want:
        print("FAIL good block: %s" % got)
        failures += 1
    for reason, lines in bad.items():
        try:
            parse_block(lines)
            print("FAIL accepted a block with %s" % reason)
            failures += 1
        except BlockError as e:
            if reason not in str(e):
                print("FAIL '%s' refused for another reason: %s" % (reason, e))
                failures += 1
    print("attr_block self-test: %d good, %d bad blocks, %d failures" % (1, len(bad), failures))
    return failures


if __name__ == "__main__":
    import sys

    sys.exit(1 if self_test() else 0)
