"""Map files: every bad input is refused with a located, plain message; saves are stable."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from models import JourneyMap, MapFileError, dumps_map, load_map, loads_map, save_map
from models.storage import TEMP_SUFFIX, cleanup_temp_files


def _text(doc: JourneyMap) -> str:
    return dumps_map(doc)


def _with_line(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture
def good_text(small_map) -> str:
    return _text(small_map)


# --- each bad input: (name, make(text) -> bytes, expected words, expected field, line needle) ---

BAD_INPUTS = [
    ("empty", lambda t: b"", ["is empty"], None, None),
    ("whitespace-only", lambda t: b"  \n\n", ["is empty"], None, None),
    (
        "nul-bytes",
        lambda t: t.replace('"Website"', '"Web\x00site"').encode(),
        ["NUL bytes"],
        None,
        '"Web',
    ),
    ("truncated", lambda t: t[: len(t) // 2].encode(), ["ends early", "truncated"], None, None),
    (
        "syntax",
        lambda t: _with_line(t, '"name": "Small funnel",', '"name": "Small funnel"').encode(),
        ["not valid JSON"],
        None,
        '"description"' if False else None,
    ),
    (
        "conflict-markers",
        lambda t: _with_line(
            t,
            '  "name": "Small funnel",\n',
            '<<<<<<< HEAD\n  "name": "Small funnel",\n=======\n  "name": "Big funnel",\n>>>>>>> theirs\n',
        ).encode(),
        ["merge conflict"],
        None,
        "<<<<<<<",
    ),
    (
        "wrong-type",
        lambda t: _with_line(t, '"volume": 1000.0', '"volume": "lots"').encode(),
        ["must be a number", '"lots"'],
        "nodes[0].volume",
        '"volume"',
    ),
    (
        "unknown-field",
        lambda t: _with_line(
            t, '"label": "Website",', '"label": "Website", "colour": "red",'
        ).encode(),
        ['unknown field "colour"'],
        "nodes[0].colour",
        '"colour"',
    ),
    (
        "duplicate-id",
        lambda t: _with_line(t, '"id": "call"', '"id": "web"').encode(),
        ['"web" is already used'],
        "nodes[1].id",
        '"id": "web",\n      "process": "funnel",\n      "label": "Discovery call"',
    ),
    (
        "edge-to-missing-node",
        lambda t: _with_line(t, '"target": "won"', '"target": "nowhere"').encode(),
        ['"nowhere", which does not exist'],
        "edges[2].target",
        '"target": "nowhere"',
    ),
    (
        "duplicate-key",
        lambda t: _with_line(
            t, '"label": "Website",', '"label": "Website", "label": "Web",'
        ).encode(),
        ['"label" appears twice'],
        "nodes[0].label",
        '"label": "Web"',
    ),
    (
        "nan",
        lambda t: _with_line(t, '"conversion": 0.1', '"conversion": NaN').encode(),
        ["NaN"],
        "edges[0].conversion",
        "NaN",
    ),
    (
        "infinity",
        lambda t: _with_line(t, '"volume": 1000.0', '"volume": Infinity').encode(),
        ["Infinity"],
        "nodes[0].volume",
        "Infinity",
    ),
    (
        "minus-infinity",
        lambda t: _with_line(t, '"cost": 20.0', '"cost": -Infinity').encode(),
        ["-Infinity"],
        "nodes[0].cost",
        "-Infinity",
    ),
    (
        "huge-number-overflows",
        lambda t: _with_line(t, '"volume": 1000.0', '"volume": 1e999').encode(),
        ["finite number"],
        "nodes[0].volume",
        "1e999",
    ),
    (
        "probability-50",
        lambda t: _with_line(t, '"conversion": 0.5', '"conversion": 50').encode(),
        ["between 0 and 1", "did you mean 0.50?"],
        "edges[1].conversion",
        '"conversion": 50',
    ),
    (
        "probability-negative",
        lambda t: _with_line(t, '"conversion": 0.5', '"conversion": -0.2').encode(),
        ["between 0 and 1"],
        "edges[1].conversion",
        '"conversion": -0.2',
    ),
    (
        "control-character",
        lambda t: _with_line(t, '"Website"', '"Web\\u0007site"').encode(),
        ["control character U+0007"],
        "nodes[0].label",
        "Web\\u0007",
    ),
    (
        "newer-schema",
        lambda t: _with_line(t, '"schema_version": 2', '"schema_version": 7').encode(),
        ["newer Journeymap", "version 7"],
        "schema_version",
        '"schema_version"',
    ),
    (
        "not-a-map-object",
        lambda t: b'{"name": "package.json", "version": "1.0.0"}\n',
        ["not a Journeymap map"],
        None,
        None,
    ),
    ("not-a-map-array", lambda t: b"[1, 2, 3]\n", ["not a Journeymap map"], None, None),
    (
        "missing-required",
        lambda t: _with_line(t, '"source": "web",\n', "").encode(),
        ["required field is missing"],
        "edges[0].source",
        None,
    ),
    (
        "node-in-missing-process",
        lambda t: _with_line(
            t,
            '"process": "funnel",\n      "kind": "entry"',
            '"process": "ghost",\n      "kind": "entry"',
        ).encode(),
        ['process "ghost", which does not exist'],
        "nodes[0].process",
        '"process": "ghost"',
    ),
    (
        "not-utf8",
        lambda t: t.replace("Website", "Web\udcffsite").encode("utf-8", "surrogateescape"),
        ["not UTF-8"],
        None,
        "Web",
    ),
]


@pytest.mark.parametrize("name,make,words,field,needle", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_refused_with_a_located_message(
    tmp_path, good_text, name, make, words, field, needle
):
    data = make(good_text)
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    with pytest.raises(MapFileError) as caught:
        load_map(path)
    error = caught.value
    message = str(error)
    assert message.startswith(str(path)), message
    for word in words:
        assert word in message, message
    if field:
        assert error.field == field, message
        assert f": {field}: " in message
    if needle:
        text = data.decode("utf-8", "replace")
        assert error.line == _line_of(text, needle), message
        assert error.column is not None
    # one to three sentences, one line, no traceback
    assert "\n" not in message and "Traceback" not in message
    assert 1 <= message.count(". ") + 1 <= 4


def test_utf8_bom_is_accepted(tmp_path, small_map):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + dumps_map(small_map).encode())
    assert load_map(path) == small_map


def test_half_drawn_map_saves_and_reopens(tmp_path, small_map):
    """Conversions over 100 % and a dangling step are the analysis's business, not load errors."""
    from models import Node

    small_map.edges[3].conversion = 0.95  # 0.3 + 0.95 leave "fit"
    small_map.nodes.append(
        Node(
            id="dangling",
            process="funnel",
            kind="action",
            label="Trade show",
            stage="undefined-stage",
            owner="nobody",
        )
    )
    path = tmp_path / "draft.json"
    save_map(small_map, path)
    assert load_map(path) == small_map


