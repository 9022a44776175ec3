"""What the model refuses is said in the project's words wherever a user meets it: a list over
its maximum and a fraction where a whole number belongs, in the editor's Properties, in CSV and
XLSX imports and in a map file; never pydantic's "List should have at most 1000 items after
validation" or "Input should be a valid integer"."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError

from app.cli import main
from exporters.tables import generate_xlsx
from models import EditError, MapDocument
from models.document import SLA, Criteria, JourneyMap, Node, Team
from models.errors import plain_validation_message
from models.storage import dumps_map

GATE = [{"role": "buyer", "step": "signed"}] * 1200
PYDANTIC_WORDS = ("should have at most", "valid integer", "after validation", "Input should")


def _said(make) -> str:
    with pytest.raises(ValidationError) as caught:
        make()
    return plain_validation_message(caught.value)


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (
            lambda: Node(id="n", process="p", gate=GATE),
            "a committee gate may have at most 1,000 roles; this one has 1,200; remove some roles",
        ),
        (
            lambda: Team.model_validate({"id": "t", "name": "T", "headcount": 3.0}, strict=True),
            "the headcount must be a whole number, not 3.0; write 3",
        ),
        (
            lambda: Team(id="t", name="T", headcount=3.5),
            "the headcount must be a whole number, not 3.5; write a whole number such as 3",
        ),
        (
            lambda: SLA(id="s", name="S", from_team="a", to_team="b", attempts="many"),
            'the number of attempts must be a whole number, not the text "many"; '
            "write a whole number",
        ),
        (
            lambda: Criteria(id="c", name="C", threshold_answers=-1),
            "the minimum number of positive answers must be at least 0, not -1; "
            "use a number in that range",
        ),
        (
            lambda: Node(id="n", process="p", volume="lots"),
            'the volume must be a number, not the text "lots"; write a number',
        ),
        (
            lambda: Node.model_validate({"id": "n", "process": "p", "volume": "12"}, strict=True),
            'the volume must be a number, not the text "12"; write it without quotes',
        ),
        (
            lambda: Node(id="n", process="p", kind="meeting"),
            "the kind must be one of 'entry', ",
        ),
        (lambda: Team.model_validate({"id": "t"}), "the name is missing; add it"),
        (
            lambda: Team.model_validate({"id": "t", "name": "T", "size": 3}),
            'there is no field "size" here; remove it or fix its spelling',
        ),
        (
            lambda: Team(id="9t", name="T"),
            "the id must start with a letter or _ and hold only letters, digits and _ . - "
            '(at most 80), not the text "9t"; fix the id',
        ),
        (
            lambda: JourneyMap.model_validate(
                {"scenarios": [{"id": "s", "name": "S", "headcount": {"sales": 2.5}}]}
            ),
            "the headcount must be a whole number, not 2.5",
        ),
    ],
)
def test_each_kind_of_refusal_in_plain_words(make, said):
    message = _said(make)
    assert message.startswith(said)
    assert not any(words in message for words in PYDANTIC_WORDS)


# --- the editor's Properties ---------------------------------------------------------------------


def test_the_editor_refuses_a_long_gate_and_a_fractional_headcount_in_words(small_map):
    doc = MapDocument(small_map)
    with pytest.raises(EditError) as caught:
        doc.update("nodes", "fit", gate=GATE)
    assert str(caught.value) == (
        "gate: a committee gate may have at most 1,000 roles; this one has 1,200; remove some roles"
    )
    with pytest.raises(EditError) as caught:
        doc.update("teams", "sdr", headcount=2.5)
    assert str(caught.value) == (
        "headcount: the headcount must be a whole number, not 2.5; write a whole number such as 3"
    )
    assert doc.map == small_map  # nothing changed


# --- imports on the command line -----------------------------------------------------------------


def _gate_cell() -> str:
    return "; ".join(f"{c['role']}: {c['step']}" for c in GATE)


def test_a_csv_register_with_a_long_gate_is_refused_in_words(tmp_path, small_map, capsys):
    source, register = tmp_path / "map.json", tmp_path / "book.csv"
    source.write_text(dumps_map(small_map), encoding="utf-8")
    assert main(["export", str(source), "-f", "csv", "-o", str(register)]) == 0
    with register.open(encoding="utf-8", newline="") as source_file:
        rows = list(csv.reader(source_file))
    column = rows[0].index("committee gate")
    row = next(i for i, r in enumerate(rows) if "fit" in r)
    rows[row][column] = _gate_cell()
    with register.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    assert main(["import", str(register), "-o", str(tmp_path / "out.json")]) == 2
    said = capsys.readouterr().err
    assert "committee gate" in said and f"row {row + 1}" in said
    assert "a committee gate may have at most 1,000 roles; this one has 1,200" in said
    assert not any(words in said for words in PYDANTIC_WORDS)


def test_a_workbook_with_a_long_gate_is_refused_in_words(tmp_path, small_map, capsys):
    path = tmp_path / "book.xlsx"
    path.write_bytes(generate_xlsx(small_map))
    book = load_workbook(path)
    sheet = book["Register"]
    header = [c.value for c in sheet[1]]
    row = next(r[0].row for r in sheet.iter_rows(min_row=2) if "fit" in [c.value for c in r])
    sheet.cell(row=row, column=header.index("committee gate") + 1).value = _gate_cell()
    book.save(path)
    assert main(["import", str(path), "-o", str(tmp_path / "out.json")]) == 2
    said = capsys.readouterr().err
    assert f'sheet "Register" row {row}' in said and "committee gate" in said
    assert "a committee gate may have at most 1,000 roles; this one has 1,200" in said
    assert not any(words in said for words in PYDANTIC_WORDS)


# --- a map file ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            lambda raw: raw["teams"][0].update(headcount=3.0),
            "teams[0].headcount: the headcount must be a whole number, not 3.0. Write 3.",
        ),
        (
            lambda raw: raw["nodes"][2].update(gate=GATE),
            "nodes[2].gate: a committee gate may have at most 1,000 roles; this one has 1,200. "
            "Remove some roles.",
        ),
    ],
)
def test_a_map_file_is_refused_in_words(tmp_path, small_map, capsys, change, said):
    raw = json.loads(dumps_map(small_map))
    change(raw)
    path = tmp_path / "map.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    stderr = capsys.readouterr().err
    assert said in stderr
    assert not any(words in stderr for words in PYDANTIC_WORDS)
