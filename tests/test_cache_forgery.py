"""Found by an attack review: forged cache files (a kept briefing or earlier version) never
name a path, kept briefings are read back at all, feed descriptions are HTML that shows the
text, and a page that spells Python-Markdown's own placeholder still builds on Zensical."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import markdown
import pytest
from test_hostile import build, write_project

from briefgen.caches.rendermemo import RenderMemo
from briefgen.engine.zensical_markdown import MARK, RenderedPages
from briefgen.stages.render import Page
from briefgen.stages.searchable import SearchEntry


def _page(name: str = "harbour/facts") -> Page:
    return Page(name=name, title="t", html="<p>h</p>", description="d", kind="facts",
                search=(SearchEntry("", "t", "words"),))


def _memo(tmp_path: Path) -> RenderMemo:
    return RenderMemo(tmp_path / "briefings", tmp_path / "templates", (True, "s", None))


def test_a_kept_briefing_is_read_back(tmp_path: Path) -> None:
    # Pages carry `search` since per-row search merged; the memo's shape check did not know the
    # field, so every kept briefing read as a miss (rendered again and rewritten on every build).
    memo = _memo(tmp_path)
    memo.put("k" * 32, {"pages": [asdict(_page())], "files": {"harbour/briefing.json": "{}"}})
    assert memo.get("k" * 32) is not None


def test_a_build_reuses_its_kept_briefings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_project(tmp_path)
    assert build(root).exit_code == 0
    first = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    hits = []
    get = RenderMemo.get
    monkeypatch.setattr(RenderMemo, "get", lambda self, key: hits.append(get(self, key)) or hits[-1])
    assert build(root).exit_code == 0
    assert hits and all(h is not None for h in hits)
    second = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert second == first


@pytest.mark.parametrize("name", ["../../../../tmp/x", "/tmp/x", "harbour/../../x", "a\\..\\..\\x", ""])
def test_a_kept_briefing_naming_a_path_outside_is_a_miss(tmp_path: Path, name: str) -> None:
    # The digest is not secret (caches/sealed.py): a committed or restored cache file can be
    # sealed by anyone. Its file names became paths (Zensical: docs/<name>, written as is), so
    # one naming ../../.. wrote outside the project. Read back, such a briefing is a miss.
    memo = _memo(tmp_path)
    memo.put("a" * 32, {"pages": [asdict(_page())], "files": {name: "PWNED"}})
    assert memo.get("a" * 32) is None
    memo.put("b" * 32, {"pages": [asdict(_page(name))], "files": {}})
    assert memo.get("b" * 32) is None


def test_feed_descriptions_are_html_that_shows_the_text(tmp_path: Path) -> None:
    # mkdocs-rss-plugin prints a page's description into RSS <description> and JSON Feed
    # `content_html`, both HTML to a feed reader: handed plain text, an article's
    # `<img src=x onerror=...>` reached readers as live markup.

    root = write_project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: Hostile\nsite_url: https://example.org/\ntheme:\n  name: material\n"
                                     "plugins:\n  - search\n  - rss:\n      match_path: '.*'\n", encoding="utf-8")
    assert build(root).exit_code == 0
    items = json.loads((root / "site" / "feed_json_created.json").read_text(encoding="utf-8"))["items"]
    assert items
    for item in items:
        assert "<script" not in item["content_html"] and "<img" not in item["content_html"], item["content_html"]


def test_a_stash_placeholder_in_a_page_does_not_stop_zensical() -> None:
    # A title `"\u0002wzxhzdk:0\u0003"` in briefing.yml put Markdown's own placeholder in the
    # stashed page; Markdown replaced it by the page again and again: RecursionError, no build.
    page = "<p>Summary \x02wzxhzdk:0\x03 and \x02wzxhzdk:1\x03</p>"
    out = markdown.Markdown(extensions=[RenderedPages()]).convert(f"{MARK}\n{page}")
    assert out.count("Summary") == 1 and "wzxhzdk:0" in out


def _git_project(root: Path) -> Path:
    import subprocess

    write_project(root)
    env = ["-c", "user.email=a@b", "-c", "user.name=a"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", *env, "commit", "-qm", "one"], cwd=root, check=True)
    yml = root / "content" / "harbour" / "briefing.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("as_of: 2024-11-06", "as_of: 2024-11-08"), encoding="utf-8")
    subprocess.run(["git", *env, "commit", "-qam", "two"], cwd=root, check=True)
    return root


def test_a_kept_earlier_page_under_another_name_writes_nothing_outside(tmp_path: Path) -> None:
    # .briefgen-cache/earlier/<briefing>.json is sealed with a digest anyone can recompute
    # (render_stamp: the code, the templates, two settings). A page kept there under the name
    # ../../../x was staged by the Zensical engine at docs/../../../x/index.md: outside the project.
    pytest.importorskip("zensical")
    from briefgen.caches.sealed import read_sealed, write_sealed
    from briefgen.history.earlier import render_stamp

    root = _git_project(tmp_path / "p")
    assert build(root, "--engine", "zensical").exit_code == 0
    kept = root / ".briefgen-cache" / "earlier" / "harbour.json"
    stamp = f"earlier/2/{render_stamp(root.resolve(), True, 'Hostile')}"
    sealed = read_sealed(kept, stamp)
    assert sealed is not None  # the forger's seal is the one the build checks
    pages = json.loads(bytes(sealed))
    outside = tmp_path / "outside"
    for fields in pages.values():
        if fields:
            fields[0] = "../" * 12 + outside.as_posix().lstrip("/")
    body = json.dumps(pages).encode()
    assert write_sealed(kept, stamp, body)
    for memo in (root / ".briefgen-cache" / "briefings").glob("*"):
        memo.unlink()  # so that the briefing is rendered and its earlier pages read
    assert build(root, "--engine", "zensical").exit_code == 0
    assert not outside.exists()
    assert (root / "site" / "harbour" / "versions" / "2024-11-06" / "index.html").is_file()
