"""The house rules a machine can check.

models/ and exporters/ never import Qt or app/ (import-linter contracts in
pyproject.toml, plus a plain AST scan so a failure names the file and line);
headless commands never load Qt at run time.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy", "app")


def _imports(path: Path):
    tree = ast.parse(path.read_text("utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


@pytest.mark.parametrize("package", ["models", "exporters"])
def test_headless_packages_import_no_qt_and_no_app(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, name in _imports(path):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(ROOT)}:{line}: imports {name}")
    assert offenders == []


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout


def test_headless_commands_do_not_load_qt(tmp_path):
    probe = (
        "import sys\n"
        "from app.cli import main\n"
        f"code = main(['new', '--template', 'enterprise', '-o', {str(tmp_path / 'm.json')!r}])\n"
        f"code += main(['validate', {str(tmp_path / 'm.json')!r}])\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]\n"
        "print(code, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr


def test_commands_that_need_no_solver_start_without_loading_one(tmp_path):
    """--help, new, validate, diff and merge start in the time models/ takes to import: the
    analysis and the simulation (networkx, scipy, numpy: most of a second) load only in the
    commands that run them."""
    path = str(tmp_path / "m.json")
    probe = (
        "import sys, contextlib, io\n"
        "from app.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['new', '--template', 'enterprise', '-o', {path!r}])\n"
        f"    code += main(['validate', {path!r}])\n"
        f"    code += main(['diff', {path!r}, {path!r}])\n"
        "loaded = [m for m in ('networkx', 'scipy', 'numpy') if m in sys.modules]\n"
        "print(code, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr


def test_published_json_schema_is_current():
    from models.schema import schema_text

    published = (ROOT / "resources" / "journeymap.schema.json").read_text("utf-8")
    assert published == schema_text(), (
        "run: python -m models.schema > resources/journeymap.schema.json"
    )


def _line_counts(*folders: str) -> dict[str, int]:
    """Every module of these folders with its number of lines."""
    return {
        str(path.relative_to(ROOT)): len(path.read_text("utf-8").splitlines())
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
    }


@pytest.mark.parametrize("folder", ["app", "models", "exporters"])
def test_no_module_is_over_400_lines(folder):
    """Small modules, one concern each (the main window composes; features own their actions;
    a model, an importer or an exporter over 400 lines is split rather than grown)."""
    assert {name: count for name, count in _line_counts(folder).items() if count > 400} == {}
