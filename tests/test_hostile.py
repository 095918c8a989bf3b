"""Hostile input and hostile configuration (issue 23): every case ends in a named file, its reason and
the exit code a user can act on, with nothing already stored lost; never a traceback, a hang or a
silent skip.

The kinds of cases, as the issue counts them: bad entries in an input folder, malformed gold files
for `kg eval`, malformed files among the saved queries, SPARQL that reaches out or is too big, and
remote servers that never answer. kill -9 and concurrency are held by tests/test_atomic.py,
tests/test_store.py and tests/test_parallel.py. Every name and sentence here is invented.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg.sparql.catalogue
from kg.cli import cli
from kg.evaluate.gold import GoldError, load_gold
from kg.graph.store import Store
from kg.nlp.extract import _by_chars
from kg.nlp.facts import FileError
from kg.read import read_paths
from kg.read.language import foreign_language
from kg.sparql.catalogue import QUERIES_DIR, QueryError, load_queries
from kg.sparql.guard import MAX_DEPTH, MAX_OPERATORS, QueryRefusedError, check_query
from kg.sparql.local import run_adhoc_with_timeout, run_query
from kg.sparql.remote import Connection, RemoteError, push, run_remote_sparql

KG = Path(sys.executable).parent / "kg"
BODY = (
    "Foreign Minister Lena Marsh of Valdoria met President Tom Weller of Ruritania in Velsk on "
    "Tuesday to discuss trade, energy and a new border crossing between the two countries.\n"
)
BODY2 = (
    "Speaker Juno Carrow received Ambassador Nurlan Abay of Norlandia in the parliament building, "
    "where the two discussed cooperation between their parliaments and a visit next spring.\n"
)


def invoke(*args: str | Path):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def errors_of(paths: list[Path]) -> list[tuple[str, str]]:
    return [(Path(e.path).name, e.reason) for e in read_paths(paths).errors]


# --- bad entries in an input folder ----------------------------------------------------------------


def test_hostile_fifo_in_a_folder_is_named_and_never_opened(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", BODY)
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block the build for ever
    result = read_paths([tmp_path])
    assert [a.stem for a in result.articles] == ["good"]
    assert [(Path(e.path).name, e.reason) for e in result.errors] == [
        ("pipe.txt", "not a regular file or folder (a FIFO)")
    ]


def test_hostile_symlink_loop_in_a_folder_is_named_as_a_loop(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", BODY)
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    assert errors_of([tmp_path]) == [("loop.txt", "symlink loop (the link leads back to itself)")]


def test_hostile_dangling_symlink_in_a_folder_names_its_target(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", BODY)
    (tmp_path / "gone.txt").symlink_to("missing-target.txt")
    assert errors_of([tmp_path]) == [
        ("gone.txt", "dangling symlink (its target missing-target.txt does not exist)")
    ]


def test_hostile_symlink_loop_on_the_command_line_is_not_missing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    assert errors_of([tmp_path / "a.txt"]) == [("a.txt", "symlink loop (the link leads back to itself)")]


def test_hostile_fifo_on_the_command_line_is_named(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    assert errors_of([tmp_path / "pipe.txt"]) == [("pipe.txt", "not a regular file or folder (a FIFO)")]


def test_hostile_socket_in_a_folder_is_named(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "s.txt"))
        assert errors_of([tmp_path]) == [("s.txt", "not a regular file or folder (a socket)")]
    finally:
        server.close()


def test_hostile_symlinked_folder_is_noted_not_followed(tmp_path: Path) -> None:
    inner = tmp_path / "real"
    inner.mkdir()
    write(inner, "a.txt", BODY)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "linked").symlink_to(inner)
    result = read_paths([docs])
    assert result.articles == [] and result.errors == []
    assert [(Path(n.path).name, n.reason) for n in result.notes] == [
        ("linked", "folder skipped: a symlink to a folder is not followed")
    ]


def test_hostile_symlink_to_a_file_is_read(tmp_path: Path) -> None:
    target = write(tmp_path, "target.md", BODY)  # not a suffix the reader takes on its own
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "article.txt").symlink_to(target)
    assert [a.stem for a in read_paths([docs]).articles] == ["article"]


def test_hostile_unreadable_subfolder_is_named_and_the_rest_built(tmp_path: Path) -> None:
    from test_store_permissions import run_unprivileged

    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs, "good.txt", BODY)
    locked = docs / "locked"
    locked.mkdir()
    write(locked, "inside.txt", BODY2)
    locked.chmod(0)
    try:
        run = run_unprivileged(KG, "build", docs, "--store", tmp_path / "store", "--quiet")
    finally:
        locked.chmod(0o755)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert f"Error: {locked}: cannot list the folder (Permission denied)" in run.stderr.splitlines()
    assert "1 documents read: 1 extracted, 0 unchanged, 1 failed" in run.stdout


def test_hostile_one_bad_byte_keeps_utf8_with_a_note(tmp_path: Path) -> None:
    text = "Speaker Juno Carrow’s visit\u00a0to Velsk was welcomed. " * 4 + "\n"
    data = text.encode("utf-8").replace(b"welcomed", b"welc\xffmed", 1)
    path = write(tmp_path, "one.txt", data)
    result = read_paths([path])
    [article] = result.articles
    assert "Carrow’s visit\u00a0to" in article.text and "welc\ufffdmed" in article.text
    assert "â€" not in article.text
    assert [str(n) for n in result.notes] == [f"{path}: 1 byte not valid UTF-8, read as U+FFFD (replaced)"]


def test_hostile_stray_bytes_in_ascii_text_are_replaced_not_refused(tmp_path: Path) -> None:
    data = (BODY * 8).encode("ascii")
    for at in (100, 300, 500, 700, 900):
        data = data[:at] + b"\x9d" + data[at + 1 :]
    path = write(tmp_path, "stray.txt", data)
    result = read_paths([path])
    assert result.errors == []
    assert result.articles[0].text.count("\ufffd") == 5
    assert [n.reason for n in result.notes] == ["5 bytes not valid UTF-8, read as U+FFFD (replaced)"]


def test_hostile_legacy_encoding_only_when_the_bytes_say_so(tmp_path: Path) -> None:
    text = "La présidente Lena Marsh a reçu l'ambassadeur à Velsk, « très » bien accueillie.\n"
    result = read_paths([write(tmp_path, "fr.txt", text.encode("cp1252"))])
    assert [a.text for a in result.articles] == [text.strip()] and result.notes == []


def test_hostile_bad_byte_in_html_keeps_utf8_with_a_note(tmp_path: Path) -> None:
    html = f"<html><body><article><p>{BODY.strip()} It’s done.</p></article></body></html>"
    data = html.encode("utf-8").replace(b"Tuesday", b"Tues\xfeday")
    result = read_paths([write(tmp_path, "page.html", data)])
    assert "It’s done." in result.articles[0].text and "Tues\ufffdday" in result.articles[0].text
    assert [n.reason for n in result.notes] == ["1 byte not valid UTF-8, read as U+FFFD (replaced)"]


def test_hostile_bad_byte_in_jsonl_keeps_utf8_with_a_note(tmp_path: Path) -> None:
    record = json.dumps({"id": "r1", "text": BODY + " It’s agreed."}, ensure_ascii=False)
    data = record.encode("utf-8").replace(b"Velsk", b"Vel\xc0sk")
    result = read_paths([write(tmp_path, "feed.jsonl", data + b"\n")])
    assert "It’s agreed." in result.articles[0].text
    assert [n.reason for n in result.notes] == ["1 byte not valid UTF-8, read as U+FFFD (replaced)"]


def test_hostile_long_line_without_spaces_loses_nothing(tmp_path: Path) -> None:
    token = ("Velsk" * 60_000)[:300_000]
    result = read_paths([write(tmp_path, "long.txt", token + "\n\n" + BODY)])
    assert result.errors == []
    kept = "".join("".join(a.text.split()) for a in result.articles)
    assert kept == token + "".join(BODY.split())


def test_hostile_file_name_with_a_newline_cannot_forge_a_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs, "x\nError: everything is fine.txt", b"")
    run = invoke("build", docs, "--store", tmp_path / "store", "--quiet")
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [f"Error: {docs}/x\\nError: everything is fine.txt: empty file"]


def test_hostile_file_name_with_terminal_escapes_is_shown_escaped(tmp_path: Path) -> None:
    name = "a\x1b[2J\u202etxt.exe.txt"
    error = FileError(str(tmp_path / name), "empty file")
    assert str(error) == f"{tmp_path}/a\\x1b[2J\\u202etxt.exe.txt: empty file"


def test_hostile_file_name_not_utf8_is_shown_as_bytes(tmp_path: Path) -> None:
    path = os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt")
    Path(path).write_bytes(b"")
    [error] = read_paths([tmp_path]).errors
    assert str(error) == f"{tmp_path}/caf\\xe9.txt: empty file"


def test_hostile_extraction_pipes_long_articles_one_group_at_a_time() -> None:
    from factories import article

    texts = [article("x" * 150_000, stem=f"a{i}") for i in range(3)]
    short = [article(BODY, stem=f"s{i}") for i in range(40)]
    assert [len(g) for g in _by_chars(texts, 250_000)] == [1, 1, 1]
    assert [len(g) for g in _by_chars(short, 250_000)] == [40]


@pytest.mark.parametrize(
    "text",
    [
        "Президент Норландии Игорь Вельский встретился в Южном Кавказе с министром иностранных дел "
        "Валдории, чтобы обсудить торговлю, энергетику и новый пограничный переход.",
        "Norlandiya Prezidenti Vüqar Vəlski Bakıda Valdoriyanın xarici işlər nazirini qəbul edib. "
        "Görüşdə ticarət, enerji və yeni sərhəd keçidi məsələləri müzakirə olunub.",
    ],
)
def test_hostile_article_in_another_language_is_told(text: str) -> None:
    found = foreign_language(text)
    assert found is not None and found[0] in ("ru", "az") and found[1] >= 0.9


def test_hostile_english_with_foreign_names_is_english() -> None:
    text = "Speaker Sevinç Əliyeva met Ambassador Jürgen Ødegård in Velsk, where they discussed trade."
    assert foreign_language(text) is None


def test_hostile_non_english_article_skipped_with_a_note(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    path = write(
        docs,
        "ru.txt",
        "Президент Норландии Игорь Вельский встретился с министром иностранных дел Валдории, "
        "чтобы обсудить торговлю, энергетику и новый пограничный переход между странами.\n",
    )
    run = invoke("build", docs, "--store", tmp_path / "store", "--quiet")
    assert run.exit_code == 0, run.output
    assert run.stderr.splitlines() == [
        f"Note: {path}: skipped: written in language 'ru' (confidence 1.00), not English; "
        "`kg build --lang any` builds it anyway"
    ]
    assert "1 documents read: 0 extracted, 0 unchanged, 1 skipped (not English), 0 failed" in run.stdout


# --- malformed gold files for `kg eval` ------------------------------------------------------------

PERSONS = [{"name": "Lena Marsh", "aliases": ["Mrs Marsh"]}, {"name": "Tom Weller", "aliases": []}]
EVENT = {
    "docs": ["001"],
    "date": "2024-03-12",
    "date_precision": "day",
    "participants": ["Lena Marsh", "Tom Weller"],
}
OFFICE = {"person": "Lena Marsh", "role": "Foreign Minister", "country": "Valdoria", "docs": ["001"]}
VALID = {"persons": PERSONS, "offices": [OFFICE], "events": [EVENT]}


def gold_with(**changes) -> str:
    gold = json.loads(json.dumps(VALID))
    for key, value in changes.items():
        if value is ...:
            del gold[key]
        else:
            gold[key] = value
    return json.dumps(gold)


def event_with(**changes) -> str:
    return gold_with(events=[{**EVENT, **changes}])


def office_with(**changes) -> str:
    return gold_with(offices=[{**OFFICE, **changes}])


GOLD_CASES = [
    ("empty", b"", ["empty file; expected a JSON object with persons, offices and events"]),
    ("blank", b"  \n\t\n", ["empty file; expected a JSON object with persons, offices and events"]),
    (
        "truncated",
        gold_with()[:40].encode(),
        ["invalid JSON at line 1, column 37: Unterminated string starting at"],
    ),
    ("array", b"[]", ["the file: expected an object, got a list"]),
    ("null", b"null", ["the file: expected an object, got null"]),
    ("number", b"42", ["the file: expected an object, got a number"]),
    ("utf16", gold_with().encode("utf-16"), ["UTF-16 or UTF-32 text; save the gold file as UTF-8"]),
    ("latin1", '{"about": "Valdoria café"}'.encode("latin-1"), ["not UTF-8 (invalid byte at offset 23)"]),
    ("nan", gold_with(about=0).replace('"about": 0', '"about": NaN').encode(), ["NaN is not a JSON value"]),
    (
        "infinity",
        gold_with(about=0).replace('"about": 0', '"about": -Infinity').encode(),
        ["-Infinity is not a JSON value"],
    ),
    ("deep", b"[" * 100_000 + b"]" * 100_000, ["JSON nested too deeply"]),
    ("duplicate key", b'{"persons": [], "persons": []}', ["key 'persons' appears twice in one object"]),
    (
        "participants a string",
        event_with(participants="Lena Marsh").encode(),
        ["events[0].participants: input should be a valid list, got the string 'Lena Marsh'"],
    ),
    (
        "events an object",
        gold_with(events={}).encode(),
        ["events: input should be a valid list, got an object"],
    ),
    ("no persons", gold_with(persons=...).encode(), ["persons: missing"]),
    ("no events", gold_with(events=...).encode(), ["events: missing"]),
    (
        "unknown key",
        gold_with(evnts=[]).encode(),
        ["evnts: unknown key (expected about, persons, offices, events, institutions)"],
    ),
    (
        "impossible date",
        event_with(date="2024-02-30").encode(),
        ["events[0].date: '2024-02-30' is not a real date (day is out of range for month)"],
    ),
    (
        "date not ISO",
        event_with(date="12 March 2024").encode(),
        ["events[0].date: '12 March 2024' is not an ISO date (yyyy, yyyy-mm or yyyy-mm-dd)"],
    ),
    (
        "date less precise",
        event_with(date="2024-03").encode(),
        ["events[0].date: '2024-03' is less precise than date_precision 'day'"],
    ),
    (
        "bad precision",
        event_with(date_precision="week").encode(),
        ["events[0].date_precision: input should be 'day', 'month' or 'year', got the string 'week'"],
    ),
    (
        "docs a string",
        event_with(docs="001").encode(),
        ["events[0].docs: input should be a valid list, got the string '001'"],
    ),
    (
        "no docs",
        office_with(docs=[]).encode(),
        ["offices[0].docs: list should have at least 1 item after validation, not 0, got a list"],
    ),
    (
        "name a number",
        gold_with(persons=[*PERSONS, {"name": 7}]).encode(),
        ["persons[2].name: input should be a valid string, got a number"],
    ),
    (
        "office for nobody",
        office_with(person="Anna Holt").encode(),
        ["offices[0].person: 'Anna Holt' is not a name in persons"],
    ),
    (
        "two problems",
        gold_with(persons=[{"name": ""}], offices="none").encode(),
        [
            "persons[0].name: string should have at least 1 character, got the string ''",
            "offices: input should be a valid list, got the string 'none'",
        ],
    ),
]


@pytest.mark.parametrize(("case", "data", "problems"), GOLD_CASES, ids=[c[0] for c in GOLD_CASES])
def test_hostile_malformed_gold_is_refused_one_line_per_problem(tmp_path, case, data, problems) -> None:
    path = write(tmp_path, "gold.json", data)
    with pytest.raises(GoldError) as err:
        load_gold(path)
    assert err.value.problems == problems


def test_hostile_gold_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "gold.json", b"\xef\xbb\xbf" + gold_with().encode())
    assert load_gold(path)["events"][0]["participants"] == ["Lena Marsh", "Tom Weller"]


@pytest.mark.parametrize("name", ["seeds.json", "world.json"])
def test_hostile_shared_gold_files_pass_the_schema(name: str) -> None:
    from conftest import GOLD

    path = GOLD.parent / name
    if not path.exists():
        pytest.skip(f"gold file not found at {path}")
    assert load_gold(path)["persons"]


def test_hostile_kg_eval_malformed_gold_exits_2_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "gold.json", gold_with(persons=..., events={}))
    store = tmp_path / "store"
    Store(store).close()
    run = invoke("eval", path, "--store", store)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        f"Error: {path}: persons: missing",
        f"Error: {path}: events: input should be a valid list, got an object",
    ]


# --- malformed files among the saved queries -------------------------------------------------------

GOOD = (QUERIES_DIR / "who-met.rq").read_text(encoding="utf-8")
HEAD = "# title: T\n# description: D.\n# columns: s\n"


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere.rq")


def _loop(path: Path) -> None:
    path.symlink_to(path)


QUERY_CASES = [
    ("syntax", HEAD + "SELECT ?s WHERE { ?s ?p }\n", "not valid SPARQL ("),
    ("update", HEAD + "DELETE WHERE { ?s ?p ?o }\n", "saved queries may not be SPARQL Update requests"),
    ("no header", "SELECT ?s WHERE { ?s ?p ?o }\n", "header has no '# title:' line"),
    (
        "no columns",
        "# title: T\n# description: D.\nSELECT ?s WHERE { ?s ?p ?o }\n",
        "header has no '# columns:' line",
    ),
    ("empty", "", "empty file"),
    ("blank", "\n  \n", "empty file"),
    ("binary", b"\x00\x01\x02SELECT", "binary file (NUL bytes), not SPARQL text"),
    (
        "not utf8",
        (HEAD + "SELECT ?s WHERE { ?s ?p 'caf\xe9' }\n").encode("latin-1"),
        "not UTF-8 text (invalid byte at offset 70)",
    ),
    (
        "bad param",
        HEAD + "# param: person strng required — x\nSELECT ?person WHERE { ?person ?p ?o }\n",
        "bad param line",
    ),
    (
        "unused param",
        HEAD + "# param: who string required — x\nSELECT ?s WHERE { ?s ?p ?o }\n",
        "declared parameter 'who' is not used as ?who",
    ),
    (
        "service",
        HEAD + "SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n",
        "SERVICE sends part of the query",
    ),
    (
        "deep",
        HEAD + "SELECT ?s WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000 + "\n",
        f"a query may nest at most {MAX_DEPTH} deep",
    ),
    (
        "optionals",
        HEAD + "SELECT ?s WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 3000 + "}\n",
        f"at most {MAX_OPERATORS}",
    ),
    ("too large", HEAD + "SELECT ?s WHERE { ?s ?p ?o }\n" + "#" * 300_000 + "\n", "larger than 262144 bytes"),
    ("fifo", _fifo, "skipped: not a regular file"),
    ("folder", _folder, "skipped: not a regular file"),
    ("dangling symlink", _dangling, "skipped: cannot open (No such file or directory)"),
    ("symlink loop", _loop, "skipped: cannot open (Too many levels of symbolic links)"),
]


def _queries_with(tmp_path: Path, make) -> tuple[Path, Path]:
    folder = tmp_path / "queries"
    folder.mkdir()
    write(folder, "who-met.rq", GOOD)
    bad = folder / "bad.rq"
    if callable(make):
        make(bad)
    else:
        write(folder, "bad.rq", make)
    return folder, bad


@pytest.mark.parametrize(("case", "make", "reason"), QUERY_CASES, ids=[c[0] for c in QUERY_CASES])
def test_hostile_bad_saved_query_is_skipped_with_its_reason(tmp_path, case, make, reason) -> None:
    folder, bad = _queries_with(tmp_path, make)
    catalogue = load_queries(folder)
    assert list(catalogue) == ["who-met"]  # the good one still loads
    assert list(catalogue.skipped) == ["bad.rq"]
    assert catalogue.skipped["bad.rq"].startswith(f"{bad}:")
    assert reason in catalogue.skipped["bad.rq"]
    with pytest.raises(QueryError, match="saved query 'bad' cannot be used: "):
        run_query(None, "bad", {}, catalogue)


@pytest.mark.parametrize("name", [".hidden.rq", ".#who-met.rq"])
def test_hostile_hidden_files_and_editor_locks_are_not_queries(tmp_path: Path, name: str) -> None:
    folder, _ = _queries_with(tmp_path, HEAD + "SELECT ?s WHERE { ?s ?p ?o }\n")
    if name.startswith(".#"):
        (folder / name).symlink_to("root@host.1234:1700000000")  # what Emacs leaves
    else:
        write(folder, name, "garbage")
    catalogue = load_queries(folder)
    assert sorted(catalogue) == ["bad", "who-met"] and catalogue.skipped == {}


def test_hostile_symlink_to_a_good_query_is_read(tmp_path: Path) -> None:
    folder, _ = _queries_with(tmp_path, "")
    (folder / "again.rq").symlink_to(folder / "who-met.rq")
    assert sorted(load_queries(folder)) == ["again", "who-met"]


def test_hostile_query_list_survives_a_bad_file(tmp_path: Path, monkeypatch) -> None:
    folder, bad = _queries_with(tmp_path, HEAD + "SELECT ?s WHERE { ?s ?p }\n")
    os.mkfifo(folder / "pipe.rq")
    monkeypatch.setattr(kg.sparql.catalogue, "QUERIES_DIR", folder)
    run = invoke("query", "--list")
    assert run.exit_code == 0
    assert run.stdout.startswith("who-met --param person=...")
    warnings = run.stderr.splitlines()
    assert len(warnings) == 2
    assert warnings[0].startswith(f"Warning: {bad}: not valid SPARQL (")
    assert warnings[1] == f"Warning: {folder / 'pipe.rq'}: skipped: not a regular file"


def test_hostile_running_the_bad_query_exits_2(tmp_path: Path, monkeypatch) -> None:
    folder, bad = _queries_with(tmp_path, "")
    monkeypatch.setattr(kg.sparql.catalogue, "QUERIES_DIR", folder)
    run = invoke("query", "bad", "--store", tmp_path / "store")
    assert run.exit_code == 2
    assert (
        run.stderr.splitlines()[-1] == f"Error: saved query 'bad' cannot be used: {bad}: empty file (skipped)"
    )


# --- SPARQL that reaches out, or is too big for the engine -----------------------------------------


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts connections and never answers (or, with ``trickle``,
    sends a byte of a never-ending header now and then); counts what it accepted."""

    def __init__(self, trickle: bool = False) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.accepted = 0
        self.trickle = trickle
        self.clients: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                client, _ = self.sock.accept()
            except OSError:
                if self.trickle:
                    for client in self.clients:
                        with contextlib.suppress(OSError):
                            client.send(b"X")
                continue
            self.accepted += 1
            self.clients.append(client)
            if self.trickle:
                client.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        for client in self.clients:
            client.close()
        self.sock.close()


