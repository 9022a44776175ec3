"""Connecting a slot to one of the document's signals (psygnal) without inspecting it.

psygnal reads a slot's signature on every ``connect`` to learn how many arguments it takes:
about 40 µs a connection, and opening a canvas makes about twenty (a tenth of opening the
enterprise template's buying-group page). Every slot here takes all the arguments its signal
emits, so the count is the signal's own.

>>> from psygnal import Signal
>>> class Doc:
...     item_added = Signal(str, object, int)
>>> doc, seen = Doc(), []
>>> connect(doc.item_added, lambda collection, item, index: seen.append((collection, index)))
>>> doc.item_added.emit("nodes", None, 3)
>>> seen
[('nodes', 3)]
"""

from __future__ import annotations

from collections.abc import Callable

from psygnal import SignalInstance


def connect(signal, slot: Callable) -> None:
    """``signal.connect(slot)``; a psygnal signal passes the slot all its arguments unchecked
    (a slot taking fewer fails when the signal is emitted, not when it is connected)."""
    if isinstance(signal, SignalInstance):
        signal.connect(slot, max_args=len(signal.signature.parameters))
    else:  # a Qt signal
        signal.connect(slot)
