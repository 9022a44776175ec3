"""Routing in a process of its own: ``python -m models.route_server``.

The editor keeps one such process and sends it what to route, so that routing a big map never
holds the interpreter lock of the window's process (a worker thread would: with the machine
busy, the window then waits for the thread to be scheduled again before it can paint).

Requests on stdin and answers on stdout are messages: a head and parts, each a pickled object
preceded by its size in 8 bytes (big-endian). A request's head is how many of its parts are
steps (the rest are links) for :func:`models.routing.route`; an answer's head is the
:class:`~models.route_types.Routing` without its routes (or the exception routing raised), its parts
the routes, ``PART`` at a time: the editor unpickles them one part at a time, so that it never
holds its interpreter lock for long. The process ends when its stdin closes (the editor quit or
crashed). Pickle is safe here: the only writer is the editor that started the process.

>>> import io
>>> from models.route_types import Link, Step
>>> request = io.BytesIO()
>>> send(request, 1, [[Step("a", 0, 0), Step("b", 300, 0)], [Link("ab", "a", "b")]])
>>> out = io.BytesIO()
>>> serve(io.BytesIO(request.getvalue()), out)
>>> routing = answer(io.BytesIO(out.getvalue()))
>>> routing.routes["ab"].points
((85.0, 0.0), (215.0, 0.0))
"""

from __future__ import annotations

import pickle
import sys
from typing import IO, Any

from .routing import route

PART = 250  # routes (or steps, or links) in one part of a message


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
    return pickle.loads(data)  # written by the editor that started this process, or this process


def send(stream: IO[bytes], head: Any, parts: list[list]) -> None:
    """A message: its head and how many parts follow, then each part."""
    stream.write(frame(pickle.dumps((head, len(parts)), protocol=pickle.HIGHEST_PROTOCOL)))
    for part in parts:
        stream.write(frame(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)))
    stream.flush()


def receive(stream: IO[bytes]) -> tuple[Any, list[list]]:
    """A message's head and parts."""
    head, count = read(stream)
    return head, [read(stream) for _ in range(count)]


def parts(items: list) -> list[list]:
    """``items`` cut into parts of ``PART``."""
    return [items[i : i + PART] for i in range(0, len(items), PART)]


def request(stream: IO[bytes], steps: list, links: list) -> None:
    """Ask for the routing of ``steps`` and ``links``."""
    step_parts = parts(steps)
    send(stream, len(step_parts), step_parts + parts(links))


def answer(stream: IO[bytes]) -> Any:
    """The answer to a request: a Routing, or the exception routing raised."""
    head, routes = receive(stream)
    if isinstance(head, Exception):
        return head
    head.routes = {edge_id: found for part in routes for edge_id, found in part}
    return head


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """Answer each request until ``requests`` ends."""
    while True:
        try:
            count, got = receive(requests)
        except EOFError:
            return
        steps = [step for part in got[:count] for step in part]
        links = [link for part in got[count:] for link in part]
        try:
            routing = route(steps, links)
        except Exception as error:  # noqa: BLE001 - the editor says it in its status bar
            send(answers, RuntimeError(f"{type(error).__name__}: {error}"), [])
            continue
        routes, routing.routes = list(routing.routes.items()), {}
        send(answers, routing, parts(routes))


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
