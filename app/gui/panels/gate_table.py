"""A step's committee gate in the properties panel: which roles must clear which of their steps.

The method's buying group: an opportunity passes the proposal only when the champion's
technical validation, IT's security review and the CFO's payback check have all cleared.
Each row names a buyer role (one with a purchase process in the map) and the step of that
process it must reach; one undo step per change.
"""

from __future__ import annotations

from app.gui.panels.table_fields import FieldTable


class GateTable(FieldTable):
    headers = ["Role", "Step it must clear"]

    def _roles(self) -> list[tuple[str, str, str]]:
        """(role id, role name, its process id) for every role with a purchase process."""
        doc = self.document.map
        names = {r.id: r.name for r in doc.roles}
        return [(p.role, names[p.role], p.id) for p in doc.processes if p.role in names]

    def _steps(self, process_id: str) -> list[tuple[str, str]]:
        return [
            (n.id, n.label or n.id)
            for n in self.document.map.nodes
            if n.process == process_id and n.kind not in ("entry", "action")
        ]

    def _default_step(self, process_id: str) -> str | None:
        """A role clears where its process is won (its approval), else at its last step."""
        nodes = [n for n in self.document.map.nodes if n.process == process_id]
        won = [n.id for n in nodes if n.kind == "won"]
        steps = self._steps(process_id)
        return won[0] if won else (steps[-1][0] if steps else None)

    def rows(self) -> list[list]:
        roles = self._roles()
        process_of = {role: process for role, _, process in roles}
        role_choices = [(role, name) for role, name, _ in roles]
        node = self.document.get(self.collection, self.item_id)
        return [
            [(role_choices, c.role), (self._steps(process_of.get(c.role, "")), c.step)]
            for c in node.gate
        ]

    def new_row(self) -> list | None:
        node = self.document.get(self.collection, self.item_id)
        taken = {c.role for c in node.gate}
        free = [r for r in self._roles() if r[0] not in taken]
        if not free:
            self.error.setText("Every buyer role with a purchase process is already in this gate.")
            self.error.show()
            return None
        role, _, process = free[0]
        role_choices = [(r, name) for r, name, _ in self._roles()]
        return [(role_choices, role), (self._steps(process), self._default_step(process))]

    def value_from_rows(self) -> dict:
        process_of = {role: process for role, _, process in self._roles()}
        gate = []
        for row in range(self.table.rowCount()):
            role, step = self.cell(row, 0), self.cell(row, 1)
            process = process_of.get(role, "")
            if step not in {s for s, _ in self._steps(process)}:  # the role changed: its own step
                step = self._default_step(process)
            if role and step:
                gate.append({"role": role, "step": step})
        return {"gate": gate}
