"""Connections routed around the steps, off the UI thread, once edits settle.

A mixin of :class:`~app.gui.canvas.scene.MapScene` (``self`` is the scene). Any change that
moves a step or changes a connection (an edit, a drag, undo, the simulation's flow drawn or
hidden) asks for routing again: a short timer restarts at each change, and when the edits
settle :func:`models.routing.route` runs on a copy of where the steps are, in the routing
process (:mod:`~app.gui.canvas.routing_process`) while a worker of the pool waits for it.
Meanwhile the connections that changed are drawn straight. An answer for positions that have
changed since is dropped (each request has a generation number); the next one is on its way.
"""

from __future__ import annotations

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QFont, QFontMetricsF

from app.gui.canvas.geometry import shape_code
from app.gui.canvas.routing_process import ROUTER
from app.gui.canvas.stub_item import STUB_HEIGHT, STUB_TOP
from app.gui.common.shapes import NODE_HEIGHT
from app.gui.common.worker import Job
from models.route_types import Link, Routing, Step
from models.routing import route
from models.signals import connect

ROUTE_DELAY = 150  # ms without a change before routing starts: edits have settled
OVERLAY_ROOM = 16.0  # the simulation's line under a step ("1,234 in · 12 drop")
_running: set[Job] = set()  # jobs are kept alive until they report, whatever became of the scene


class SceneRouting:
    """Asks for routes when the diagram changes and draws them when they are still current."""

    def _init_routing(self) -> None:
        self._route_generation = 0
        self._drawn_generation = -1  # the generation whose routes are drawn
        self._route_job: Job | None = None
        self._route_note = ""
        self.last_routing: Routing | None = None  # what the router said last (tests read it)
        self._route_timer = QTimer(self)
        self._route_timer.setSingleShot(True)
        self._route_timer.setInterval(ROUTE_DELAY)
        self._route_timer.timeout.connect(self._start_routing)
        self.built.connect(self.schedule_routing)
        doc = self.document
        for signal in (doc.item_added, doc.item_removed):
            self._subscriptions.append((signal, self._routing_follows))
            connect(signal, self._routing_follows)
        self._subscriptions.append((doc.item_changed, self._routing_follows_change))
        connect(doc.item_changed, self._routing_follows_change)
        # a step moved (one without connections too: it may now stand on another's route)
        moved = doc.group_positions_changed if self.group_page else doc.positions_changed
        self._subscriptions.append((moved, self._routing_follows_moves))
        connect(moved, self._routing_follows_moves)
        self._subscriptions.append((self.derived.overlay_changed, self.schedule_routing))
        connect(self.derived.overlay_changed, self.schedule_routing)

    def _routing_follows(self, collection: str, *args) -> None:
        if collection in ("nodes", "edges"):
            self.schedule_routing()

    def _routing_follows_moves(self, moves: dict) -> None:
        if any(node_id in self._nodes for node_id in moves):
            self.schedule_routing()

    def _routing_follows_change(self, collection: str, item, old: dict) -> None:
        """A connection changed (its label's width, its ends), or a step its shape: route again.
        A step's text, team or stage changes nothing the router sees."""
        if collection == "edges" or (collection == "nodes" and {"kind", "process"} & set(old)):
            self.schedule_routing()

    def schedule_routing(self) -> None:
        """Something moved or changed: what is being routed is stale; route again once settled."""
        self._route_generation += 1
        if self._route_job is not None:
            self._route_job.cancel()
            self._route_job = None
        if self._subscriptions:  # not for a scene whose tab has closed
            self._route_timer.start()

    def stop_routing(self) -> None:
        """The tab closed: drop what is under way."""
        self._route_generation += 1
        self._route_timer.stop()
        if self._route_job is not None:
            self._route_job.cancel()
            self._route_job = None

    def _start_routing(self) -> None:
        if self.building:
            return  # the build's end asks again
        steps, links = self._routing_input()
        generation = self._route_generation
        job = Job(lambda progress, cancelled: (generation, _route(steps, links, cancelled)))
        job.signals.done.connect(self._on_routed)  # a slot of the scene: gone with the scene
        job.signals.done.connect(lambda _answer, job=job: _running.discard(job))
        _running.add(job)
        self._route_job = job
        QThreadPool.globalInstance().start(job)

    def _routing_input(self) -> tuple[list[Step], list[Link]]:
        """Where the steps are now and which connections join them, as plain data."""
        stubs: dict[str, int] = {}
        for stub in self._stubs.values():
            parent = stub.parentItem()
            if parent is not None:
                stubs[parent.node_id] = stubs.get(parent.node_id, 0) + 1
        steps = []
        for node_id, item in self._nodes.items():
            point = item.pos()
            below = OVERLAY_ROOM if item.overlay else 0.0
            if node_id in stubs:
                below = STUB_TOP - NODE_HEIGHT / 2 + stubs[node_id] * (STUB_HEIGHT + 3)
            steps.append(Step(node_id, point.x(), point.y(), shape_code(item.kind), below))
        links = [
            Link(
                line.edge_id,
                line.source.node_id,
                line.target.node_id,
                label_size(line.text) if line.text else None,
            )
            for line in self._edges.values()
        ]
        return steps, links

    def route_now(self) -> None:
        """Draw routes for where the steps are now, in this thread, unless they are drawn
        already: a picture or a page is never made with the straight lines of the meantime."""
        if self.building or self._drawn_generation == self._route_generation:
            return
        self._route_timer.stop()
        if self._route_job is not None:
            self._route_job.cancel()
            self._route_job = None
        steps, links = self._routing_input()
        self._on_routed((self._route_generation, _route(steps, links, lambda: False, here=True)))

    def _on_routed(self, answer) -> None:
        generation, routing = answer
        if generation != self._route_generation or routing is None:
            return  # made for positions that have changed since, or given up for them
        self._route_job = None
        self._drawn_generation = generation
        if isinstance(routing, Exception):
            self.status_message.emit(f"Connections are drawn straight: routing failed ({routing}).")
            self.routed.emit()
            return
        self.last_routing = routing
        self.edge_layer.set_routes(routing.routes)
        if routing.note != self._route_note:
            self._route_note = routing.note
            if routing.note:
                self.status_message.emit(routing.note)
        self.routed.emit()


def _route(
    steps: list[Step], links: list[Link], cancelled, here: bool = False
) -> Routing | Exception | None:
    """The routes, or what went wrong (said in the status bar, lines stay straight); made by the
    routing process while a worker waits for it, or ``here`` in the calling thread."""
    try:
        if here:
            return route(steps, links, cancelled=cancelled)
        return ROUTER.route(steps, links, cancelled)
    except Exception as error:  # noqa: BLE001 - the canvas keeps straight lines and says why
        return error


_SIZES: dict[str, tuple[float, float]] = {}


def label_size(text: str) -> tuple[float, float]:
    """A connection label's size as the edge layer paints it (11 px type, 4 px either side)."""
    size = _SIZES.get(text)
    if size is None:
        if len(_SIZES) > 4096:
            _SIZES.clear()
        font = QFont()
        font.setPixelSize(11)
        size = _SIZES[text] = (QFontMetricsF(font).horizontalAdvance(text) + 8, 18.0)
    return size
