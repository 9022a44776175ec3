"""The errors of the connection rules (:mod:`models.connect`): one class per rule, each an
:class:`~models.errors.EditError` whose ``code`` names the rule it breaks.

The rules themselves, and the table of what each code means, are in :mod:`models.connect`.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from .errors import EditError

ConnectRule = Literal[
    "missing-node",
    "self-loop",
    "duplicate-edge",
    "crosses-processes",
    "leaves-outcome",
    "message-within",
    "message-end",
]
"""The code of each connection rule, as :attr:`ConnectError.code` gives it."""


class ConnectError(EditError):
    """A connection the rules refuse. ``code`` names the rule; ``str()`` is one plain sentence.

    ``message`` says what is wrong and ``hint`` what to do (a file's located message
    shows them as two sentences); ``end`` is the edge field a file's message points
    at (``"source"``, ``"target"`` or None for the whole edge).
    """

    code: ClassVar[ConnectRule]

    def __init__(
        self,
        message: str,
        hint: str,
        source: str,
        target: str,
        kind: str,
        *,
        end: Literal["source", "target"] | None = None,
    ) -> None:
        self.message = message
        self.hint = hint
        self.source = source
        self.target = target
        self.kind = kind
        self.end = end
        super().__init__(f"{message}; {hint[:1].lower()}{hint[1:]}")


class MissingNodeError(ConnectError):
    """The source or the target (``end``) is not a node of the map."""

    code = "missing-node"


class SelfLoopError(ConnectError):
    """The edge would start and end at the same node."""

    code = "self-loop"


class DuplicateEdgeError(ConnectError):
    """An edge of the same kind already joins the same two nodes (its id is ``existing``)."""

    code = "duplicate-edge"
    existing: str = ""


class CrossProcessError(ConnectError):
    """A flow or recycle edge between two processes (only addresses and message edges cross)."""

    code = "crosses-processes"


class OutcomeExitError(ConnectError):
    """A flow or recycle edge leaving a won or lost outcome."""

    code = "leaves-outcome"


class MessageWithinProcessError(ConnectError):
    """A message edge between two steps of one process (a message goes to another process)."""

    code = "message-within"


class MessageEndError(ConnectError):
    """A message edge leaving a decision or an entry, or reaching a decision or an outcome."""

    code = "message-end"
