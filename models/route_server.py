"""Routing in a process of its own: ``python -m models.route_server``.

The editor keeps one such process and sends it what to route, so that routing a big map never
holds the interpreter lock of the window's process (a worker thread would: with the machine
busy, the window then waits for the thread to be scheduled again before it can paint).

Requests on stdin and answers on stdout are pickled objects, each preceded by its size in 8
bytes (big-endian): a request is ``(steps, links)`` for :func:`models.routing.route`, an answer
the :class:`~models.routing.Routing`, or the exception routing raised. The process ends when
its stdin closes (the editor quit or crashed). Pickle is safe here: the only writer is the
editor that started the process.

>>> import io
>>> from models.routing import Link, Step
>>> request = frame(pickle.dumps(([Step("a", 0, 0), Step("b", 300, 0)], [Link("ab", "a", "b")])))
>>> out = io.BytesIO()
>>> serve(io.BytesIO(request), out)
>>> routing = read(io.BytesIO(out.getvalue()))
>>> routing.routes["ab"].points
((85.0, 0.0), (215.0, 0.0))
"""

from __future__ import annotations

import pickle
import sys
from typing import IO, Any

from .routing import route


def frame(data: bytes) -> bytes:
    """``data`` preceded by its size."""
    return len(data).to_bytes(8, "big") + data


def read(stream: IO[bytes]) -> Any:
    """The next object on ``stream``; EOFError when the stream ends."""
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("the stream ended")
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the stream ended in the middle of an object")
    return pickle.loads(data)  # written by the editor that started this process


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """Answer each request until ``requests`` ends."""
    while True:
        try:
            steps, links = read(requests)
        except EOFError:
            return
        try:
            answer: Any = route(steps, links)
        except Exception as error:  # noqa: BLE001 - the editor says it in its status bar
            answer = RuntimeError(f"{type(error).__name__}: {error}")
        answers.write(frame(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)))
        answers.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