@pytest.fixture()
def silent():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    """A store with one invented article's graph, written without the model."""
    from factories import meeting_facts

    from kg.graph.rdf import to_triples

    path = tmp_path_factory.mktemp("hostile") / "store"
    facts = meeting_facts()
    with Store(path) as store:
        store.replace_article(facts.article.id, to_triples(facts))
    return path


def sparql(store: Path, text: str, *options: str):
    return CliRunner().invoke(
        cli, ["sparql", "-", "--store", str(store), *options], input=text, catch_exceptions=False
    )


def nquads(store: Path) -> bytes:
    return invoke("export", "--format", "nquads", "--store", store).stdout_bytes


@pytest.mark.parametrize("silent_word", ["", "SILENT "])
def test_hostile_service_is_refused_and_no_connection_made(small_store, silent, silent_word) -> None:
    run = sparql(
        small_store, f"SELECT * WHERE {{ SERVICE {silent_word}<{silent.url}/sparql> {{ ?s ?p ?o }} }}"
    )
    assert run.exit_code == 2
    assert run.stderr == (
        "Error: <stdin>: SERVICE sends part of the query to another server over the network; "
        "pass --allow-service to allow it\n"
    )
    assert silent.accepted == 0


def test_hostile_service_in_a_string_or_comment_is_no_call(small_store) -> None:
    text = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER (?o != "SERVICE <http://x/>") } # SERVICE\n'
    run = sparql(small_store, text, "--format", "csv")
    assert run.exit_code == 0, run.output
    assert run.stdout.splitlines()[0] == "n"


