"""Real MkDocs builds: the pages of the contract exist and every citation link lands on its words.

Links are followed the way a browser follows them: relative to the page that holds them, to a
file of the built site, then to the element with the fragment's id, whose text (tags stripped,
whitespace collapsed, quotes and dashes normalised) must contain the quote.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SiteReader, build_ok, grep_site, make_project, tree_hash

from briefgen.cli import main

# -- a small project with every kind of statement -----------------------------------------------

HARBOUR_YML = """\
title: Harbour standstill
as_of: 2024-05-02
tags: [ports]
sources:
  herald:
    title: Ships wait at sea
    outlet: The Herald
    published: 2024-05-01
summary:
  - text: The northern cranes *stopped* on Tuesday.
    cite:
      - wire: "said the northern cranes stopped working"
        origin: Harbour master
  - id: ships-wait
    text: Eleven ships wait outside the harbour.
    cite:
      - herald: "eleven ships were waiting beyond the breakwater"
      - wire: "Eleven idle ships"
  - text: A reopening this month looks unlikely.
    assessment: low
facts:
  - id: idle-ships
    fact: Idle ships
    value: Eleven, *outside* the breakwater
    cite:
      - wire: "Eleven idle ships"
        origin: Dock workers
      - herald: "eleven ships were waiting beyond the breakwater"
        origin: Herald reporter
  - id: crane-count
    fact: Cranes stopped
    value: Four of six
    cite:
      - wire: "four of the six cranes"
      - herald: "Only two cranes moved"
        disputes: true
  - id: north-quay
    fact: North quay
    value: Stopped since Tuesday
    cite:
      - wire: "stopped since Tuesday"     # a table cell
      - wire: "At the quays"              # a heading
questions:
  - id: reopen
    question: Will the harbour reopen this month?
    status: open
    hypotheses:
      - {id: soon, label: It reopens within the month}
      - {id: later, label: It stays shut longer}
    evidence:
      - text: The authority promises a quick reopening.
        cite: [{wire: "the port would reopen within days"}]
        bears: {soon: for, later: against}
      - id: union-vote
        text: The dockers' union votes next week.
        cite: [{herald: "The union votes on Thursday"}]
        bears: {soon: neutral, later: neutral}
    watch: [Cranes moving again]
timeline:
  - date: 2024-04-30
    text: Cranes stop.
    cite: [{wire: "stopped working on Tuesday morning"}]
  - id: ships-count
    date: 2024-05-01
    text: Ships counted.
    cite: [{herald: "counted on Wednesday"}]
"""

WIRE_MD = """\
---
title: Harbour cranes fall silent
outlet: Example Wire
published: 2024-05-01
url: https://example.com/harbour
---
The harbour master said the northern cranes stopped working on Tuesday morning.

## At the quays

- Eleven idle ships rode at anchor.
- Dockers said four of the six cranes were *switched off*.

> The authority insisted the port would reopen within days.

