"""The public classes of the package cvm, over the extension cvm._cvm."""

import hashlib
import os
from dataclasses import dataclass, field
from typing import Dict, List, NamedTuple, Tuple

from . import _cvm

#: The default memory cap of a model (model_c6): 4 GiB, as the cvm tool.
DEFAULT_MEMORY_CAP = 1 << 32


class TensorInfo(NamedTuple):
    """The static type of a tensor: its shape and declared precision (1..32)."""

    shape: Tuple[int, ...]
    precision: int


@dataclass(frozen=True)
class Node:
    """One node of a model's symbol."""

    index: int
    name: str
    #: The canonical operator name, or ``"variable"`` for data and params.
    op: str
    #: The operator's attributes as written in the symbol (strings).
    attrs: Dict[str, str]
    #: The inputs, as (node index, output index) pairs.
    inputs: Tuple[Tuple[int, int], ...]
    #: The types of the node's outputs (inferred precisions for operators).
    outputs: Tuple[TensorInfo, ...]
    #: The node's gas weight (0 for variables).
    gas_weight: int

    @property
    def is_variable(self) -> bool:
        return self.op == "variable"


class NodeTrace(NamedTuple):
    """An operator node's outputs in one inference (int32 arrays)."""

    node: int
    name: str
    op: str
    outputs: list


@dataclass
class Trace:
    """Every operator node's outputs in execution order, and the output."""

    nodes: List[NodeTrace]
    #: The post-processed output, as Model.run returns it.
    output: object
    backend: str = ""
    _by_name: Dict[str, NodeTrace] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> NodeTrace:
        """The trace of the operator node named `name`."""
        if not self._by_name:
            self._by_name = {n.name: n for n in self.nodes}
        return self._by_name[name]

    def __len__(self) -> int:
        return len(self.nodes)

    def __iter__(self):
        return iter(self.nodes)


def _as_bytes(data, what: str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"cvm: {what} must be bytes or str, not {type(data).__name__}")


