"""An imported article passes `briefgen check` and can be quoted at once (issue: add-source)."""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from briefgen.diagnostics import Report, UserError
from briefgen.importer import add_source
from briefgen.stages.load import load_project

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "article.html"


def test_import_then_cite_then_check(tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ntheme: {name: material}\n")
    assert runner.invoke(main, ["-C", str(tmp_path), "new", "port"]).exit_code == 0
    (tmp_path / "content" / "port" / "sources" / "example.md").unlink()
    result = runner.invoke(main, ["-C", str(tmp_path), "add-source", "port", str(FIXTURE), "--id", "harbour"])
    assert result.exit_code == 0, result.output
    (tmp_path / "content" / "port" / "briefing.yml").write_text(
        "title: Port closed\nas_of: 2024-05-06\n"
        "summary:\n"
        "  - text: Cranes stopped at Port Veloria.\n"
        "    cite: [{harbour: \"suspended all crane operations without warning\"}]\n"
        "facts:\n"
        "  - id: ships\n    fact: Ships waiting\n    value: At least fourteen\n"
        "    cite: [{harbour: \"at least fourteen vessels were waiting offshore\"}]\n")
    checked = runner.invoke(main, ["-C", str(tmp_path), "check"])
    assert checked.exit_code == 0, checked.output
    assert "0 errors" in checked.output
    built = runner.invoke(main, ["-C", str(tmp_path), "build"])
    assert built.exit_code == 0, built.output
    page = (tmp_path / "site" / "port" / "sources" / "harbour" / "index.html").read_text()
    assert 'class="bg-hl">suspended all crane operations without warning</mark>' in page
    assert "Buy discount ferry tickets" not in page


# --- what the importer writes is what the loader accepts (property tests) ----------------------

# Strings a hostile page or a hurried user could put in a headline or an outlet name: YAML
# syntax, markup, controls, bidi overrides and isolates, other scripts, lookalike digits.
ODD = st.lists(st.one_of(
    st.sampled_from(list("-_ .:#&*!|>'\"%@`?,[]{}<>/\\\n\r\t\x00\x0b\x1b\x7f\x85\u2028\ufeff")),
    st.sampled_from(list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")),
    st.sampled_from(["yes", "null", "~", "---", "...", "2024-01-01", "note", "source", "The "]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=4),
), max_size=12).map("".join)
LEAKS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]")


def import_and_load(make: Callable[[Path], dict], must_import: bool = False) -> None:
    """Import into a fresh project, then load it with the loader: either the importer refused
    with a UserError, or the loader takes the file with no error and the same id."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content" / "port").mkdir(parents=True)
        (root / "content" / "port" / "briefing.yml").write_text(
            "title: Port\nas_of: 2024-11-06\n", encoding="utf-8")
        try:
            path = add_source(root, "port", **make(root))
        except UserError as exc:
            assert "\n" not in str(exc)
            assert not must_import, str(exc)
            return
        report = Report()
        briefings = load_project(root, report)
        assert not report.errors, [str(p) for p in report.errors]
        source = briefings[0].sources[path.stem]
        for text in (source.title, source.outlet):
            assert text and text == text.strip() and not LEAKS.search(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=ODD, outlet=ODD)
def test_txt_import_of_any_title_and_outlet_loads(title: str, outlet: str) -> None:
    def make(root: Path) -> dict:
        txt = root / "article.txt"
        txt.write_text("The crews returned to work on Friday.\n", encoding="utf-8")
        return {"target": str(txt), "title": title, "outlet": outlet}

    # With an ASCII letter or digit in both there is an id to make, so refusing would be a bug.
    import_and_load(make, must_import=all(re.search("[A-Za-z0-9]", x) for x in (title, outlet)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=ODD, outlet=ODD, url=ODD)
def test_html_import_of_any_page_metadata_loads(title: str, outlet: str, url: str) -> None:
    def make(root: Path) -> dict:
        page = root / "page.html"
        page.write_text(
            f'<html><head><meta property="og:site_name" content="{html.escape(outlet)}">'
            f'<meta property="og:title" content="{html.escape(title)}">'
            f'<link rel="canonical" href="https://x.example/{html.escape(url)}">'
            "</head><body><article><p>The council met on Tuesday and voted to close the old "
            "harbour road for repairs lasting three weeks.</p></article></body></html>",
            encoding="utf-8")
        return {"target": str(page)}

    import_and_load(make)
