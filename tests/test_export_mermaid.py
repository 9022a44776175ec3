"""Mermaid export: mermaid's own parser accepts every output and builds the model's graph."""

from __future__ import annotations

from hostile import HOSTILE_STRINGS, hostile_map
from interop import all_samples, drawn_edges, mermaid_check, mermaid_counts

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
        assert word in {"subgraph", "end", "classDef", "class", "linkStyle"} or word[0] in "np", (
            line
        )
    assert "\n    end\n" in text  # only as the subgraph terminator


def test_label_escaping_is_entity_codes():
    assert mermaid_text('say "hi"') == "say #quot;hi#quot;"
    assert mermaid_text("a|b") == "a#124;b"
    assert "<" not in mermaid_text("<script>")
