"""Property tests: whatever a user (or a scraped article) puts in the files, `briefgen check`
ends in one of two ways, and each run is classified as one of them:

- passed: exit 0, and no error line;
- a user error: exit 1, and every problem printed as `path:line:col: severity: message`, at a
  file inside the project, line and column >= 1, with at least one error among them.

Anything else fails the test: an internal error (exit 70, "internal error: ..."), a traceback,
another exit code, a line that is neither a problem nor the closing count, or a file written.

Random YAML structures (dicts, lists, scalars of every YAML type, citations with random keys)
go into briefing.yml, random front matter and random text (HTML, control characters, any
Unicode but lone surrogates) into the sources, and random bytes into source files.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from briefgen.pipeline import check

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

# Any character a file may hold except lone surrogates (not encodable as UTF-8 at all).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "![i](data:text/html,<b>)", "\x00", "\x1b[31m", "\u202e", "\ufeff", "\u00ad", "..", "../x",
    "/etc/passwd", "~", "null", "yes", "2024-13-45", "2024-02-30", "12:30", "- a", "{", "[", "&a", "*a",
    "!!python/object:os.system", "'", '"', "#", "%", "@", "`", "\t", "\r\n", " ", "",
])
IDS = st.sampled_from(["ledger", "wire", "short", "long", "how-long", "a", "Ledger", "led ger", "ledgr",
                       "source", "quote", "note", "404", "x" * 80])
KEYS = st.sampled_from([
    "title", "as_of", "tags", "sources", "summary", "facts", "questions", "timeline", "id", "text",
    "cite", "assessment", "fact", "value", "question", "status", "hypotheses", "evidence", "watch",
    "label", "bears", "date", "source", "quote", "origin", "disputes", "note", "file", "outlet",
    "url", "published", "accessed", "reliability", "drop", "publish", "paraphrased", "author",
    "ledger", "wire", "qoute", "titel",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(), st.datetimes(), ANY_TEXT, HOSTILE, IDS,
    st.sampled_from(["for", "against", "neutral", "low", "moderate", "high", "open", "leaning",
                     "resolved", "full", "excerpts", "A", "F", "https://example.com/x"]),
)


def _values(keys: st.SearchStrategy) -> st.SearchStrategy:
    return st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
        max_leaves=20,
    )


VALUES = _values(st.one_of(KEYS, IDS, ANY_TEXT, st.integers(), st.booleans(), st.none(), st.dates()))
CITATION = st.one_of(
    st.fixed_dictionaries({"source": st.one_of(IDS, VALUES), "quote": st.one_of(ANY_TEXT, VALUES)},
                          optional={"origin": VALUES, "disputes": VALUES, "note": VALUES, "qoute": VALUES}),
    st.dictionaries(st.one_of(IDS, KEYS), st.one_of(ANY_TEXT, VALUES), min_size=1, max_size=3),
    VALUES,
)
CITES = st.one_of(st.lists(CITATION, max_size=3), CITATION)
STATEMENT = st.dictionaries(KEYS, st.one_of(VALUES, CITES), max_size=6) | st.fixed_dictionaries(
    {"text": ANY_TEXT, "cite": CITES}, optional={"id": st.one_of(IDS, ANY_TEXT), "assessment": VALUES})
FACT = st.fixed_dictionaries({"id": st.one_of(IDS, VALUES), "fact": VALUES, "value": VALUES, "cite": CITES})
HYP = st.fixed_dictionaries({"id": st.one_of(IDS, VALUES), "label": VALUES})
EVIDENCE = st.fixed_dictionaries({"text": VALUES, "cite": CITES},
                                 optional={"bears": st.dictionaries(st.one_of(IDS, KEYS), VALUES, max_size=3) | VALUES,
                                           "id": st.one_of(IDS, VALUES)})
QUESTION = st.fixed_dictionaries(
    {"id": st.one_of(IDS, VALUES), "question": VALUES},
    optional={"status": VALUES, "hypotheses": st.lists(HYP, max_size=3) | VALUES,
              "evidence": st.lists(EVIDENCE, max_size=3) | VALUES, "watch": VALUES})
SOURCE_ENTRY = st.dictionaries(KEYS, VALUES, max_size=5) | st.fixed_dictionaries(
    {"outlet": VALUES, "title": VALUES},
    optional={"file": st.one_of(st.sampled_from(["sources/wire.txt", "sources/ledger.md", "../x.md",
                                                 "/etc/passwd", "sources/../../../x.txt", "sources",
                                                 "sources/missing.md"]), VALUES),
              "url": VALUES, "published": VALUES, "drop": VALUES, "publish": VALUES,
              "reliability": VALUES})
BRIEFING_MAP = (
    st.fixed_dictionaries(
        # Mostly a valid title and date, so the checks behind them run too.
        {"title": st.one_of(st.just("Port Verrin"), st.just("Port Verrin"), st.just("Port Verrin"), ANY_TEXT, VALUES),
         "as_of": st.one_of(st.dates(), st.dates(), VALUES)},
        optional={"tags": VALUES, "sources": st.dictionaries(st.one_of(IDS, ANY_TEXT), SOURCE_ENTRY, max_size=3) | VALUES,
                  "summary": st.lists(STATEMENT, max_size=3) | VALUES,
                  "facts": st.lists(FACT, max_size=3) | VALUES,
                  "questions": st.lists(QUESTION, max_size=2) | VALUES,
                  "timeline": st.lists(st.fixed_dictionaries({"date": VALUES, "text": VALUES, "cite": CITES}),
                                       max_size=2) | VALUES,
                  "qoute": VALUES})
)
BRIEFING = st.one_of(BRIEFING_MAP, BRIEFING_MAP, BRIEFING_MAP, VALUES)
BODY = st.lists(st.one_of(ANY_TEXT, HOSTILE, st.sampled_from([
    "Dock workers at Port Verrin walked out on Monday.", "# Heading", "* item", "> quote", "```",
    "| a | b |\n| - | - |\n| c | d |", "---", "\n", "\n\n", "    code", "&amp;", "&#0;", "&#x1b;",
])), max_size=12).map("\n".join)


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def _project(briefing: str | bytes, sources: dict[str, str | bytes]) -> Path:
    root = Path(tempfile.mkdtemp(prefix="briefgen-fuzz-"))
    folder = root / "content" / "port"
    (folder / "sources").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Fuzz\ntheme:\n  name: material\n")
    for name, data in {"briefing.yml": briefing, **{f"sources/{k}": v for k, v in sources.items()}}.items():
        if isinstance(data, bytes):
            (folder / name).write_bytes(data)
        else:
            (folder / name).write_text(data, encoding="utf-8")
    return root


# A problem as `briefgen check` prints it; the message is one line (diagnostics.inert escapes
# line breaks), so it cannot forge another problem's line.
PROBLEM = re.compile(r"(?P<path>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>\S.*)")
VERDICT = re.compile(r"briefgen: \d+ errors?, \d+ warnings?(, \d+ notes?)?; (passed|failed)")


def classify(root: Path) -> str:
    """Run `briefgen check` as a user does (quiet: problems and the closing count only) and
    say how it ended: "passed" or "user error"; anything else fails here."""
    result = CliRunner().invoke(main, ["-q", "-C", str(root), "check", "--no-cache"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"check raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    assert result.stdout == "", result.stdout  # check prints nothing but its report, on stderr
    lines = result.stderr.splitlines()
    problems = [PROBLEM.fullmatch(line) for line in lines[:-1]]
    assert all(problems), [line for line, m in zip(lines, problems) if m is None]
    for m in problems:
        assert m is not None  # (for the type checker: asserted above)
        path = Path(m["path"])
        assert not path.is_absolute() and ".." not in path.parts and os.path.lexists(root / path), m[0]
        assert int(m["line"]) >= 1 and int(m["col"]) >= 1, m[0]
    errors = sum(1 for m in problems if m is not None and m["severity"] == "error")
    if result.exit_code == 0:
        assert errors == 0 and (not lines or VERDICT.fullmatch(lines[-1])), result.stderr
        return "passed"
    assert errors >= 1 and VERDICT.fullmatch(lines[-1]) and lines[-1].endswith("failed"), result.stderr
    return "user error"


def _assert_reported_only(root: Path) -> str:
    try:
        kind = classify(root)
        event(f"outcome: {kind}")
        # Nothing was written: check builds nothing (and --no-cache keeps no parse cache).
        assert sorted(p.name for p in root.iterdir()) == ["content", "mkdocs.yml"]
        return kind
    finally:
        shutil.rmtree(root, ignore_errors=True)


LEDGER_FRONT = {"title": "Cranes fall silent", "outlet": "The Coastal Ledger"}


@SETTINGS
@given(briefing=BRIEFING, front=st.one_of(st.just(LEDGER_FRONT), st.dictionaries(KEYS, VALUES, max_size=6), VALUES),
       body=BODY, wire=BODY)
def test_random_structures_are_reported_not_raised(briefing, front, body, wire) -> None:
    sources = {"ledger.md": f"---\n{_dump(front)}---\n\n{body}\n", "wire.txt": wire}
    _assert_reported_only(_project(_dump(briefing), sources))


@SETTINGS
@given(text=st.one_of(ANY_TEXT, st.lists(st.one_of(ANY_TEXT, HOSTILE, st.sampled_from(
    ["title: T", "as_of: 2024-11-06", "summary:", "  - text: x", "    cite:", "      - ledger: \"x\"",
     "    - ", "  ", ":", "- - -", "&a x", "*a", "*b", "? x", "!!binary x", "--- !foo", "..."])), max_size=12)
    .map("\n".join)), body=BODY)
def test_random_yaml_text_is_reported_not_raised(text, body) -> None:
    sources = {"ledger.md": f"---\ntitle: T\noutlet: O\n---\n\n{body}\n"}
    _assert_reported_only(_project(text, sources))


@SETTINGS
@given(md=st.binary(max_size=200), txt=st.binary(max_size=200), yml=st.binary(max_size=120))
def test_random_bytes_are_reported_not_raised(md, txt, yml) -> None:
    root = _project(b"title: T\nas_of: 2024-11-06\n" + yml,
                    {"ledger.md": b"---\ntitle: T\noutlet: O\n---\n" + md, "wire.txt": txt})
    _assert_reported_only(root)


@SETTINGS
@given(body=BODY, quote=st.one_of(ANY_TEXT, HOSTILE, BODY))
def test_any_quote_against_any_source(body, quote) -> None:
    """A quote is found once, found more than once, or not found; each is a result, never a crash."""
    briefing = _dump({"title": "T", "as_of": datetime.date(2024, 11, 6),
                      "summary": [{"text": "x", "cite": [{"ledger": quote}]}]})
    sources = {"ledger.md": f"---\ntitle: T\noutlet: O\n---\n\n{body}\n"}
    _assert_reported_only(_project(briefing, sources))


SECRET = "SECRET-OUTSIDE-THE-PROJECT"
TOO_LONG_NAME, TOO_DEEP_PATH = "sources/" + "a" * 300 + ".md", "sub/" * 1100 + "a.md"  # ENAMETOOLONG
LINK_NAMES = st.sampled_from(["a.md", "b.txt", "c.md", "wire.txt", "sub", "d.md"])
LINK_TARGETS = st.sampled_from([
    "{outside}", "../../../outside.md", "../../../../outside.md", "a.md", "b.txt", "missing.md",
    "../briefing.yml", "../../port/sources/wire.txt", "/", ".", "..", "sub/../a.md", "wire.txt",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(links=st.dictionaries(LINK_NAMES, LINK_TARGETS, max_size=5),
       files=st.dictionaries(IDS, st.one_of(st.sampled_from(["sources/a.md", "sources/b.txt", "sources/sub/a.md",
                                                              "sources/c.md", "sources/d.md", "", " ",
                                                              "sources/a\x00.md", "sources/\n.md", TOO_LONG_NAME,
                                                              TOO_DEEP_PATH]), ANY_TEXT),
                             max_size=3))
def test_symlinks_never_let_a_file_outside_the_folder_in(links, files) -> None:
    """Links in sources/ and `file:` entries that leave the folder, loop or dangle are reported;
    nothing outside the briefing folder is ever read into a source."""
    root = _project(_dump({"title": "T", "as_of": datetime.date(2024, 11, 6),
                           "sources": {sid: {"file": f, "title": "T", "outlet": "O"} for sid, f in files.items()},
                           "summary": [{"text": "x", "cite": [{"wire": "walked out"}]}]}),
                    {"wire.txt": "Dock workers walked out.\n"})
    outside = root.parent / f"{root.name}-outside.md"
    outside.write_text(f"---\ntitle: T\noutlet: O\n---\n{SECRET}\n", encoding="utf-8")
    (root / "outside.md").write_text(f"---\ntitle: T\noutlet: O\n---\n{SECRET}\n", encoding="utf-8")
    try:
        for name, target in links.items():
            link = root / "content" / "port" / "sources" / name
            if not os.path.lexists(link):
                link.symlink_to(target.format(outside=outside))
        outcome = check(root)
        for p in outcome.report.problems:
            assert os.path.lexists(root / p.pos.path) and p.pos.line >= 1 and p.pos.col >= 1, p
            assert SECRET not in p.message, p
        for checked in outcome.checked:
            for source in checked.briefing.sources.values():
                assert SECRET not in source.body, source.path
    finally:
        outside.unlink()
        shutil.rmtree(root, ignore_errors=True)


def test_the_classifier_tells_a_pass_from_a_user_error() -> None:
    """The two outcomes, on hand-made projects, so the classification above can say either."""
    good = _dump({"title": "Λιμάνι", "as_of": datetime.date(2024, 11, 6),
                  "summary": [{"text": "x", "cite": [{"ledger": "Αποβάθρα έκλεισε"}]}]})
    ledger = {"ledger.md": "---\ntitle: T\noutlet: O\n---\n\nΗ Αποβάθρα έκλεισε τη Δευτέρα.\n"}
    for briefing, expected in ((good, "passed"), (good.replace("Αποβάθρα έκλεισε", "Порт закрыт"), "user error")):
        root = _project(briefing, ledger)
        try:
            assert classify(root) == expected
        finally:
            shutil.rmtree(root, ignore_errors=True)
