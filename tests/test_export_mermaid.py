"""Mermaid export: mermaid's own parser accepts every output and builds the model's graph."""

from __future__ import annotations

from hostile import HOSTILE_STRINGS, hostile_map
from interop import all_samples, drawn_edges, mermaid_check, mermaid_counts, mermaid_sizes

from exporters.mermaid import generate_mermaid, mermaid_text, write_mermaid


def _expected(doc, process_id=None) -> tuple[int, int]:
    chosen = [p for p in doc.processes if process_id in (None, p.id)]
    return sum(len(doc.nodes_of(p.id)) for p in chosen), len(drawn_edges(doc, process_id))


def test_every_sample_parses_with_model_counts(request, tmp_path):
    files, expected = [], []
    for name, doc in all_samples(request):
        for process_id in [None, *(p.id for p in doc.processes)]:
            path = tmp_path / f"{name.replace(':', '-')}-{process_id}.mmd"
            write_mermaid(doc, path, process_id)
            files.append(path)
            expected.append(_expected(doc, process_id))
    checked = mermaid_check(files)
    assert [c["ok"] for c in checked] == [True] * len(files), [c for c in checked if not c["ok"]]
    counts = mermaid_counts(files)
    assert [(c.get("vertices"), c.get("edges")) for c in counts] == expected


def test_hostile_strings_one_by_one(small_map, tmp_path):
    files = []
    for i, text in enumerate(HOSTILE_STRINGS):
        small_map.nodes[1].label = text
        small_map.edges[1].label = text
        path = tmp_path / f"h{i}.mmd"
        path.write_text(generate_mermaid(small_map), encoding="utf-8")
        files.append(path)
    assert all(c["ok"] for c in mermaid_check(files))
    assert {(c["vertices"], c["edges"]) for c in mermaid_counts(files)} == {(5, 4)}


def test_ids_are_generated_never_the_users():
    text = generate_mermaid(hostile_map())
    for line in text.splitlines()[1:]:
        word = line.split()[0]
        assert word in {"subgraph", "direction", "end", "classDef", "class", "linkStyle"} or (
            word[0] in "np"
        ), line
    assert "\n    end\n" in text  # only as the subgraph terminator


def test_label_escaping_is_entity_codes():
    assert mermaid_text('say "hi"') == "say #quot;hi#quot;"
    assert mermaid_text("a|b") == "a#124;b"
    assert "<" not in mermaid_text("<script>")


def test_every_process_reads_left_to_right(request, tmp_path):
    """Each subgraph says ``direction LR``, as mermaid's parser reads it: without it a process
    drew top to bottom (the enterprise template rendered 1118 x 6578 px)."""
    files = []
    for name, doc in all_samples(request):
        if len(doc.processes) > 1:
            files.append(tmp_path / f"{name.replace(':', '-')}.mmd")
            write_mermaid(doc, files[-1])
    counts = mermaid_counts(files)
    assert files and all(c["subgraphs"] for c in counts)
    assert {g["dir"] for c in counts for g in c["subgraphs"]} == {"LR"}


def test_processes_render_wider_than_tall(tmp_path):
    """Rendered by mermaid in Chromium: the SaaS trial and plugged-funnel templates, whose
    processes have no links between them, drew 942 x 2313 and 923 x 3149 pixels (each process a
    column); left to right they are wider than tall. (Mermaid ignores a subgraph's direction when
    a link leaves it, so a buying group with links between processes is laid out as a whole.)"""
    from models.templates import load_template

    files = []
    for name in ("saas-trial", "plugged-funnel"):
        files.append(tmp_path / f"{name}.mmd")
        write_mermaid(load_template(name), files[-1])
    sizes = mermaid_sizes(files)
    assert len(sizes) == 2 and all(s["width"] > s["height"] for s in sizes), sizes