| Quay | Cranes |
| --- | --- |
| North | stopped since Tuesday |
"""

HERALD_TXT = """\
Our reporter said eleven ships were waiting beyond the breakwater, counted on Wednesday.
Only two cranes moved, he added.
The union votes on Thursday.
"""


def small_files() -> dict[str, str]:
    files = {
        "mkdocs.yml": "site_name: Harbour watch\ntheme: material\nplugins: [search]\n",
        "docs/about.md": "# About this site\n\nWritten by the harbour desk of a newsroom.\n",
        "content/harbour/briefing.yml": HARBOUR_YML,
        "content/harbour/sources/wire.md": WIRE_MD,
        "content/harbour/sources/herald.txt": HERALD_TXT,
    }
    for bid, as_of, title in (("airfield", "2024-06-10", "Airfield lights"), ("border", "2023-11-30", "Border queue")):
        files[f"content/{bid}/briefing.yml"] = (
            f"title: {title}\nas_of: {as_of}\nsummary:\n  - text: Something happened.\n"
            f"    cite: [{{desk: \"something happened at the {bid}\"}}]\n")
        files[f"content/{bid}/sources/desk.md"] = (
            f"---\ntitle: Desk note\noutlet: Desk {bid}\n---\nWitnesses say something happened at the {bid} today.\n")
    return files


class Built:
    def __init__(self, project: Path, site: Path, outcome=None):
        self.project, self.site, self.outcome = project, site, outcome
        self.reader = SiteReader(site)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Built:
    project = make_project(tmp_path_factory.mktemp("small"), small_files())
    outcome = build_ok(project)
    return Built(project, project / "site", outcome)


@pytest.fixture(scope="module")
def example(built_example) -> Built:
    return Built(built_example.project, built_example.site, built_example.outcome)


@pytest.fixture(params=["small", "example"])
def any_site(request) -> Built:
    return request.getfixturevalue(request.param)


def contract_paths(built: Built, directory_urls: bool = True) -> list[str]:
    ext = "/index.html" if directory_urls else ".html"
    paths = ["index.html"]
    for r in built.outcome.resolved:
        b = r.briefing
        paths += [f"{b.id}/index.html", f"{b.id}/facts{ext}", f"{b.id}/questions{ext}", f"{b.id}/briefing.json"]
        paths += [f"{b.id}/sources/{s}{ext}" for s in b.sources]
    return paths


# -- pages and links -------------------------------------------------------------------------------

def test_every_page_of_the_contract_exists(any_site):
    paths = contract_paths(any_site)
    assert len(paths) >= 7
    missing = [p for p in paths if not (any_site.site / p).is_file()]
    assert missing == []


def test_every_citation_and_backlink_lands_on_its_words(any_site):
    counts = any_site.reader.follow_everything()
    citations = sum(r.citation_count for r in any_site.outcome.resolved)
    statements = sum(len(json.loads((any_site.site / r.briefing.id / "briefing.json").read_text())["statements"])
                     for r in any_site.outcome.resolved)
    assert counts["cite"] == citations  # every marker on every page was followed
    assert counts["json"] == citations
    assert counts["statement"] == statements
    passages = sum(len(ps) for r in any_site.outcome.resolved for ps in r.passages.values())
    assert counts["backlink"] >= passages > 0


def test_cited_passages_are_highlighted(any_site):
    for r in any_site.outcome.resolved:
        for sid, passages in r.passages.items():
            page = any_site.reader.page(f"{r.briefing.id}/sources/{sid}/index.html")
            for p in passages:
                assert "bg-hl" in page.id_classes[p.anchor], (sid, p.anchor)


def test_every_relative_link_leads_to_an_existing_page_and_id(any_site):
    reader = any_site.reader
    checked = 0
    # 404.html is the exception the contract names: it needs `site_url` to work under a sub-path
    for rel in [p for p in reader.pages() if p != "404.html"]:
        for link in reader.page(rel).links:
            assert not link.href.startswith("/"), f"{rel}: absolute link {link.href!r} breaks under a sub-path"
            resolved = reader.resolve(rel, link.href)
            if resolved is None:
                continue
            target, fragment = resolved
            assert (any_site.site / target).exists(), f"{rel}: {link.href!r} leads nowhere"
            if fragment and target.endswith(".html"):
                assert fragment in reader.page(target).ids, f"{rel}: {link.href!r}: no id {fragment!r}"
            checked += 1
    assert checked > 50


def test_index_lists_briefings_newest_as_of_first(small, example):
    html = (small.site / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<h2><a href="([^"]+)">', html)
    assert cards == ["airfield/", "harbour/", "border/"]  # 2024-06-10, 2024-05-02, 2023-11-30
    ex = (example.site / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2><a href="([^"]+)">', ex) == [f"{r.briefing.id}/" for r in sorted(
        example.outcome.resolved, key=lambda r: r.briefing.as_of, reverse=True)]


def test_statement_anchors_follow_the_contract(small, example):
    ids = lambda b, page: small.reader.page(f"{b}/{page}").ids  # noqa: E731
    assert {"summary-1", "ships-wait", "summary-3", "timeline-1", "ships-count"} <= set(ids("harbour", "index.html"))
    assert {"fact-idle-ships", "fact-crane-count"} <= set(ids("harbour", "facts/index.html"))
    assert {"q-reopen", "q-reopen-e1", "union-vote"} <= set(ids("harbour", "questions/index.html"))
    ex = lambda page: example.reader.page(f"khmeimim/{page}").ids  # noqa: E731
    assert {"summary-1", "too-early", "timeline-1", "timeline-4"} <= set(ex("index.html"))
    assert {"fact-heavy-lift", "fact-bases-status"} <= set(ex("facts/index.html"))
    assert {"q-exit-or-drawdown", "q-exit-or-drawdown-e1", "q-convoy-destination-e3"} <= set(ex("questions/index.html"))
    # the row itself carries the id: a colleague's link lands on the statement's own text
    assert "Eleven ships wait outside the harbour." in ids("harbour", "index.html")["ships-wait"]
    assert "Four of six" in ids("harbour", "facts/index.html")["fact-crane-count"]


def test_users_own_docs_page_is_built_and_in_the_nav(small):
    about = small.site / "about" / "index.html"
    assert about.is_file()
    assert "Written by the harbour desk of a newsroom." in about.read_text(encoding="utf-8")
    for page in ("index.html", "harbour/facts/index.html"):
        nav = [link.href for link in small.reader.page(page).links if link.in_nav]
        targets = {small.reader.resolve(page, h)[0] for h in nav if small.reader.resolve(page, h)}
        assert "about/index.html" in targets, (page, nav)


# -- navigation stays bounded ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def three_by_three(tmp_path_factory) -> Built:
    files = {}
    for b in ("alpha", "bravo", "charlie"):
        cites = "\n".join(f"      - {s}: \"{b} report from {s}\"" for s in ("one", "two", "three"))
        files[f"content/{b}/briefing.yml"] = (f"title: Briefing {b}\nas_of: 2024-01-0{len(b) % 9 + 1}\n"
                                             f"summary:\n  - text: Reports.\n    cite:\n{cites}\n")
        for s in ("one", "two", "three"):
            files[f"content/{b}/sources/{s}.md"] = (f"---\ntitle: Story {s}\noutlet: Outlet {s}\n---\n"
                                                    f"This is the {b} report from {s}, in full.\n")
    project = make_project(tmp_path_factory.mktemp("nav"), files)
    return Built(project, project / "site", build_ok(project))


def test_nav_lists_no_source_page_and_source_pages_link_only_their_own_briefing(three_by_three):
    reader = three_by_three.reader
    pages = reader.pages()
    assert sum("/sources/" in p for p in pages) == 9
    for rel in pages:
        nav_targets = [reader.resolve(rel, link.href) for link in reader.page(rel).links if link.in_nav]
        nav_targets = [t[0] for t in nav_targets if t]
        assert not [t for t in nav_targets if "/sources/" in t], f"{rel}: the nav lists source pages"
        if rel != "404.html":  # the nav does list every briefing's own pages (these have no facts)
            assert {f"{b}/index.html" for b in ("alpha", "bravo", "charlie")} <= set(nav_targets), rel
        if "/sources/" in rel:
            own = rel.split("/")[0]
            for link in reader.page(rel).links:
                t = reader.resolve(rel, link.href)
                if t and "/sources/" in t[0]:
                    assert t[0].startswith(f"{own}/"), f"{rel} links another briefing's source {link.href}"
    reader.follow_everything()


# -- failures, overrides and settings --------------------------------------------------------------

@pytest.mark.parametrize("breakage", ["broken quote", "mkdocs strict failure"])
def test_failed_build_leaves_the_previous_site_byte_for_byte(tmp_path, breakage):
    files = small_files()
    del files["content/harbour/briefing.yml"], files["content/harbour/sources/wire.md"], files["content/harbour/sources/herald.txt"]
    project = make_project(tmp_path, files)
    build_ok(project)
    before = tree_hash(project / "site")
    assert len(before) > 20
    if breakage == "broken quote":
        yml = project / "content/airfield/briefing.yml"
        yml.write_text(yml.read_text().replace("something happened at the airfield", "nothing at all happened"))
        args = ["-C", str(project), "build"]
    else:  # MkDocs itself gives up: a link to a missing page under --strict
        (project / "docs" / "about.md").write_text("# About\n\nSee [the missing page](missing.md).\n")
        args = ["-C", str(project), "build", "--strict"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    if breakage == "broken quote":
        assert re.search(r"^content/airfield/briefing\.yml:5:\d+: error: quote not found", result.stderr, re.M)
    assert tree_hash(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == [".briefgen-cache"]


def test_project_template_overrides_a_packaged_one_by_name(tmp_path):
    files = small_files()
    files["templates/facts.html"] = ('<p class="desk-facts">Desk facts template for {{ b.title }}: '
                                     '{{ b.facts|length }} rows</p>\n')
    project = make_project(tmp_path, files)
    build_ok(project)
    facts = (project / "site/harbour/facts/index.html").read_text(encoding="utf-8")
    assert "Desk facts template for Harbour standstill: 3 rows" in facts
    assert "Corroboration counts independent" not in facts  # the packaged template was not used
    summary = (project / "site/harbour/index.html").read_text(encoding="utf-8")
    assert "Desk facts template" not in summary and "Bottom line" in summary  # others stay packaged


def test_a_broken_project_template_is_a_located_user_error(tmp_path):
    files = small_files()
    files["templates/facts.html"] = "<p>Facts</p>\n<p>{{ b.no_such_field }}</p>\n"
    project = make_project(tmp_path, files)
    result = CliRunner().invoke(main, ["-C", str(project), "build"])
    assert not (project / "site").exists()  # nothing half-built
    assert result.exit_code == 1, result.stderr
    assert re.search(r"^templates/facts\.html:2:\d+: error: ", result.stderr, re.M), result.stderr


def test_user_nav_is_honoured_and_briefings_come_after_it(tmp_path):
    files = small_files()
    files["mkdocs.yml"] += "nav:\n  - About us: about.md\n"
    project = make_project(tmp_path, files)
    build_ok(project)
    reader = SiteReader(project / "site")
    nav = [(link.text, reader.resolve("index.html", link.href)[0]) for link in reader.page("index.html").links
           if link.in_nav and "md-nav__link" in link.classes]
    targets = [t for _, t in nav]
    assert ("About us", "about/index.html") in nav
    first_briefing = min(targets.index(f"{b}/index.html") for b in ("airfield", "harbour", "border"))
    assert targets.index("about/index.html") < first_briefing


def test_site_dir_in_mkdocs_yml_is_honoured(tmp_path):
    files = small_files()
    files["mkdocs.yml"] += "site_dir: public/html\n"
    project = make_project(tmp_path, files)
    build_ok(project)
    built = Built(project, project / "public/html")
    assert not (project / "site").exists()
    assert all((built.site / p).is_file() for p in ("index.html", "harbour/index.html", "harbour/briefing.json",
                                                     "harbour/sources/wire/index.html"))
    SiteReader(built.site).follow_everything()


def test_use_directory_urls_false_gives_html_files_and_working_relative_links(tmp_path):
    files = small_files()
    files["mkdocs.yml"] += "use_directory_urls: false\n"
    project = make_project(tmp_path, files)
    outcome = build_ok(project)
    built = Built(project, project / "site", outcome)
    missing = [p for p in contract_paths(built, directory_urls=False) if not (built.site / p).is_file()]
    assert missing == []
    assert not (built.site / "harbour/facts").exists()
    assert (built.site / "about.html").is_file()
    counts = built.reader.follow_everything()
    assert counts["cite"] == counts["json"] == sum(r.citation_count for r in outcome.resolved)
    summary = (built.site / "harbour/index.html").read_text(encoding="utf-8")
    assert 'href="facts.html#fact-idle-ships"' in summary
    assert 'href="sources/wire.html#' in summary
    doc = json.loads((built.site / "harbour/briefing.json").read_text())
    assert {s["page"] for s in doc["sources"]} == {"sources/wire.html", "sources/herald.html"}


# -- publish: excerpts ---------------------------------------------------------------------------------

EXCERPT_MD = """\
---
title: Leaked minutes
outlet: Example Wire
url: https://example.com/minutes
publish: excerpts
---
Preamble about quartermaster Zebulon and his umbrella collection.