def test_round_trip_is_equal_and_second_save_byte_identical(tmp_path, small_map):
    path = tmp_path / "m.json"
    save_map(small_map, path)
    first = path.read_bytes()
    again = load_map(path)
    assert again == small_map
    save_map(again, path)
    assert path.read_bytes() == first
    assert first.startswith(b'{\n  "format": "journeymap",\n  "schema_version": 2,')
    assert first.endswith(b"}\n")


def test_layout_follows_the_nodes_so_a_move_is_one_hunk_beside_its_process(small_map):
    small_map.layout.nodes = {"won": (3, 0), "call": (1, 0), "web": (0, 0)}
    data = json.loads(dumps_map(small_map))
    assert list(data["layout"]["nodes"]) == ["web", "call", "won"]  # the order of `nodes`


def test_save_leaves_no_temp_files_and_keeps_permissions(tmp_path, small_map):
    path = tmp_path / "m.json"
    save_map(small_map, path)
    path.chmod(0o600)
    save_map(small_map, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]
    assert path.stat().st_mode & 0o777 == 0o600


def test_leftover_temp_files_of_dead_writers_are_removed_on_load(tmp_path, small_map):
    path = tmp_path / "m.json"
    save_map(small_map, path)
    dead = tmp_path / f".m.json.999999999.abcd{TEMP_SUFFIX}"
    dead.write_text("{partial")
    load_map(path)
    assert not dead.exists()


def test_cleanup_spares_temp_files_of_living_writers(tmp_path):
    import os

    path = tmp_path / "m.json"
    parent = os.getppid()  # alive for the whole test
    living = tmp_path / f".m.json.{parent}.abcd{TEMP_SUFFIX}"
    living.write_text("{")
    cleanup_temp_files(path)
    assert living.exists()