def test_hostile_service_allowed_reaches_out_and_fails_cleanly(small_store) -> None:
    server = socket.create_server(("127.0.0.1", 0))  # accepts, then hangs up on every request
    port = server.getsockname()[1]
    hung_up = threading.Thread(target=lambda: [c.close() for c, _ in [server.accept()]], daemon=True)
    hung_up.start()
    try:
        text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        run = sparql(small_store, text, "--allow-service", "--timeout", "20")
    finally:
        hung_up.join(5)
        server.close()
    assert run.exit_code == 1
    assert run.stderr.startswith("Error: <stdin>: the query failed (")
    assert "Traceback" not in run.output


def test_hostile_load_needs_allow_update_and_fetches_nothing(small_store, silent) -> None:
    before = nquads(small_store)
    run = sparql(small_store, f"LOAD <{silent.url}/data.ttl>")
    assert run.exit_code == 2
    assert run.stderr == (
        "Error: <stdin>: this is a SPARQL Update; it changes the store (LOAD fetches a document over "
        "the network), so pass --allow-update\n"
    )
    assert silent.accepted == 0
    assert nquads(small_store) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 3000 + "}",
            f"Error: <stdin>: 3000 OPTIONAL/UNION/MINUS/SERVICE/EXISTS; at most {MAX_OPERATORS}",
        ),
        (
            "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000,
            f"Error: <stdin>: nested 5000 deep; a query may nest at most {MAX_DEPTH} deep",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o }" + " " * 300_000,
            "Error: <stdin>: 300027 characters; a query may have at most 262144",
        ),
    ],
    ids=["3000 optionals", "5000 nested groups", "too long"],
)
def test_hostile_query_too_big_is_refused_before_the_engine(small_store, text, message) -> None:
    run = sparql(small_store, text, "--timeout", "0")  # in this process: a crash would end the test
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [message]


