"""An imported article passes `briefgen check` and can be quoted at once (issue: add-source)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import main

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
