"""Material's navigation rendered once for the pages that see it alike (engine/navcache.py): a site
built with it is byte for byte the site built without it, whatever the pages' places, the URL
style and the nav features; and it is used only where that is known to hold."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, tree_hash

_BUILD = """
import sys
from pathlib import Path
import briefgen.engine.navcache as navcache
kept = []
if sys.argv[3] == "off":
    navcache.install = lambda env, config, nav: False
else:
    real_init = navcache._KeptNav.__init__
    def init(self, *args):
        real_init(self, *args)
        kept.append(self)
    navcache._KeptNav.__init__ = init
from briefgen.engine.site import build_site
from briefgen.strategy import Strategy
outcome = build_site(Path(sys.argv[1]), strategy=Strategy(parse_cache=False, jobs=1))
assert not outcome.report.errors, outcome.report.sorted()
Path(sys.argv[2]).write_text(str(sum(len(made) for k in kept for made in k._variants.values())) if kept else "none")
"""


def _build(project: Path, marker: Path, mode: str) -> str:
    proc = subprocess.run([sys.executable, "-c", _BUILD, str(project), str(marker), mode], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr
    return marker.read_text()


def _project(root: Path, config: str) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    for name in ("second", "third"):  # one briefing in the nav (nav_briefings: 1), two not
        shutil.copytree(REPO / "content/khmeimim", root / "content" / name)
    docs = root / "docs"
    for page in ("about.md", "guide/index.md", "guide/deep/page.md", "khmeimim-notes/page.md", "notes.md"):
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text(f"# {page}\n\nText of {page}.\n\n## A heading\n\nMore.\n")
    (root / "mkdocs.yml").write_text(textwrap.dedent(config))
    return root


_NAV_FEATURES = """\
    site_name: Nav
    site_url: https://example.org/news/
    repo_url: https://github.com/example/news
    theme:
      name: material
      features: [navigation.indexes, navigation.sections, navigation.expand, toc.integrate, navigation.path]
    nav:
      - about.md
      - Guide: [guide/index.md, guide/deep/page.md]
    plugins: [search, briefgen]
    extra:
      briefgen: {nav_briefings: 1}
"""

_FILE_URLS = """\
    site_name: Nav
    use_directory_urls: false
    theme:
      name: material
      logo: assets/logo.png
      features: [navigation.tabs, navigation.prune]
    plugins: [search, briefgen]
    extra:
      briefgen: {nav_briefings: 1}
"""


@pytest.mark.parametrize("config", [_NAV_FEATURES, _FILE_URLS], ids=["directory-urls-features", "file-urls"])
def test_a_site_built_with_kept_navigation_is_the_site_built_without(tmp_path: Path, config: str) -> None:
    on, off = _project(tmp_path / "on", config), _project(tmp_path / "off", config)
    if "logo" in config:
        for root in (on, off):
            (root / "docs/assets").mkdir(parents=True)
            (root / "docs/assets/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    rendered = _build(on, tmp_path / "on.txt", "on")
    assert _build(off, tmp_path / "off.txt", "off") == "none"
    assert tree_hash(on / "site") == tree_hash(off / "site")
    # Rendered once per variant, not once per page: the sources of the briefing in the nav, and
    # of those not in it, link to the nav by different relative paths; the docs pages not in the
    # nav each sit at their own depth or share a prefix with a nav page.
    pages_outside = len(list(on.glob("content/*/sources/*.md"))) + 2
    assert rendered != "none" and 1 <= int(rendered) < pages_outside, rendered


def test_it_is_left_off_beside_an_override_of_a_nav_template_or_another_plugin(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", _FILE_URLS)
    (project / "templates/theme/partials").mkdir(parents=True)
    (project / "templates/theme/partials/nav-item.html").write_text(  # reads the page: never kept
        '{% macro render(nav_item, path, level) %}<li>{{ page.title }}: {{ nav_item.title }}</li>{% endmacro %}\n')
    assert _build(project, tmp_path / "a.txt", "on") == "none"
    assert "<li>" in (project / "site/khmeimim/sources/japantimes.html").read_text()

    other = _project(tmp_path / "q", _FILE_URLS.replace("[search, briefgen]", "[search, briefgen, tags]"))
    assert _build(other, tmp_path / "b.txt", "on") == "none"