The committee agreed that the northern cranes would stay idle until June, said the chair.

A closing remark about marmalade rationing in the canteen.
"""

UNCITED = ["Preamble about quartermaster Zebulon", "umbrella collection", "marmalade rationing",
           "closing remark", "The committee agreed", "until June, said the chair"]


def excerpt_project(tmp_path, cites: list[str]) -> Path:
    lines = "\n".join(f"  - text: Statement {n}.\n    cite: [{{minutes: {json.dumps(q)}}}]"
                      for n, q in enumerate(cites, 1))
    return make_project(tmp_path, {
        "content/cranes/briefing.yml": f"title: Cranes\nas_of: 2024-05-02\nsummary:\n{lines}\n",
        "content/cranes/sources/minutes.md": EXCERPT_MD,
    })


def test_excerpts_source_publishes_only_the_quoted_words(tmp_path):
    project = excerpt_project(tmp_path, ["northern cranes would stay idle"])
    build_ok(project)
    site = project / "site"
    assert (site / "search" / "search_index.json").is_file()
    quoted = "northern cranes would stay idle"
    hits = grep_site(site, quoted, *UNCITED)
    assert {words: files for words, files in hits.items() if files and words != quoted} == {}
    assert "cranes/sources/minutes/index.html" in hits[quoted] and "search/search_index.json" in hits[quoted]
    SiteReader(site).follow_everything()


def test_excerpts_show_a_gap_between_separate_quotes(tmp_path):
    project = excerpt_project(tmp_path, ["quartermaster Zebulon", "marmalade rationing"])
    build_ok(project)
    html = (project / "site/cranes/sources/minutes/index.html").read_text(encoding="utf-8")
    article = html[html.index('<article class="bg-source"'):html.index("</article>", html.index('<article class="bg-source"'))]
    assert article.index("quartermaster Zebulon") < article.index("bg-gap") < article.index("marmalade rationing")
    assert grep_site(project / "site", "umbrella collection") == {"umbrella collection": []}
    SiteReader(project / "site").follow_everything()


def test_excerpts_with_overlapping_quotes_still_land_on_their_words(tmp_path):
    project = excerpt_project(tmp_path, ["cranes would stay idle until",   # placed first (longest)
                                         "the northern cranes would",       # half-overlaps it
                                         "idle until June, said"])          # half-overlaps it too
    build_ok(project)
    SiteReader(project / "site").follow_everything()


def test_nav_lists_only_the_newest_briefings_and_the_index_lists_all(tmp_path):
    # Material renders the nav into every page: it must not grow with the number of briefings.
    files = {"mkdocs.yml": "site_name: T\ntheme: {name: material}\nextra: {briefgen: {nav_briefings: 2}}\n"}
    for n, b in enumerate(["old", "middle", "new"], 1):
        files[f"content/{b}/briefing.yml"] = (f"title: Briefing {b}\nas_of: 2024-01-0{n}\n"
                                              f"summary: [{{text: T., cite: [{{s: \"report {b}\"}}]}}]\n")
        files[f"content/{b}/sources/s.md"] = f"---\ntitle: S\noutlet: O\n---\nThe report {b}.\n"
    project = make_project(tmp_path, files)
    build_ok(project)
    page = (project / "site" / "old" / "facts" / "index.html").read_text()
    nav = page[page.index('class="md-nav md-nav--primary"'):page.index('<div class="md-content"')]
    assert "Briefing new" in nav and "Briefing middle" in nav and "Briefing old" not in nav
    index = (project / "site" / "index.html").read_text()
    assert [b for b in ("new", "middle", "old") if f"Briefing {b}</a>" in index] == ["new", "middle", "old"]
    assert index.index("Briefing new</a>") < index.index("Briefing middle</a>") < index.index("Briefing old</a>")


def test_a_page_with_nothing_in_it_has_no_tab_and_no_nav_entry(tmp_path: Path) -> None:
    import yaml

    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    path = tmp_path / "content/khmeimim/briefing.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data.pop("questions")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    build_ok(tmp_path)
    summary = (tmp_path / "site/khmeimim/index.html").read_text("utf-8")
    assert 'href="questions/"' not in summary  # neither the tab nor the sidebar links the empty page
    assert 'href="facts/"' in summary
    assert (tmp_path / "site/khmeimim/questions/index.html").is_file()  # a shared link still works