def test_hostile_adhoc_queries_have_a_default_timeout() -> None:
    [option] = [p for p in cli.commands["sparql"].params if p.name == "timeout"]
    assert option.default == 60.0


def test_hostile_runaway_query_is_stopped_by_the_timeout(small_store) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"^<stdin>: stopped after the 2 s timeout$"):
        run_adhoc_with_timeout(small_store, text, 2, name="<stdin>")
    assert time.monotonic() - started < 15


def test_hostile_query_not_utf8_exits_2(small_store, tmp_path) -> None:
    path = write(tmp_path, "q.rq", b"SELECT * WHERE { ?s ?p 'caf\xe9' }")
    run = invoke("sparql", path, "--store", small_store)
    assert run.exit_code == 2
    assert run.stderr == f"Error: {path}: not UTF-8 text (invalid continuation byte at byte 27)\n"


# --- remote servers that never answer --------------------------------------------------------------

QUICK = Connection(deadline=3.0, timeout=30.0, retries=4, backoff=0.1)


def test_hostile_push_to_a_silent_server_ends_at_the_deadline(small_store, silent) -> None:
    started = time.monotonic()
    with Store(small_store, read_only=True) as store, pytest.raises(RemoteError) as err:
        push(store, graph_store_url=f"{silent.url}/store", connection=QUICK)
    assert time.monotonic() - started < 5
    assert "no answer in time" in str(err.value) and "(deadline 3 s)" in str(err.value)
    assert silent.accepted >= 1


