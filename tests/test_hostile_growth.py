"""Work and memory grow with the input, no faster: each slow case of issue 16 is run at a size
and at twice that size, and the larger run may do at most twice the work (and hold twice the
memory), with a margin. Quadratic code does four times the work.

Work is counted, not timed, so the tests pass on a loaded machine exactly as on an idle one:
the Python calls, the lines they run and the C functions they call (``sys.settrace`` and
``sys.setprofile``), a count that is the same on every run. A loop hidden inside one C call
(a regex, ``x in list``) is not seen; timed figures for every command on a 100,000-step map
are in benchmarks/bench_scale.py (``make bench``).
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_inputs import (
    bpmn_same_ids,
    csv_blank_ids,
    csv_new_teams,
    drawio_nested,
    drawio_same_ids,
    xlsx_padded,
    xlsx_unused_sheet,
)
from work_count import work

from exporters import tables
from exporters.bpmn import generate_bpmn
from exporters.bpmn_import import read_bpmn
from exporters.csv_import import read_csv
from exporters.dot import generate_dot
from exporters.drawio import generate_drawio
from exporters.drawio_import import read_drawio
from exporters.mermaid import generate_mermaid, mermaid_text
from exporters.native import generate_json
from exporters.report import generate_html
from exporters.xlsx_import import read_xlsx
from models.analysis import analyze
from models.generate import generate_funnel
from models.simulation import expected_flow
from models.storage import dumps_map, loads_map

WORK_MARGIN = 1.25
"""Doubling the input may take up to 2 x 1.25 = 2.5 times the work (quadratic code takes 4)."""
MEMORY_MARGIN = 1.25
SIZE = 1000
"""Steps of the smaller generated map (the larger has twice as many)."""


def _peak(run: Callable[[], object]) -> int:
    """The most memory ``run`` holds at once (after a first call: modules it imports, caches)."""
    run()
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _assert_linear_time(make: Callable[[int], Callable[[], object]], size: int) -> None:
    small, large = work(make(size)), work(make(2 * size))
    assert large <= 2 * WORK_MARGIN * small, (
        f"doubling the input from {size} took {large / small:.2f} times the work "
        f"({small:,} -> {large:,} calls and lines)"
    )


def _reader(build, read, folder: Path) -> Callable[[int], Callable[[], object]]:
    def make(size: int) -> Callable[[], object]:
        where = folder / str(size)
        where.mkdir(exist_ok=True)
        path = build(where, size)
        return lambda: read(path)

    return make


# --- imports of hostile files --------------------------------------------------------------------


@pytest.mark.parametrize(
    "build, read, size",
    [
        pytest.param(csv_blank_ids, read_csv, 3000, id="csv-rows-without-ids"),
        pytest.param(csv_new_teams, read_csv, 3000, id="csv-rows-naming-new-teams"),
        pytest.param(bpmn_same_ids, read_bpmn, 3000, id="bpmn-tasks-with-one-id"),
        pytest.param(drawio_same_ids, read_drawio, 3000, id="drawio-shapes-with-one-id"),
        pytest.param(drawio_nested, read_drawio, 1500, id="drawio-groups-nested-deep"),
    ],
)
def test_imports_do_work_in_proportion_to_the_file(build, read, size, tmp_path):
    _assert_linear_time(_reader(build, read, tmp_path), size)


def test_a_workbook_row_far_to_the_right_costs_no_more_memory(tmp_path):
    """Rows whose one cell is in column XFD (16,384) take no more memory than in column LBB
    (8,192): rows are read as the cells they hold, never padded to the last column."""
    half = tmp_path / "half"
    full = tmp_path / "full"
    half.mkdir()
    full.mkdir()
    near, far = xlsx_padded("LBB")(half, 300), xlsx_padded("XFD")(full, 300)
    assert _peak(lambda: read_xlsx(far)) <= MEMORY_MARGIN * _peak(lambda: read_xlsx(near))


def test_a_workbook_sheet_nobody_reads_costs_nowork(tmp_path):
    """An extra sheet twice as big does not make the import do more: it is never parsed."""
    small, large = tmp_path / "s", tmp_path / "l"
    small.mkdir()
    large.mkdir()
    one, two = xlsx_unused_sheet(small, 20), xlsx_unused_sheet(large, 40)
    few, many = work(lambda: read_xlsx(one)), work(lambda: read_xlsx(two))
    assert many <= WORK_MARGIN * few, f"{few:,} -> {many:,} calls and lines"


def test_a_long_label_escapes_for_mermaid_in_proportion_to_its_length():
    _assert_linear_time(lambda n: lambda: mermaid_text('<a "b">\n' * n), 20_000)


# --- every command on a big map ------------------------------------------------------------------


@pytest.fixture(scope="module")
def maps():
    return {
        n: generate_funnel(n, n * 3 // 2, seed=1, layers=40, recycle_share=0.1)
        for n in (SIZE, 2 * SIZE)
    }


def _on_maps(maps, run: Callable) -> Callable[[int], Callable[[], object]]:
    return lambda size: lambda: run(maps[size])


COMMANDS = {
    "validate": lambda doc: loads_map(dumps_map(doc)),
    "analyze": analyze,
    "simulate": expected_flow,
    "export-json": generate_json,
    "export-csv": lambda doc: (tables.generate_csv(doc), tables.generate_edges_csv(doc)),
    "export-xlsx": tables.generate_xlsx,
    "export-bpmn": generate_bpmn,
    "export-drawio": generate_drawio,
    "export-mermaid": generate_mermaid,
    "export-dot": generate_dot,
    "export-html": lambda doc: generate_html(doc, diagrams=False),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_does_work_in_proportion_to_the_map(command, maps):
    _assert_linear_time(_on_maps(maps, COMMANDS[command]), SIZE)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "bpmn", "drawio"])
def test_importing_an_export_does_work_in_proportion_to_the_map(fmt, maps, tmp_path):
    from exporters.registry import FORMATS, export_to_file, import_file

    def make(size: int) -> Callable[[], object]:
        path = tmp_path / f"map-{size}{FORMATS[fmt].extension}"
        export_to_file(maps[size], fmt, path)
        return lambda: import_file(path)

    _assert_linear_time(make, SIZE)


@pytest.mark.parametrize("command", ["validate", "export-xlsx", "export-bpmn", "export-html"])
def test_memory_grows_in_proportion_to_the_map(command, maps):
    run = COMMANDS[command]
    small, large = _peak(lambda: run(maps[SIZE])), _peak(lambda: run(maps[2 * SIZE]))
    assert large <= 2 * MEMORY_MARGIN * small, f"{small:,} -> {large:,} bytes"


def test_criteria_with_many_unrelated_fractional_points_cost_work_in_proportion():
    """Questions worth thirds of a point (no power of ten makes them whole): twice as many
    questions, at most 2.5 times the work (keeping every distinct score took minutes at 30)."""
    import random

    from models.document import Criteria, Question
    from models.qualification import pass_rate

    def make(count: int) -> Callable[[], object]:
        rng = random.Random(count)
        criteria = Criteria(
            id="c",
            name="C",
            threshold_score=count / 2,
            questions=[
                Question(id=f"q{i}", text="?", points=rng.randint(1, 9) / 3, share=0.5)
                for i in range(count)
            ],
        )
        return lambda: pass_rate(criteria)

    _assert_linear_time(make, 17)
