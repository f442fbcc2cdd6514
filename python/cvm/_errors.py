"""The exceptions of cvm: every failure of the runtime is one of two classes.

``LogicError`` (code 1, the C API's ``ERROR_LOGIC``): the model, an argument
or the input is invalid - the caller's fault. ``RuntimeFault`` (code 2, the C
API's ``ERROR_RUNTIME``): the environment or cvm itself failed, or upstream
classifies the fault as a runtime error (malformed JSON, an unknown backend,
...). Both carry ``label``, the violated constraint of the specification
(``"conv2d_c11"``, ``"graph_c1"``, ``"infer_c1"``...).
"""


class Error(Exception):
    """Base class of cvm's errors.

    Attributes:
        label: the violated constraint, e.g. ``"conv2d_c11"``.
        code: 1 for a logic error, 2 for a runtime error (the C API's codes).
        message: the full message, ``"<label>: <detail>"`` (also ``str(e)``).
    """

    code = 0

    def __init__(self, message, label=""):
        super().__init__(message)
        self.message = message
        self.label = label

    def __reduce__(self):
        return (type(self), (self.message, self.label))


class LogicError(Error, ValueError):
    """The model, an argument or the input is invalid (code 1). Also a ValueError."""

    code = 1


class RuntimeFault(Error, RuntimeError):
    """A runtime error (code 2): named so as not to shadow the builtin
    RuntimeError, of which it is a subclass."""

    code = 2