def test_hostile_remote_query_to_a_silent_server_ends_at_the_deadline(silent) -> None:
    started = time.monotonic()
    with pytest.raises(RemoteError, match=r"no answer in time .* \(deadline 3 s\)$"):
        run_remote_sparql(f"{silent.url}/query", "SELECT * WHERE { ?s ?p ?o }", connection=QUICK)
    assert time.monotonic() - started < 5


def test_hostile_trickling_server_is_stopped_at_the_deadline(small_store) -> None:
    server = SilentServer(trickle=True)  # every read gets a byte in time; the answer never ends
    try:
        started = time.monotonic()
        with Store(small_store, read_only=True) as store, pytest.raises(RemoteError) as err:
            push(store, update_url=f"{server.url}/update", connection=QUICK)
        assert time.monotonic() - started < 5
        assert "no complete answer within" in str(err.value)
    finally:
        server.close()


def test_hostile_kg_push_timeout_option_bounds_a_silent_server(small_store, silent) -> None:
    started = time.monotonic()
    run = invoke("push", "--store", small_store, "--graph-store", f"{silent.url}/store", "--timeout", "2")
    assert time.monotonic() - started < 4
    assert run.exit_code == 1
    assert run.stderr.splitlines()[-1].startswith(f"Error: {silent.url}/store?graph=")
    assert "(deadline 2 s)" in run.stderr


