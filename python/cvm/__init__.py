"""cvm: deterministic, integer-only neural-network inference (docs/python.rst).

    import cvm, numpy as np
    model = cvm.load("examples/mnist_cnn")          # a directory: symbol, params
    model.input, model.outputs, model.gas            # shapes and precisions, gas
    y = model.run(np.zeros(model.input.shape, np.int8))
    trace = model.trace(x)                           # every node's outputs
    certificate = model.prove()                      # as `cvm prove --json`

Errors are cvm.LogicError (code 1) and cvm.RuntimeFault (code 2), both
cvm.Error with the violated constraint's ``label``.
"""

from ._errors import Error, LogicError, RuntimeFault
from . import _cvm
from ._model import Model, Node, NodeTrace, TensorInfo, Trace, backends, from_bytes, load, symbol_gas

__version__ = _cvm.__version__


def build_info() -> dict:
    """Which cvm this is: version, git commit, compiler, build type, the
    backends compiled in, and the fast backend's instruction-set level here."""
    return dict(_cvm.build_info())


__all__ = [
    "Error", "LogicError", "RuntimeFault", "Model", "Node", "NodeTrace", "TensorInfo", "Trace",
    "backends", "build_info", "from_bytes", "load", "symbol_gas", "__version__",
]