def test_missing_file_and_folder_errors(tmp_path):
    with pytest.raises(MapFileError, match="no such file"):
        load_map(tmp_path / "absent.json")
    with pytest.raises(MapFileError, match="is a folder"):
        load_map(tmp_path)


# --- loading never runs or follows anything in the file -----------------------------------------

_WATCHED: list | None = None  # the audit events seen while watching, else None
_WATCHER = [0]  # the thread watching
_HOOKED = []  # an audit hook cannot be removed: it is added once, and records only while watching
_RUNS_OR_REACHES = ("exec", "compile", "marshal.loads", "pickle.find_class", "os.system")
_RUNS_OR_REACHES_PREFIXES = ("subprocess.", "os.exec", "os.spawn", "os.posix_spawn", "os.fork")
_RUNS_OR_REACHES_PREFIXES += ("ctypes.", "socket.", "urllib.", "http.", "webbrowser.")


def _audit(event: str, args: tuple) -> None:
    if (
        _WATCHED is not None
        and threading.get_ident() == _WATCHER[0]  # not a thread an earlier test left running
        and (
            event in _RUNS_OR_REACHES
            or event == "open"
            or event.startswith(_RUNS_OR_REACHES_PREFIXES)
        )
    ):
        _WATCHED.append((event, args[0] if args else None))


@contextmanager
def _watching():
    """Python's audit events inside the block: code compiled or run, unpickling, processes,
    sockets, and every file opened."""
    global _WATCHED
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED.append(True)
    _WATCHER[:] = [threading.get_ident()]
    _WATCHED = []
    try:
        yield _WATCHED
    finally:
        _WATCHED = None