def test_hostile_kg_query_endpoint_timeout_option_bounds_a_silent_server(silent) -> None:
    started = time.monotonic()
    run = invoke("query", "persons", "--endpoint", f"{silent.url}/query", "--timeout", "2")
    assert time.monotonic() - started < 10  # the deadline, and the saved queries parsed once
    assert run.exit_code == 1 and run.stdout == ""
    assert run.stderr.splitlines()[-1].endswith("(deadline 2 s)")


@pytest.mark.slow
def test_hostile_silent_server_default_ends_within_a_minute(silent) -> None:
    started = time.monotonic()
    run = subprocess.run(
        [str(KG), "query", "persons", "--endpoint", f"{silent.url}/query"],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert time.monotonic() - started < 60
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.splitlines()[-1].endswith("(deadline 50 s)")


def test_hostile_server_that_hangs_up_is_retried_then_named(small_store) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    stop = threading.Event()

    def hang_up() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                server.accept()[0].close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    try:
        conn = Connection(retries=2, backoff=0.01, deadline=10)
        with Store(small_store, read_only=True) as store, pytest.raises(RemoteError) as err:
            push(store, update_url=f"http://127.0.0.1:{port}/update", connection=conn)
    finally:
        stop.set()
        thread.join()
        server.close()
    assert str(err.value).startswith(f"http://127.0.0.1:{port}/update: cannot connect (")
    assert "gave up after 3 attempts" in str(err.value)


@pytest.mark.parametrize("field", ["connect_timeout", "timeout", "deadline"])
def test_hostile_connection_refuses_a_timeout_that_is_not_positive(field: str) -> None:
    with pytest.raises(ValueError, match="timeouts and the deadline must be positive"):
        Connection(**{field: 0})


# --- what the graph records about an article, besides its text ------------------------------------


def issued_and_source(store: Path) -> list[tuple[str, ...]]:
    text = (
        "SELECT ?title ?issued ?url WHERE { GRAPH ?g { ?d a dkg:Document . "
        "OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d dcterms:issued ?issued } "
        "OPTIONAL { ?d dcterms:source ?url } } "
        "FILTER (?g != <https://w3id.org/diplomacy-kg/graph/canonical>) }"
    )
    with Store(store, read_only=True) as st:
        return [tuple("" if v is None else str(v) for v in row) for row in st.select(text)]


def test_hostile_changed_date_line_is_built_again(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs, "a.txt", "12 March 2024\n\n" + BODY)
    store = tmp_path / "store"
    assert invoke("build", docs, "--store", store, "--quiet").exit_code == 0
    write(docs, "a.txt", "14 March 2024\n\n" + BODY)
    run = invoke("build", docs, "--store", store, "--quiet")
    assert "1 documents read: 1 extracted, 0 unchanged, 0 failed" in run.stdout
    assert issued_and_source(store) == [("", "2024-03-14", "")]
    fresh = tmp_path / "fresh"
    invoke("build", docs, "--store", fresh, "--quiet")
    assert nquads(store) == nquads(fresh)


@pytest.mark.parametrize(
    ("field", "before", "after", "row"),
    [
        ("published", "2024-03-12", "2024-03-15", ("", "2024-03-15", "")),
        ("url", "https://example.org/a", "https://example.org/b", ("", "", "https://example.org/b")),
        ("title", "Talks in Velsk", "Talks in Velsk end", ("Talks in Velsk end", "", "")),
    ],
)
def test_hostile_changed_jsonl_metadata_is_built_again(tmp_path, field, before, after, row) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    store = tmp_path / "store"
    write(docs, "feed.jsonl", json.dumps({"id": "r1", "text": BODY, field: before}) + "\n")
    assert invoke("build", docs, "--store", store, "--quiet").exit_code == 0
    write(docs, "feed.jsonl", json.dumps({"id": "r1", "text": BODY, field: after}) + "\n")
    run = invoke("build", docs, "--store", store, "--quiet")
    assert "1 documents read: 1 extracted, 0 unchanged, 0 failed" in run.stdout
    assert issued_and_source(store) == [row]


def test_hostile_unchanged_metadata_is_not_built_again(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    store = tmp_path / "store"
    record = {
        "id": "r1",
        "text": BODY,
        "published": "2024-03-12",
        "url": "https://example.org/a",
        "title": "T",
    }
    write(docs, "feed.jsonl", json.dumps(record) + "\n")
    invoke("build", docs, "--store", store, "--quiet")
    run = invoke("build", docs, "--store", store, "--quiet")
    assert "1 documents read: 0 extracted, 1 unchanged, 0 failed" in run.stdout


# --- fuzzers: whatever the file holds, a named refusal or a result, never anything else ------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
GOLD_KEYS = st.sampled_from(["persons", "offices", "events", "institutions", "about"])
ENTRY_KEYS = st.sampled_from(
    [
        "name",
        "aliases",
        "person",
        "role",
        "role_aliases",
        "institution",
        "country",
        "docs",
        "date",
        "date_precision",
        "participants",
        "former",
    ]
)


@st.composite
def mutated_gold(draw) -> object:
    """The valid gold file with some values replaced by arbitrary JSON, at the top or in entries."""
    gold = json.loads(json.dumps(VALID))
    for _ in range(draw(st.integers(1, 3))):
        key = draw(GOLD_KEYS)
        if draw(st.booleans()) and isinstance(gold.get(key), list) and gold[key]:
            entry = gold[key][0]
            if isinstance(entry, dict):
                entry[draw(ENTRY_KEYS)] = draw(JSON_VALUES)
        else:
            gold[key] = draw(JSON_VALUES)
    return gold


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gold=st.one_of(mutated_gold(), JSON_VALUES))
def test_hostile_gold_fuzz_refuses_by_name_or_loads(tmp_path_factory, gold) -> None:
    path = tmp_path_factory.mktemp("gold") / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    try:
        loaded = load_gold(path)
    except GoldError as err:
        assert err.problems and all(p and "\n" not in p for p in err.problems)
        return
    assert all(isinstance(e["participants"], list) for e in loaded["events"])
    assert all(isinstance(p["name"], str) and p["name"] for p in loaded["persons"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: (HEAD + t).encode("utf-8")))
def test_hostile_saved_query_fuzz_never_breaks_the_others(tmp_path_factory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("queries")
    write(folder, "who-met.rq", GOOD)
    write(folder, "fuzz.rq", data)
    catalogue = load_queries(folder)
    assert "who-met" in catalogue
    assert ("fuzz" in catalogue) != ("fuzz.rq" in catalogue.skipped)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("{}()[]<>\"'#\n ?sSERVICEOPTIONAL:")), max_size=300))
def test_hostile_query_guard_fuzz_refuses_only_by_name(text: str) -> None:
    try:
        shape = check_query(text, "q", allow_service=True)
    except QueryRefusedError as err:
        assert str(err).startswith("q: ")
        return
    assert shape.depth <= MAX_DEPTH and shape.operators <= MAX_OPERATORS
