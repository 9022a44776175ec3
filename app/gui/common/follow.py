"""Panels follow the document's change signals (psygnal), and stop when they are destroyed.

>>> from psygnal import Signal
>>> class Doc:
...     changed = Signal()
>>> doc, seen = Doc(), []
>>> stop = follow(None, [(doc.changed, lambda: seen.append(1))])
>>> doc.changed.emit(); stop(); doc.changed.emit()
>>> seen
[1]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from models.signals import connect


def follow(owner, subscriptions: Iterable[tuple]) -> Callable[[], None]:
    """Connect each (signal, slot); disconnect them all when ``owner`` (a QObject) is destroyed.

    Returns the function that disconnects, for owners that stop following earlier.
    """
    connected = list(subscriptions)
    for signal, slot in connected:
        connect(signal, slot)

    def stop(*_) -> None:
        while connected:
            signal, slot = connected.pop()
            signal.disconnect(slot)

    if owner is not None:
        owner.destroyed.connect(stop)
    return stop