class Model:
    """A loaded, validated model. Immutable; safe to share between threads.

    Make one with :func:`cvm.load` (files) or :func:`cvm.from_bytes`.
    """

    def __init__(self, symbol, params, *, memory_cap: int = DEFAULT_MEMORY_CAP):
        """Loads a model from the symbol (graph JSON, bytes or str) and the params bytes."""
        symbol = _as_bytes(symbol, "symbol")
        params = _as_bytes(params, "params")
        self._impl = _cvm.load(symbol, params, int(memory_cap))
        self._symbol_sha256 = hashlib.sha256(symbol).hexdigest()
        self._params_sha256 = hashlib.sha256(params).hexdigest()
        info = self._impl.info()
        self._info = info
        self._nodes = tuple(
            Node(index=n["index"], name=n["name"], op=n["op"], attrs=dict(n["attrs"]),
                 inputs=tuple(tuple(r) for r in n["inputs"]),
                 outputs=tuple(TensorInfo(*t) for t in n["outputs"]),
                 gas_weight=n["gas_weight"])
            for n in info["nodes"])
        self._input = TensorInfo(*info["input"])
        self._outputs = tuple(TensorInfo(*t) for _, t in info["heads"])
        self._heads = tuple(tuple(r) for r, _ in info["heads"])

    @classmethod
    def load(cls, path, params=None, *, memory_cap: int = DEFAULT_MEMORY_CAP) -> "Model":
        """Loads a model from a directory holding ``symbol`` and ``params``,
        or from the two paths ``path`` (the symbol) and ``params``."""
        if params is None:
            symbol_path = os.path.join(path, "symbol")
            params_path = os.path.join(path, "params")
        else:
            symbol_path, params_path = path, params
        with open(symbol_path, "rb") as f:
            symbol = f.read()
        with open(params_path, "rb") as f:
            params_bytes = f.read()
        return cls(symbol, params_bytes, memory_cap=memory_cap)

    # ---- facts -------------------------------------------------------------

    @property
    def version(self) -> str:
        """The symbol's version string (``"cvm_1.0.0"`` when it has none)."""
        return self._info["version"]

    @property
    def postprocess(self) -> str:
        """The symbol's postprocess (``""``, ``"argmax"``, ``"detection"``, ...)."""
        return self._info["postprocess"]

    @property
    def input(self) -> TensorInfo:
        """The type of the input variable ``data``."""
        return self._input

    @property
    def inputs(self) -> Tuple[TensorInfo, ...]:
        """The model's inputs: a model has one, ``data``."""
        return (self._input,)

    @property
    def outputs(self) -> Tuple[TensorInfo, ...]:
        """The types of the heads (before post-processing), in order."""
        return self._outputs

    @property
    def heads(self) -> Tuple[Tuple[int, int], ...]:
        """The heads as (node index, output index) pairs."""
        return self._heads

    @property
    def output_precision(self) -> int:
        """The largest head precision."""
        return self._info["output_precision"]

    @property
    def input_width(self) -> int:
        """Bytes per input element in the C API: 1 or 4."""
        return self._info["input_width"]

    @property
    def output_width(self) -> int:
        """Bytes per output element in the C API: 1 or 4."""
        return self._info["output_width"]

    @property
    def input_length(self) -> int:
        """The C API's input length in bytes."""
        return self._info["input_length"]

    @property
    def output_length(self) -> int:
        """The C API's output length in bytes."""
        return self._info["output_length"]

    @property
    def gas(self) -> int:
        """The gas. Raises LogicError (gas_c1..gas_c3) if the symbol breaks a limit."""
        return self._impl.gas()

    @property
    def storage_size(self) -> int:
        """The storage size in bytes (CVMAPIGetStorageSize)."""
        return self._info["storage_size"]

    @property
    def planned_memory_bytes(self) -> int:
        """The bytes of cvm's memory plan for one inference."""
        return self._info["planned_memory_bytes"]

    @property
    def nodes(self) -> Tuple[Node, ...]:
        """Every node of the symbol, variables included, in order."""
        return self._nodes

    @property
    def symbol_sha256(self) -> str:
        return self._symbol_sha256

    @property
    def params_sha256(self) -> str:
        return self._params_sha256

    def __repr__(self) -> str:
        return (f"<cvm.Model {self.version} input {self._input.shape} p{self._input.precision}, "
                f"{len(self._nodes)} nodes, {len(self._outputs)} heads>")

    # ---- inference ---------------------------------------------------------

    def run(self, x, backend: str = "fast"):
        """Runs one inference and returns the post-processed output (int32 array).

        `x` is an integer array (any NumPy integer dtype, or nested lists) of
        the input's shape; its values are converted exactly (outside int32:
        LogicError py_c1), then saturated to the input precision."""
        return self._impl.run(x, backend, False)

    def run_heads(self, x, backend: str = "fast") -> list:
        """Runs one inference and returns the heads (int32 arrays), before post-processing."""
        return self._impl.run(x, backend, True)

    def trace(self, x, backend: str = "fast") -> Trace:
        """Runs one inference and returns every operator node's outputs."""
        nodes, output = self._impl.trace(x, backend)
        return Trace(nodes=[NodeTrace(i, self._nodes[i].name, self._nodes[i].op, outs)
                            for i, outs in nodes],
                     output=output, backend=backend)

    def prove(self) -> dict:
        """The model's certificate, as ``cvm prove --json`` writes it.

        Keys: ``symbol_sha256``, ``params_sha256``, ``nodes`` (per operator
        node: ``node``, ``name``, ``op``, ``input_precisions``,
        ``output_precisions``, ``intervals`` (per output ``[lo, hi]``, holding
        every value it can take on any input), ``headroom_bits`` (per output,
        the precision bits that interval leaves unused), ``lemmas``,
        ``verdict`` ``"safe"`` or
        ``"UNPROVED"``), ``never_runs`` (``""``, or why every inference fails),
        ``verdict`` (``"certified"`` or ``"not certified"``) and
        ``certified`` (bool). A model that a precision rule rejects (op_c3)
        does not load, so it raises LogicError at load instead."""
        cert = self._impl.certificate()
        return {
            "symbol_sha256": self._symbol_sha256,
            "params_sha256": self._params_sha256,
            "nodes": cert["nodes"],
            "never_runs": cert["never_runs"],
            "verdict": "certified" if cert["certified"] else "not certified",
            "certified": cert["certified"],
        }


def load(path, params=None, *, memory_cap: int = DEFAULT_MEMORY_CAP) -> Model:
    """Loads a model from a directory (``symbol``, ``params``) or two paths."""
    return Model.load(path, params, memory_cap=memory_cap)


def from_bytes(symbol, params, *, memory_cap: int = DEFAULT_MEMORY_CAP) -> Model:
    """Loads a model from the symbol (bytes or str) and the params bytes."""
    return Model(symbol, params, memory_cap=memory_cap)


def symbol_gas(symbol) -> int:
    """The gas of a symbol alone (as CVMAPIGetGasFromGraphFile): validates the
    symbol and the gas limits; params are not needed."""
    return _cvm.symbol_gas(_as_bytes(symbol, "symbol"))


def backends() -> List[str]:
    """The backends usable here: ``"reference"``, ``"fast"``, ``"cuda"`` (when built, with a GPU)."""
    return list(_cvm.backends())


__all__ = ["DEFAULT_MEMORY_CAP", "Model", "Node", "NodeTrace", "TensorInfo", "Trace", "backends",
           "from_bytes", "load", "symbol_gas"]
