"""`journeymap diff` and `journeymap merge` (issue 19): exit codes, REV:PATH through git, the
merge driver installed in a real repository and run by a real `git merge`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import Repo, needs_git

from app.cli import main
from models import Edge, Node, dumps_map, load_map, save_map
from models.templates import load_template

ROOT = Path(__file__).resolve().parents[1]


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> None:
    assert err.startswith("journeymap: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def _with_step(doc, process: str, suffix: str):
    doc.nodes.append(Node(id=f"node-{suffix}", process=process, label=f"Step {suffix}"))
    source = next(n for n in doc.nodes_of(process) if n.kind not in ("won", "lost"))
    doc.edges.append(Edge(id=f"edge-{suffix}", source=source.id, target=f"node-{suffix}"))
    doc.layout.nodes[f"node-{suffix}"] = (460.0, 600.0)
    return doc


# --- diff -----------------------------------------------------------------------------------------


def test_diff_exits_0_when_equal_1_when_different_2_on_a_bad_file(tmp_path, capsys):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    save_map(load_template("enterprise"), old)
    save_map(load_template("enterprise"), new)
    code, out, _ = _run(capsys, "diff", old, new)
    assert code == 0 and out.endswith("No changes.\n")
    doc = load_template("enterprise")
    doc.nodes[0] = doc.nodes[0].model_copy(update={"label": "Renamed"})
    save_map(doc, new)
    code, out, _ = _run(capsys, "diff", old, new)
    assert (
        code == 1
        and f'      label: "{load_template("enterprise").nodes[0].label}" -> "Renamed"' in out
    )
    code, out, _ = _run(capsys, "diff", old, new, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["equal"] is False and data["summary"]["changed"] == 1
    assert data["changes"][0]["fields"][0] == {
        "field": "label",
        "old": load_template("enterprise").nodes[0].label,
        "new": "Renamed",
    }
    (tmp_path / "broken.json").write_text(
        '{"format": "journeymap", "schema_version": 2, "nodes": ['
    )
    code, out, err = _run(capsys, "diff", old, tmp_path / "broken.json")
    assert code == 2 and out == ""
    _one_line(err)
    assert "broken.json" in err and "truncated" in err


def test_diff_no_layout_hides_moves_and_equal_then_exits_0(tmp_path, capsys):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    doc = load_template("saas-trial")
    save_map(doc, old)
    doc.layout.nodes["need"] = (999.0, 999.0)
    save_map(doc, new)
    code, out, _ = _run(capsys, "diff", old, new)
    assert code == 1 and "  need: (0, 0) -> (999, 999)" in out
    code, out, _ = _run(capsys, "diff", old, new, "--no-layout")
    assert code == 0 and "layout" not in out.splitlines()
    code, out, _ = _run(capsys, "diff", old, new, "--no-layout", "--format", "json")
    assert code == 0 and "layout" not in json.loads(out)


@needs_git
def test_diff_reads_rev_path_through_git(tmp_path, capsys, monkeypatch):
    repo = Repo(tmp_path / "repo")
    repo.commit("plan.json", dumps_map(load_template("enterprise")), "first")
    repo.commit("plan.json", dumps_map(_with_step(load_template("enterprise"), "funnel", "a")), "a")
    monkeypatch.chdir(repo.folder)
    code, out, _ = _run(capsys, "diff", "HEAD~1:plan.json", "plan.json")
    assert code == 1 and '  + node-a "Step a" (action in funnel)' in out
    assert out.startswith("--- HEAD~1:plan.json\n+++ plan.json\n")
    code, out, _ = _run(capsys, "diff", "HEAD:plan.json", "HEAD:./plan.json")
    assert code == 0
    code, out, err = _run(capsys, "diff", "HEAD~5:plan.json", "plan.json")
    assert code == 2
    _one_line(err)
    assert err.startswith("journeymap: HEAD~5:plan.json: git cannot show this version")


# --- merge ----------------------------------------------------------------------------------------


def _three(tmp_path, ours_doc, theirs_doc):
    paths = [tmp_path / f"{name}.json" for name in ("base", "ours", "theirs")]
    for path, doc in zip(paths, (load_template("enterprise"), ours_doc, theirs_doc), strict=True):
        save_map(doc, path)
    return paths


def test_merge_writes_the_merged_map_and_exits_0(tmp_path, capsys):
    base, ours, theirs = _three(
        tmp_path,
        _with_step(load_template("enterprise"), "funnel", "a"),
        _with_step(load_template("enterprise"), "funnel", "b"),
    )
    out = tmp_path / "merged.json"
    code, stdout, _ = _run(capsys, "merge", base, ours, theirs, "-o", out)
    assert code == 0 and stdout == f"{out}: merged with no conflict.\n"
    merged = load_map(out)
    assert {"node-a", "node-b", "edge-a", "edge-b"} <= {
        i.id for i in [*merged.nodes, *merged.edges]
    }
    assert out.read_text(encoding="utf-8") == dumps_map(merged)


def test_merge_with_a_conflict_exits_1_and_validate_refuses_until_resolved(tmp_path, capsys):
    ours_doc, theirs_doc = load_template("enterprise"), load_template("enterprise")
    ours_doc.currency, theirs_doc.currency = "EUR", "GBP"
    base, ours, theirs = _three(tmp_path, ours_doc, theirs_doc)
    out = tmp_path / "merged.json"
    code, stdout, _ = _run(capsys, "merge", base, ours, theirs, "-o", out, "--name", "plan.json")
    assert code == 1
    assert stdout.splitlines()[1] == (
        '  the map\'s currency: base "USD", ours "EUR", theirs "GBP" (changed on both sides)'
    )
    code, _, err = _run(capsys, "validate", out)
    assert code == 2
    _one_line(err)
    assert "merge_conflicts: 1 unresolved merge conflict" in err
    code, stdout, _ = _run(capsys, "merge", base, ours, theirs, "-o", out, "--format", "json")
    assert code == 1 and json.loads(stdout)["conflicts"][0]["field"] == "currency"


def test_merge_refuses_bad_input_in_one_line(tmp_path, capsys):
    base, ours, theirs = _three(tmp_path, load_template("enterprise"), load_template("enterprise"))
    code, _, err = _run(capsys, "merge", base, ours, "-o", tmp_path / "m.json")
    assert code == 2
    _one_line(err)
    assert "BASE OURS THEIRS -o OUT" in err
    theirs.write_text("<<<<<<< HEAD\n", encoding="utf-8")
    code, _, err = _run(capsys, "merge", base, ours, theirs, "-o", tmp_path / "m.json")
    assert code == 2 and "theirs.json:1:1" in err and "merge conflict marker" in err
    _one_line(err)
    assert not (tmp_path / "m.json").exists()
    code, _, err = _run(capsys, "merge", base, ours, ours, "-o", tmp_path / "no" / "m.json")
    assert code == 2 and "does not exist" in err


def test_merge_with_an_empty_base_merges_two_additions(tmp_path, capsys):
    base, ours, theirs = _three(tmp_path, load_template("enterprise"), load_template("enterprise"))
    base.write_text("", encoding="utf-8")
    code, _, _ = _run(capsys, "merge", base, ours, theirs, "-o", tmp_path / "m.json")
    assert code == 0 and load_map(tmp_path / "m.json") == load_map(ours)


# --- the git merge driver -------------------------------------------------------------------------


def _branches(repo: Repo, base_doc, ours_doc, theirs_doc) -> None:
    repo.commit("plan.json", dumps_map(base_doc), "the map")
    repo.git("checkout", "-q", "-b", "theirs")
    repo.commit("plan.json", dumps_map(theirs_doc), "theirs")
    repo.git("checkout", "-q", "main")
    repo.commit("plan.json", dumps_map(ours_doc), "ours")


@needs_git
def test_install_then_git_merge_joins_two_steps_added_to_one_process(tmp_path, capsys, monkeypatch):
    """Plain git conflicts on this (both steps go at the end of the funnel); the driver does not."""
    plain = Repo(tmp_path / "plain")
    ours_doc = _with_step(load_template("enterprise"), "funnel", "a")
    theirs_doc = _with_step(load_template("enterprise"), "funnel", "b")
    _branches(plain, load_template("enterprise"), ours_doc, theirs_doc)
    assert plain.merge("theirs").returncode != 0

    repo = Repo(tmp_path / "repo")
    monkeypatch.chdir(repo.folder)
    code, out, _ = _run(capsys, "merge", "--install", "*.json")
    assert code == 0 and "merge %O %A %B -o %A --name %P" in out
    assert (repo.folder / ".gitattributes").read_text() == "*.json merge=journeymap\n"
    repo.git("add", ".gitattributes")
    repo.git("commit", "-q", "-m", "maps merge with journeymap")
    _branches(repo, load_template("enterprise"), ours_doc, theirs_doc)
    result = repo.merge("theirs")
    assert result.returncode == 0, result.stdout + result.stderr
    merged = load_map(repo.folder / "plan.json")
    assert [n.id for n in merged.nodes_of("funnel")][-2:] == ["node-a", "node-b"]
    assert (repo.folder / "plan.json").read_text(encoding="utf-8") == dumps_map(merged)
    _run(capsys, "merge", "--install", "*.json")  # twice: one line in .gitattributes
    assert (repo.folder / ".gitattributes").read_text() == "*.json merge=journeymap\n"


@needs_git
def test_git_merge_with_the_driver_stops_on_one_clear_conflict_line(tmp_path, capsys, monkeypatch):
    repo = Repo(tmp_path / "repo")
    monkeypatch.chdir(repo.folder)
    _run(capsys, "merge", "--install", "plan.json")
    repo.git("add", ".gitattributes")
    repo.git("commit", "-q", "-m", "attributes")
    ours_doc, theirs_doc = load_template("enterprise"), load_template("enterprise")
    edge = ours_doc.edges[0]
    ours_doc.edges[0] = edge.model_copy(update={"conversion": 0.2})
    theirs_doc.edges[0] = edge.model_copy(update={"conversion": 0.3, "label": "Booked"})
    _branches(repo, load_template("enterprise"), ours_doc, theirs_doc)
    result = repo.merge("theirs")
    assert result.returncode != 0
    conflict = (
        f'edge "{edge.id}" conversion: base {edge.conversion}, ours 0.2, theirs 0.3 '
        "(changed on both sides)"
    )
    assert "plan.json: 1 conflict;" in result.stdout and f"  {conflict}\n" in result.stdout
    text = (repo.folder / "plan.json").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and json.loads(text)["merge_conflicts"][0]["theirs"] == 0.3
    code, _, err = _run(capsys, "validate", "plan.json")
    assert code == 2 and conflict in err


@needs_git
def test_install_outside_a_repository_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = _run(capsys, "merge", "--install")
    assert code == 2
    _one_line(err)
    assert "run --install inside the repository" in err


@pytest.mark.parametrize("command", ["diff", "merge"])
def test_help_names_the_exit_codes(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "(exit 0 " in " ".join(capsys.readouterr().out.split())


def test_diff_and_merge_load_only_what_they_use(tmp_path):
    """A command imports its own module alone: diff and merge never load the exporters, the
    analysis, the simulation or the editor's document (start-up is most of their time)."""
    path = tmp_path / "m.json"
    save_map(load_template("enterprise"), path)
    out = tmp_path / "out.json"
    probe = (
        "import sys, contextlib, io\n"
        "from app.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['diff', {str(path)!r}, {str(path)!r}])\n"
        f"    code += main(['merge', {str(path)!r}, {str(path)!r}, {str(path)!r}, '-o', {str(out)!r}])\n"
        "heavy = ('exporters', 'models.findings', 'models.simulation', 'models.editing', 'psygnal',\n"
        "         'app.cli.commands.export', 'app.cli.commands.analyze', 'app.cli.commands.new')\n"
        "print(code, sorted({m for m in sys.modules if m.startswith(heavy)}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr


def test_help_still_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    for name in ("diff", "merge", "validate", "export", "import", "simulate", "open"):
        assert f"    {name} " in listed


# --- the report's "Changes since REV" ------------------------------------------------------------


@needs_git
def test_the_html_report_lists_the_changes_since_a_revision(tmp_path, capsys, monkeypatch):
    repo = Repo(tmp_path / "repo")
    repo.commit("plan.json", dumps_map(load_template("enterprise")), "v1")
    repo.git("tag", "v1")
    doc = _with_step(load_template("enterprise"), "funnel", "a")
    doc.edges[0] = doc.edges[0].model_copy(update={"conversion": 0.5})
    repo.commit("plan.json", dumps_map(doc), "a step")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "review.html"
    code, stdout, _ = _run(capsys, "export", "repo/plan.json", "-o", out, "--changes-since", "v1")
    assert code == 0 and stdout == f"Wrote {out} (the HTML report, with the changes since v1).\n"
    html = out.read_text(encoding="utf-8")
    assert '<li><a href="#changes">Changes since v1</a></li>' in html
    assert "2 added · 0 removed · 1 changed · 1 moved on the diagrams" in html  # a step, its edge
    assert '<tr class="change-added"><td>added</td><td>Step</td><td>node-a &#34;Step a&#34;' in html
    was = load_template("enterprise").edges[0].conversion
    assert f"<li>conversion: {was} → 0.5</li>" in html
    code, _, _ = _run(capsys, "export", "repo/plan.json", "-o", out)
    assert code == 0 and 'id="changes"' not in out.read_text(encoding="utf-8")
    code, _, err = _run(
        capsys, "export", "repo/plan.json", "-o", tmp_path / "x.svg", "--changes-since", "v1"
    )
    assert code == 2 and "use --format html" in err
    _one_line(err)
    code, _, err = _run(capsys, "export", "repo/plan.json", "-o", out, "--changes-since", "v9")
    assert code == 2 and err.startswith("journeymap: v9:./plan.json: git cannot show this version")