class _OpensAFile:
    """Unpickling this creates ``path``: what a pickle payload in a map would do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return open, (str(self.path), "w")


def _in_name(text: str, value: str) -> str:
    """The map's text with ``value`` (raw, not a JSON string) as the map's name."""
    return _with_line(text, '"name": "Small funnel"', f'"name": {value}')


# (name, make(map text, a file to create, a file to read) -> bytes); each would create the first
# file, or read the second, if the loader ran Python (eval), YAML tags, pickles, jsonpickle
# records or object hooks, or followed references; huge and deep values are refused in words.
PAYLOADS = [
    (
        "python-expression",
        lambda t, made, secret: f"__import__('pathlib').Path({str(made)!r}).touch()".encode(),
    ),
    (
        "python-call-in-a-field",
        lambda t, made, secret: _in_name(
            t, f"__import__('pathlib').Path({str(made)!r}).touch() or 'x'"
        ).encode(),
    ),
    ("pickle-as-text", lambda t, made, secret: pickle.dumps(_OpensAFile(made), protocol=0)),
    ("pickle-binary", lambda t, made, secret: pickle.dumps(_OpensAFile(made))),
    (
        "yaml-python-tag",
        lambda t, made, secret: (
            f"!!python/object/apply:builtins.open [{json.dumps(str(made))}, w]\n".encode()
        ),
    ),
    (
        "yaml-python-tag-in-a-field",
        lambda t, made, secret: _in_name(
            t, f"!!python/object/apply:builtins.open [{json.dumps(str(made))}, w]"
        ).encode(),
    ),
    (
        "jsonpickle-reduce-in-a-field",
        lambda t, made, secret: _in_name(
            t,
            json.dumps(
                {"py/reduce": [{"py/function": "builtins.open"}, {"py/tuple": [str(made), "w"]}]}
            ),
        ).encode(),
    ),
    (
        "class-and-import-keys",
        lambda t, made, secret: _with_line(
            t,
            '"name": "Small funnel",',
            '"name": "Small funnel", "__class__": "os.system", '
            f'"__reduce__": ["builtins.open", [{json.dumps(str(made))}, "w"]],',
        ).encode(),
    ),
    (
        "import-key-in-a-node",
        lambda t, made, secret: _with_line(
            t, '"label": "Website",', '"label": "Website", "__import__": "os",'
        ).encode(),
    ),
    (
        "reference-to-another-file",
        lambda t, made, secret: _in_name(
            t, json.dumps({"$ref": secret.as_uri()}) + f', "$include": {json.dumps(str(secret))}'
        ).encode(),
    ),
    (
        "number-with-5000-digits",
        lambda t, made, secret: _with_line(
            t, '"volume": 1000.0', '"volume": ' + "9" * 5000
        ).encode(),
    ),
    (
        "lists-800-deep",
        lambda t, made, secret: _in_name(t, "[" * 800 + "]" * 800).encode(),
    ),
    (
        "lists-100000-deep",
        lambda t, made, secret: _in_name(t, "[" * 100_000 + "]" * 100_000).encode(),
    ),
]


@pytest.mark.parametrize("name,make", PAYLOADS, ids=[p[0] for p in PAYLOADS])
def test_loading_never_executes_anything(tmp_path, good_text, name, make):
    """Each payload is refused with a one-line message, and while it is read nothing is run,
    unpickled or compiled, no process or socket is started and no file but the map is opened."""
    made, secret = tmp_path / "made-by-the-payload", tmp_path / "secret.json"
    secret.write_text('"SECRET-TEXT"')
    path = tmp_path / f"{name}.json"
    path.write_bytes(make(good_text, made, secret))
    with _watching() as seen, pytest.raises(MapFileError) as caught:
        load_map(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message, message
    assert "SECRET-TEXT" not in message
    assert not made.exists()
    assert seen == [("open", str(path))]


CODE_LOOKING_TEXT = [
    "__import__('os').system('touch pwned')",
    "{{ 7 * 7 }}",
    "${HOME} $HOME %HOME% ~/.ssh/id_rsa",
    "$(touch pwned) `touch pwned`",
    "%(name)s {0.__class__.__mro__}",
    '{"$ref": "file:///etc/passwd"}',
    "file:///etc/passwd",
    "!!python/object/apply:os.system ['touch pwned']",
    "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;",
    '=HYPERLINK("http://example.com")',
    "\u202egnp.exe",
    "x" * 90_000,
]


def test_text_that_looks_like_code_is_kept_as_plain_text(tmp_path, small_map):
    """Labels are never evaluated, expanded, formatted or followed: they come back as written."""
    for i, text in enumerate(CODE_LOOKING_TEXT):
        small_map.nodes[i % len(small_map.nodes)].description += text + "\n"
    small_map.nodes[0].label = CODE_LOOKING_TEXT[0]
    small_map.description = "".join(CODE_LOOKING_TEXT[1:6])
    small_map.nodes[0].volume = 1e12  # the largest volume a map holds: a number like any other
    path = tmp_path / "code-looking.json"
    save_map(small_map, path)
    with _watching() as seen:
        loaded = load_map(path)
    assert seen == [("open", str(path))]
    assert loaded == small_map
    assert loaded.nodes[0].label == "__import__('os').system('touch pwned')"
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_many_problems_say_more_may_follow(good_text):
    text = good_text.replace('"conversion": 0.5', '"conversion": 50').replace(
        '"conversion": 0.3', '"conversion": 30'
    )
    with pytest.raises(MapFileError) as caught:
        loads_map(text, "m.json")
    assert "1 more problem may follow" in str(caught.value)


# --- command line ------------------------------------------------------------------------------


def _cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.mark.parametrize("name,make,words,field,needle", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_validate_exits_2_with_one_line_and_no_traceback(
    tmp_path, good_text, name, make, words, field, needle
):
    path = tmp_path / f"{name}.json"
    path.write_bytes(make(good_text))
    result = _cli("validate", str(path))
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(path) in lines[0]
    for word in words:
        assert word in lines[0]


def test_new_then_validate_exits_0(tmp_path):
    out = tmp_path / "m.json"
    created = _cli("new", "--template", "enterprise", "-o", str(out))
    assert created.returncode == 0, created.stderr
    checked = _cli("validate", str(out))
    assert checked.returncode == 0, checked.stderr
    assert "a valid map" in checked.stdout


def test_new_refuses_to_overwrite_and_unknown_template(tmp_path):
    out = tmp_path / "m.json"
    out.write_text("precious")
    result = _cli("new", "--template", "enterprise", "-o", str(out))
    assert result.returncode == 2 and "already exists" in result.stderr
    assert out.read_text() == "precious"
    result = _cli("new", "--template", "nope", "-o", str(tmp_path / "x.json"))
    assert result.returncode == 2 and "no template named" in result.stderr


def test_help_and_version():
    assert _cli("--help").returncode == 0
    version = _cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("journeymap ")
