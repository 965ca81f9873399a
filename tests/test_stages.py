"""Each pipeline stage on small real projects: load, check, resolve/highlight, render, export.

No MkDocs here: `pipeline.check` and `pipeline.render` run the stages up to the rendered pages
and briefing.json, which is what these tests look at (test_build.py covers whole builds).
"""

from __future__ import annotations

import json
import shutil
import textwrap
from html.parser import HTMLParser
from pathlib import Path

from conftest import REPO, norm, parse_html

from briefgen import pipeline
from briefgen.diagnostics import Report
from briefgen.stages.load import load_project
from briefgen.urls import Urls

# -- helpers -------------------------------------------------------------------------------------

WIRE_MD = """\
    ---
    title: Harbour cranes fall silent
    outlet: Example Wire
    url: https://example.com/cranes
    ---
    The harbour master said the *northern cranes* stopped working on Tuesday morning.

    Dock workers counted eleven idle ships waiting beyond the breakwater at dusk.

    Officials repeated that the port would reopen soon, and then repeated it again.
    """


def checked(project: Path) -> pipeline.Outcome:
    return pipeline.check(project)


def messages(outcome_or_report, severity: str = "error") -> list[str]:
    report = getattr(outcome_or_report, "report", outcome_or_report)
    return [str(p) for p in report.problems if p.severity == severity]


def no_errors(outcome: pipeline.Outcome) -> pipeline.Outcome:
    assert messages(outcome) == []
    return outcome


def rendered(project: Path, directory_urls: bool = True) -> tuple[pipeline.Outcome, dict, dict]:
    """check + resolve + render: (outcome, pages by name, other files by name)."""
    outcome = no_errors(pipeline.check(project))
    files = pipeline.render(project, outcome, Urls(directory_urls), "Test")
    return outcome, {p.name: p for p in outcome.pages}, files


def loaded(project: Path):
    report = Report()
    briefings = load_project(project, report)
    return briefings, report


def line_col_of(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of needle in text."""
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


class NestingChecker(HTMLParser):
    """Fails on an end tag that does not close the innermost open element (improper nesting)."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> while {self.stack[-3:]} open")
        else:
            self.stack.pop()


def assert_well_nested(html: str) -> None:
    checker = NestingChecker()
    checker.feed(html)
    checker.close()
    assert checker.errors == [] and checker.stack == [], (checker.errors, checker.stack)


def article_html(page_html: str) -> str:
    start = page_html.index('<article class="bg-source"')
    return page_html[start: page_html.index("</article>", start) + len("</article>")]


# -- load ------------------------------------------------------------------------------------------

def test_entry_wins_over_front_matter_key_by_key(tmp_path, make_project):
    project = make_project(tmp_path, {
        "content/port/briefing.yml": """\
            title: Port
            as_of: 2024-05-02
            sources:
              wire:
                outlet: Entry Outlet
                published: 2024-05-01
                publish: full
            summary:
              - text: Cranes stopped.
                cite: [{wire: "northern cranes"}]
            """,
        "content/port/sources/wire.md": """\
            ---
            title: Front Title
            outlet: Front Outlet
            author: Front Author
            url: https://example.com/front
            publish: excerpts
            ---
            The *northern cranes* stopped.
            """,
    })
    briefings, report = loaded(project)
    assert report.errors == []
    s = briefings[0].sources["wire"]
    assert (s.title, s.outlet, s.author, s.url) == ("Front Title", "Entry Outlet", "Front Author",
                                                   "https://example.com/front")
    assert s.published.isoformat() == "2024-05-01"
    assert s.publish == "full"  # the entry's value, although the front matter said excerpts


def test_outlet_missing_from_both_layers_is_an_error_at_the_entry(tmp_path, make_project):
    yml = """\
        title: Port
        as_of: 2024-05-02
        sources:
          wire:
            published: 2024-05-01
        summary:
          - text: Quiet.
            assessment: low
        """
    project = make_project(tmp_path, {
        "content/port/briefing.yml": yml,
        "content/port/sources/wire.md": "---\ntitle: Only a title\n---\nText.\n",
    })
    _, report = loaded(project)
    errors = [str(p) for p in report.errors]
    # reported at the `sources:` entry (the mapping under `wire:`, line 5), not at the file
    assert errors == ["content/port/briefing.yml:5:5: error: source 'wire' needs 'outlet' "
                      "(in its front matter or its `sources:` entry)"]


def test_txt_source_is_one_paragraph_per_non_empty_line(tmp_path, make_project):
    project = make_project(tmp_path, {
        "content/port/briefing.yml": """\
            title: Port
            as_of: 2024-05-02
            sources:
              feed: {title: Feed, outlet: Feed Wire}
            summary:
              - text: Ships wait.
                cite: [{feed: "Second line about ships"}]
            """,
        "content/port/sources/feed.txt": "First line of the feed.\nSecond line about ships.\n\n\n"
                                         "   Third line, indented.\nFourth   line\n",
    })
    outcome = no_errors(checked(project))
    doc = outcome.checked[0].docs["feed"]
    assert [b.text for b in doc.blocks] == ["First line of the feed.", "Second line about ships.",
                                            "Third line, indented.", "Fourth   line"]
    # Lines are separate paragraphs: a quote across a line end is not one passage.
    hits = doc.index.find("of the feed. Second line")
    assert hits == []


def test_crlf_and_bom_files_load(tmp_path, make_project):
    bom = b"\xef\xbb\xbf"
    yml = ("title: Port \u2014 CRLF\r\nas_of: 2024-05-02\r\nsummary:\r\n  - text: Cranes.\r\n"
           "    cite: [{wire: \"said the northern cranes stopped\"}, {feed: \"ships at dusk\"}]\r\n"
           "sources:\r\n  feed: {title: Feed, outlet: Feed Wire}\r\n")
    md = ("---\r\ntitle: Cranes \u2018silent\u2019\r\noutlet: Example Wire\r\n---\r\n"
          "The harbour master said the northern\r\ncranes stopped working.\r\n")
    project = make_project(tmp_path, {
        "content/port/briefing.yml": bom + yml.encode(),
        "content/port/sources/wire.md": bom + md.encode(),
        "content/port/sources/feed.txt": bom + b"Idle ships at dusk.\r\nGulls.\r\n",
    })
    outcome = no_errors(checked(project))
    b = outcome.checked[0].briefing
    assert b.title == "Port \u2014 CRLF"  # no BOM glued to the first key, no \r
    assert b.sources["wire"].title == "Cranes \u2018silent\u2019"
    assert [blk.text for blk in outcome.checked[0].docs["feed"].blocks] == ["Idle ships at dusk.", "Gulls."]
    assert len(outcome.checked[0].matches) == 2  # the quote across a CRLF line break matched


def test_file_claims_give_the_entry_key_as_id(tmp_path, make_project):
    project = make_project(tmp_path, {
        "content/port/briefing.yml": """\
            title: Port
            as_of: 2024-05-02
            sources:
              wire:
                file: raw/Wire Story 2024.txt
                title: Cranes
                outlet: Example Wire
              herald:
                file: sources/herald-copy.md
            summary:
              - text: Cranes.
                cite: [{wire: "cranes stopped"}, {herald: "ships waited"}]
            """,
        "content/port/raw/Wire Story 2024.txt": "The northern cranes stopped.\n",
        "content/port/sources/herald-copy.md": "---\ntitle: Ships\noutlet: The Herald\n---\nThe ships waited.\n",
    })
    outcome = no_errors(checked(project))
    b = outcome.checked[0].briefing
    assert sorted(b.sources) == ["herald", "wire"]  # not 'herald-copy': the claimed file is not found twice
    assert b.sources["wire"].path == "content/port/raw/Wire Story 2024.txt"
    assert b.sources["wire"].kind == "txt"


def test_file_claim_outside_the_briefing_folder_is_an_error(tmp_path, make_project):
    project = make_project(tmp_path, {
        "content/port/briefing.yml": """\
            title: Port
            as_of: 2024-05-02
            sources:
              wire:
                file: ../other/story.txt
                title: Cranes
                outlet: Example Wire
            summary:
              - text: Quiet.
                assessment: low
            """,
        "content/other/briefing.yml": "title: Other\nas_of: 2024-05-01\n",
        "content/other/story.txt": "Elsewhere.\n",
    })
    errors = messages(checked(project))
    assert any(e.startswith("content/port/briefing.yml:5:") and "inside the briefing folder" in e
               for e in errors), errors


def test_two_files_with_the_same_stem_are_an_error_until_one_is_claimed(tmp_path, make_project):
    files = {
        "content/port/briefing.yml": """\
            title: Port
            as_of: 2024-05-02
            summary:
              - text: Cranes.
                cite: [{wire: "cranes stopped"}]
            """,
        "content/port/sources/wire.md": "---\ntitle: Cranes\noutlet: Example Wire\n---\nThe cranes stopped.\n",
        "content/port/sources/wire.txt": "The ships waited.\n",
    }
    errors = messages(checked(make_project(tmp_path, files)))
    assert errors == ["content/port/sources/wire.txt:1:1: error: two sources named 'wire' (wire.md, "
                      "wire.txt); rename one or claim it with a `sources:` entry and `file:`"]

    # claiming one of them under another id resolves the clash
    files["content/port/briefing.yml"] = """\
        title: Port
        as_of: 2024-05-02
        sources:
          wire-text: {file: sources/wire.txt, title: Ships, outlet: Wire Text}
        summary:
          - text: Cranes.
            cite: [{wire: "cranes stopped"}, {wire-text: "ships waited"}]
        """
    outcome = no_errors(checked(make_project(tmp_path, files)))
    assert sorted(outcome.checked[0].briefing.sources) == ["wire", "wire-text"]


def test_same_stem_clash_with_a_metadata_entry_is_one_error(tmp_path, make_project):
    project = make_project(tmp_path, {
        "content/port/briefing.yml": """\
            title: Port
            as_of: 2024-05-02
            sources:
              wire: {title: Cranes, outlet: Example Wire}
            summary:
              - text: Cranes.
                cite: [{wire: "cranes stopped"}]
            """,
        "content/port/sources/wire.md": "The cranes stopped.\n",
        "content/port/sources/wire.txt": "The ships waited.\n",
    })
    errors = messages(checked(project))
    assert len(errors) == 1 and "two sources named 'wire'" in errors[0], errors


# -- check -----------------------------------------------------------------------------------------

CHECK_YML = """\
title: Port
as_of: 2024-05-02
summary:
  - text: Cranes stopped.
    cite:
      - wire: {quote}
"""


def check_quote(tmp_path, make_project, quote: str) -> tuple[pipeline.Outcome, str]:
    yml = CHECK_YML.format(quote=quote)
    project = make_project(tmp_path, {"content/port/briefing.yml": yml,
                                      "content/port/sources/wire.md": WIRE_MD})
    return checked(project), yml


def test_quote_found_once_is_matched_to_its_paragraph(tmp_path, make_project):
    outcome, _ = check_quote(tmp_path, make_project, '"northern cranes stopped working"')
    no_errors(outcome)
    c = outcome.checked[0]
    (occ,) = c.matches.values()
    block = c.docs["wire"].blocks[occ.block]
    assert block.text[occ.start:occ.end] == "northern cranes stopped working"  # emphasis removed


def test_quote_found_twice_is_an_error_asking_for_more_words(tmp_path, make_project):
    outcome, yml = check_quote(tmp_path, make_project, '"repeated"')
    line, col = line_col_of(yml, '"repeated"')
    assert messages(outcome) == [
        f"content/port/briefing.yml:{line}:{col}: error: quote occurs 2 times in "
        "content/port/sources/wire.md (both in line 10); quote more words so it occurs exactly once"]


def test_missing_quote_names_its_position_and_suggests_the_closest_passage(tmp_path, make_project):
    outcome, yml = check_quote(tmp_path, make_project, '"counted eleven idle ship waiting"')
    line, col = line_col_of(yml, '"counted eleven')
    (error,) = messages(outcome)
    assert error.startswith(f"content/port/briefing.yml:{line}:{col}: error: quote not found in "
                            "content/port/sources/wire.md")
    assert "did you mean" in error and "counted eleven idle ships waiting" in error


def test_quote_matching_normalises_quotes_dashes_and_spaces(tmp_path, make_project):
    project = make_project(tmp_path, {
        "content/port/briefing.yml": """\
            title: Port
            as_of: 2024-05-02
            summary:
              - text: Cranes.
                cite:
                  - wire: 'the "quiet" airfield - both'
                  - wire: "master's  office"
            """,
        "content/port/sources/wire.md": ("---\ntitle: T\noutlet: O\n---\n"
                                         "At the \u201cquiet\u201d airfield\u2014both cranes stopped.\n\n"
                                         "The master\u2019s\u00a0office\u200b was shut.\n"),
    })
    outcome = no_errors(checked(project))
    assert len(outcome.checked[0].matches) == 2


def test_quotes_are_matched_in_reader_text_not_in_code_blocks_or_image_descriptions(tmp_path, make_project):
    source = ("---\ntitle: T\noutlet: O\n---\n"
              "Cranes at AT&amp;T stopped, says [the wire report](https://example.com/w) *today*.\n\n"
              "![gulls circling the quay](https://example.com/g.png)\n\n"
              "    crane log entry seven\n\n"
              "```\nfenced crane log\n```\n")
    quotes = {"AT&T stopped, says the wire report today": True,  # entity decoded, link and emphasis removed
              "gulls circling the quay": False, "crane log entry seven": False, "fenced crane log": False}
    cites = "\n".join(f"      - wire: {json.dumps(q)}" for q in quotes)
    project = make_project(tmp_path, {
        "content/port/briefing.yml": f"title: Port\nas_of: 2024-05-02\nsummary:\n  - text: T.\n    cite:\n{cites}\n",
        "content/port/sources/wire.md": source,
    })
    outcome = checked(project)
    found = {c.quote for c in outcome.checked[0].matches}
    assert {q: q in found for q in quotes} == quotes
    assert len(messages(outcome)) == 3 and all("quote not found" in e for e in messages(outcome))


def test_unknown_source_id_is_an_error_at_the_key_with_a_hint(tmp_path, make_project):
    yml = CHECK_YML.replace("wire: {quote}", 'wier: "northern cranes"')
    project = make_project(tmp_path, {"content/port/briefing.yml": yml,
                                      "content/port/sources/wire.md": WIRE_MD})
    line, col = line_col_of(yml, "wier")
    errors = messages(checked(project))
    assert errors == [f"content/port/briefing.yml:{line}:{col}: error: unknown source 'wier'; "
                      "did you mean 'wire'?"]


def test_drop_strings_remove_blocks_and_an_unused_one_is_a_warning(tmp_path, make_project):
    yml = """\
        title: Port
        as_of: 2024-05-02
        sources:
          feed:
            title: Feed
            outlet: Feed Wire
            drop: ["Sign up for", "Advertisement -", "Never present in the text"]
        summary:
          - text: Ships wait.
            cite: [{feed: "eleven idle ships"}]
        """
    project = make_project(tmp_path, {
        "content/port/briefing.yml": yml,
        "content/port/sources/feed.txt": ("Dock workers counted eleven idle ships.\n"
                                          "Sign up for our harbour newsletter today!\n"
                                          "ADVERTISEMENT\n"
                                          "Advertisement\u2014Buy cranes now.\n"
                                          "The gulls stayed.\n"),
    })
    outcome = no_errors(checked(project))
    texts = [b.text for b in outcome.checked[0].docs["feed"].blocks]
    assert texts == ["Dock workers counted eleven idle ships.", "ADVERTISEMENT", "The gulls stayed."]
    warnings = messages(outcome, "warning")
    assert len(warnings) == 1 and "'Never present in the text' drops nothing" in warnings[0], warnings
    assert warnings[0].startswith("content/port/briefing.yml:7:")

    # a quote from a dropped line is not found: the line is gone
    (project / "content/port/briefing.yml").write_text(
        (project / "content/port/briefing.yml").read_text().replace("eleven idle ships", "harbour newsletter"))
    assert any("quote not found" in e for e in messages(checked(project)))


# -- resolve / highlight --------------------------------------------------------------------------

def source_page(tmp_path, make_project, cites: list[str], source: str = WIRE_MD, **more):
    """Render a briefing whose summary statement n cites cites[n-1] from `wire`."""
    lines = ["title: Port", "as_of: 2024-05-02", "summary:"]
    for quote in cites:
        lines += [f"  - text: Statement about {quote}.", "    cite:", f"      - wire: {json.dumps(quote)}"]
    files = {"content/port/briefing.yml": "\n".join(lines) + "\n", "content/port/sources/wire.md": source}
    files.update(more)
    outcome, pages, files = rendered(make_project(tmp_path, files))
    r = outcome.resolved[0]
    page = pages["port/sources/wire"]
    return r, page.html, parse_html(page.html)


def test_quote_across_emphasis_gets_a_properly_nested_mark(tmp_path, make_project):
    # the second quote lies inside the first one and inside the emphasis: marks nest
    r, html, parsed = source_page(tmp_path, make_project, ["said the northern cranes stopped",
                                                           "northern cranes"])
    article = article_html(html)
    assert_well_nested(article)
    for c, anchor in r.anchor_of.items():
        assert anchor.startswith("q-"), f"{c.quote!r} fell back to a block anchor {anchor!r}"
        assert "bg-hl" in parsed.id_classes[anchor]
        assert norm(parsed.ids[anchor]) == norm(c.quote)  # the mark holds exactly the quoted words
    outer = article[article.index('<mark id="q-said-the-northern-cranes-stopped"'):]
    outer = outer[:outer.index("stopped</mark>")]
    assert "<em>northern cranes</em>" in outer  # the emphasis sits inside the outer mark


def test_nested_quote_backlinks_do_not_split_the_outer_quote(tmp_path, make_project):
    r, html, _ = source_page(tmp_path, make_project, ["said the northern cranes stopped", "northern cranes"])
    full = parse_html(html, keep_chrome=True)  # the element's text as a browser's textContent
    for c, anchor in r.anchor_of.items():
        assert norm(c.quote) in norm(full.ids[anchor]), (c.quote, full.ids[anchor])


def test_half_overlapping_quotes_are_each_marked_exactly_as_quoted(tmp_path, make_project):
    # "Dock workers counted eleven idle ships waiting beyond the breakwater at dusk."
    quotes = ["counted eleven idle ships", "idle ships waiting beyond the breakwater"]
    for order in (quotes, quotes[::-1]):  # the same marks whichever is cited first
        r, html, parsed = source_page(tmp_path / str(len(order[0])), make_project, order)
        assert_well_nested(article_html(html))
        anchors = {c.quote: a for c, a in r.anchor_of.items()}
        assert anchors == {quotes[0]: "q-counted-eleven-idle-ships",
                           quotes[1]: "q-idle-ships-waiting-beyond-the-breakwater"}
        for quote, anchor in anchors.items():  # exactly the quoted words, no more
            assert norm(parsed.ids[anchor]) == norm(quote), (quote, parsed.ids[anchor])
            assert "bg-hl" in parsed.id_classes[anchor]
        # the longer quote is one mark; the shorter is cut where the longer one opens
        assert '<mark id="q-counted-eleven-idle-ships" class="bg-hl">counted eleven </mark>' in html
        assert '<mark class="bg-hl" data-bg-of="q-counted-eleven-idle-ships">idle ships</mark>' in html
        assert 'id="p2" class="bg-hl"' not in html  # no whole-paragraph fallback
        backs = [link.href for link in parsed.links if "bg-backlink" in link.classes]
        assert sorted(backs) == ["../../#summary-1", "../../#summary-2"]


def test_a_quote_crossing_a_link_or_emphasis_edge_is_cut_there(tmp_path, make_project):
    # "The harbour master said the *northern cranes* stopped working on Tuesday morning."
    r, html, parsed = source_page(tmp_path, make_project, ["cranes stopped working"])
    assert_well_nested(article_html(html))
    (anchor,) = r.anchor_of.values()
    assert anchor == "q-cranes-stopped-working"
    assert norm(parsed.ids[anchor]) == "cranes stopped working"
    assert ('<em>northern <mark id="q-cranes-stopped-working" class="bg-hl">cranes</mark></em>'
            '<mark class="bg-hl" data-bg-of="q-cranes-stopped-working"> stopped working</mark>') in html


def test_identical_quotes_share_one_anchor_with_a_backlink_per_statement(tmp_path, make_project):
    project = make_project(tmp_path, {
        "content/port/briefing.yml": """\
            title: Port
            as_of: 2024-05-02
            summary:
              - text: Cranes stopped.
                cite: [{wire: "northern cranes stopped"}]
            facts:
              - id: cranes
                fact: Cranes
                value: Stopped
                cite: [{wire: "northern cranes stopped", origin: Harbour master}]
            """,
        "content/port/sources/wire.md": WIRE_MD,
    })
    outcome, pages, _ = rendered(project)
    anchors = set(outcome.resolved[0].anchor_of.values())
    assert len(anchors) == 1
    (anchor,) = anchors
    html = pages["port/sources/wire"].html
    assert html.count(f'id="{anchor}"') == 1
    parsed = parse_html(html)
    backs = [link.href for link in parsed.links if "bg-backlink" in link.classes]
    assert backs == ["../../#summary-1", "../../facts/#fact-cranes"]


def token_snapshot(tokens) -> list:
    """Everything rendering reads from a token stream, as plain values."""
    return [(t.type, dict(t.attrs), t.content, [(c.type, c.content, dict(c.attrs)) for c in t.children or []])
            for t in tokens]


def render_resolved(project: Path, r) -> dict[str, str]:
    from briefgen.stages.render import Renderer
    from briefgen.text.markup import markdown

    return {p.name: p.html for p in Renderer(project, Urls(True), markdown(), "T").briefing_pages(r)}


def test_rendering_a_source_with_links_changes_nothing_check_made(tmp_path, make_project):
    """Render once set `rel` on the link tokens of check's own stream (the example has no links,
    so the test below could not see it)."""
    from briefgen.stages.resolve import resolve

    project = make_project(tmp_path, {
        "content/port/briefing.yml": CHECK_YML.format(quote='"northern cranes stopped working"'),
        "content/port/sources/wire.md": textwrap.dedent(WIRE_MD) + "\nSee [the port's notice](https://example.com/notice) for more.\n",
    })
    c = no_errors(pipeline.check(project)).checked[0]
    before = token_snapshot(c.docs["wire"].tokens)
    html = render_resolved(project, resolve(c))["port/sources/wire"]
    assert '<a href="https://example.com/notice" rel="nofollow noopener noreferrer">' in html
    assert token_snapshot(c.docs["wire"].tokens) == before


def test_resolving_the_same_checked_twice_gives_the_same_pages(tmp_path):
    from briefgen.stages.resolve import resolve

    shutil.copytree(REPO / "content", tmp_path / "content")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ntheme: material\n")
    c = no_errors(pipeline.check(tmp_path)).checked[0]
    before = {sid: token_snapshot(doc.tokens) for sid, doc in c.docs.items()}
    first = render_resolved(tmp_path, resolve(c))
    second = render_resolved(tmp_path, resolve(c))
    assert second == first
    assert {sid: token_snapshot(doc.tokens) for sid, doc in c.docs.items()} == before  # c unchanged
    for sid in c.docs:
        # one mark per distinct matched span (check's output, not resolve's), however often resolved
        spans = {(o.block, o.start, o.end) for cit, o in c.matches.items() if cit.source == sid}
        html = first[f"khmeimim/sources/{sid}"]
        # (every quote of the example nests, so each span is one <mark>: jpost 19, not 38)
        assert html.count("<mark ") == html.count('id="bg-by-') == len(spans) > 5  # one back-link list each


def test_a_split_mark_is_not_placed_twice_when_resolved_again(tmp_path, make_project):
    from briefgen.stages.resolve import resolve

    quotes = ["counted eleven idle ships", "idle ships waiting beyond the breakwater"]
    r, html, _ = source_page(tmp_path, make_project, quotes)  # one of them is marked in two pieces
    again = render_resolved(tmp_path, resolve(r.checked))["port/sources/wire"]
    assert again == html and html.count("data-bg-of=") == 1
    assert html.count('class="bg-backlink"') == 2


# -- render ----------------------------------------------------------------------------------------

def annotated(tmp_path, make_project, **pages_wanted):
    project = make_project(tmp_path, {
        "content/port/briefing.yml": """\
            title: Port <i>closure</i>
            as_of: 2024-05-02
            summary:
              - text: Cranes *stopped* on **Tuesday**, see [the wire](https://example.com/x) and `code`.
                cite: [{wire: "northern cranes stopped", note: "A *careful* <u>note</u>"}]
              - text: Beware <script>alert("boom")</script> and <b>bold</b> and [bad](javascript:alert(1)).
                assessment: low
            facts:
              - id: cranes
                fact: Cranes <em>raw</em>
                value: Idle <img src=x onerror=alert(2)> since *Tuesday*
                cite: [{wire: "northern cranes stopped", origin: "<b>Harbour</b> master"}]
            """,
        "content/port/sources/wire.md": WIRE_MD,
    })
    return rendered(project)


def test_markdown_in_annotation_text_is_rendered_inline(tmp_path, make_project):
    _, pages, _ = annotated(tmp_path, make_project)
    summary = pages["port/index"].html
    assert ('<span class="bg-text" data-bg-text>Cranes <em>stopped</em> on <strong>Tuesday</strong>, see '
            '<a href="https://example.com/x"') in summary
    assert "<code>code</code>" in summary
    # inline: no paragraph wrapped around the statement text
    assert '<span class="bg-text" data-bg-text><p>' not in summary
    assert "since <em>Tuesday</em>" in pages["port/facts"].html


def test_raw_html_in_annotation_text_comes_out_escaped(tmp_path, make_project):
    _, pages, _ = annotated(tmp_path, make_project)
    for name, page in pages.items():
        html = page.html
        assert "<script>alert" not in html, name
        assert "<b>bold</b>" not in html and "<b>Harbour</b>" not in html, name
        assert "<img src=x" not in html and "<img src=\"x\"" not in html, name
        assert 'href="javascript:' not in html.lower(), name
        assert "<i>closure</i>" not in html and "<em>raw</em>" not in html, name
    summary = pages["port/index"].html
    assert "&lt;script&gt;alert(" in summary and "&lt;b&gt;bold&lt;/b&gt;" in summary
    facts = pages["port/facts"].html
    assert "Cranes &lt;em&gt;raw&lt;/em&gt;" in facts  # `fact` is plain text
    assert "&lt;img src=x onerror=alert(2)&gt;" in facts
    assert "&lt;b&gt;Harbour&lt;/b&gt; master" in facts  # origin is plain text


class _NestedLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth, self.nested = 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            if self.depth:
                self.nested.append(dict(attrs).get("href"))
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "a":
            self.depth -= 1


def test_backlinks_are_not_nested_inside_a_link_of_the_source(tmp_path, make_project):
    src = ("---\ntitle: T\noutlet: O\nurl: https://example.com/o\n---\n"
           "Read [the harbour authority report on idle cranes](https://example.com/r) before Friday.\n")
    r, html, parsed = source_page(tmp_path, make_project, ["authority report"], source=src)
    (anchor,) = r.anchor_of.values()
    assert norm("authority report") in norm(parsed.ids[anchor])
    checker = _NestedLinks()
    checker.feed(article_html(html))
    assert checker.nested == []


def test_raw_html_in_a_source_is_shown_as_text(tmp_path, make_project):
    src = "---\ntitle: T\noutlet: O\n---\nCranes <script>alert(3)</script> stopped.\n\n<div onclick=x>Block</div>\n"
    r, html, parsed = source_page(tmp_path, make_project, ["stopped"], source=src)
    article = article_html(html)
    assert "<script>" not in article and "<div onclick" not in article
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in article


# -- export (briefing.json) ------------------------------------------------------------------------

EXPORT_FILES = {
    "content/port/briefing.yml": """\
        title: Port closure
        as_of: 2024-05-02
        tags: [ports]
        sources:
          herald: {title: Ships at sea, outlet: The Herald, published: 2024-05-01}
        summary:
          - text: Cranes stopped.
            cite: [{wire: "northern cranes stopped"}]
          - id: too-early
            text: Too early to say.
            assessment: moderate
        facts:
          - id: idle-ships
            fact: Idle ships
            value: Eleven *ships*
            cite:
              - wire: "eleven idle ships"
                origin: Dock workers
              - source: herald
                quote: "nine ships"
                disputes: true
        questions:
          - id: reopen
            question: Will the port reopen?
            status: leaning
            hypotheses:
              - {id: soon, label: Soon}
              - {id: late, label: Late}
            evidence:
              - text: Officials say soon.
                cite: [{wire: "the port would reopen soon"}]
                bears: {soon: for, late: against}
              - id: gull-count
                text: Gulls stayed.
                cite: [{herald: "gulls stayed"}]
                bears: {soon: neutral}
            watch: [Cranes moving]
        timeline:
          - date: 2024-05-01
            text: Cranes stopped.
            cite: [{wire: "stopped working on Tuesday"}]
        """,
    "content/port/sources/wire.md": WIRE_MD,
    "content/port/sources/herald.txt": "The Herald counted nine ships.\nThe gulls stayed.\n",
}


def export(tmp_path, make_project, directory_urls: bool = True) -> dict:
    _, _, files = rendered(make_project(tmp_path, EXPORT_FILES), directory_urls)
    return json.loads(files["port/briefing.json"])


def test_briefing_json_has_the_contract_shape(tmp_path, make_project):
    doc = export(tmp_path, make_project)
    # README documents the extensions: `lang`, `tags`, and `author`, `reliability`, `number` and
    # `lang` of each source. `version` and `changes` come from the git history (none here).
    assert set(doc) == {"id", "title", "lang", "as_of", "tags", "sources", "statements", "facts", "questions",
                        "version", "changes"}
    assert (doc["version"], doc["changes"]) == ({"as_of": "2024-05-02", "commit": None}, [])
    assert (doc["id"], doc["title"], doc["as_of"], doc["tags"]) == ("port", "Port closure", "2024-05-02", ["ports"])
    by_id = {s["id"]: s for s in doc["sources"]}
    for s in doc["sources"]:
        assert set(s) == {"id", "number", "lang", "title", "outlet", "url", "published", "page", "author",
                          "reliability"}
    assert by_id["wire"]["page"] == "sources/wire/" and by_id["herald"]["page"] == "sources/herald/"
    assert by_id["herald"]["published"] == "2024-05-01" and by_id["wire"]["url"] == "https://example.com/cranes"

    st = {s["id"]: s for s in doc["statements"]}
    assert [(s["id"], s["kind"], s["href"]) for s in doc["statements"]] == [
        ("summary-1", "summary", "./#summary-1"),
        ("too-early", "summary", "./#too-early"),
        ("fact-idle-ships", "fact", "facts/#fact-idle-ships"),
        ("q-reopen-e1", "evidence", "questions/#q-reopen-e1"),
        ("gull-count", "evidence", "questions/#gull-count"),
        ("timeline-1", "timeline", "./#timeline-1"),
    ]
    for s in doc["statements"]:
        expected = {"id", "kind", "text", "href", "citations"} | ({"assessment"} if s["id"] == "too-early" else set())
        assert set(s) == expected
        for c in s["citations"]:
            assert set(c) == {"source", "quote", "origin", "disputes", "href"}
            assert c["href"].startswith(f"sources/{c['source']}/#"), c
    assert st["too-early"]["assessment"] == "moderate" and st["too-early"]["citations"] == []
    assert st["fact-idle-ships"]["text"] == "Eleven *ships*"  # a fact's text is its value
    cites = st["fact-idle-ships"]["citations"]
    assert [(c["source"], c["quote"], c["origin"], c["disputes"]) for c in cites] == [
        ("wire", "eleven idle ships", "Dock workers", False),
        ("herald", "nine ships", "The Herald", True),  # no origin: the outlet
    ]

    (fact,) = doc["facts"]
    assert fact == {"id": "idle-ships", "fact": "Idle ships", "value": "Eleven *ships*",
                    "href": "facts/#fact-idle-ships", "outlets": ["Example Wire"],
                    "origins": ["Dock workers"], "disputed_by": ["The Herald"],
                    "corroboration": "contested"}
    (q,) = doc["questions"]
    assert q == {"id": "reopen", "question": "Will the port reopen?", "status": "leaning",
                 "answer": None, "href": "questions/#q-reopen",
                 "hypotheses": [{"id": "soon", "label": "Soon", "for": 1, "against": 0, "neutral": 1},
                                {"id": "late", "label": "Late", "for": 0, "against": 1, "neutral": 0}],
                 "watch": ["Cranes moving"]}


def test_briefing_json_hrefs_without_directory_urls(tmp_path, make_project):
    doc = export(tmp_path, make_project, directory_urls=False)
    hrefs = {s["id"]: s["href"] for s in doc["statements"]}
    assert hrefs["fact-idle-ships"] == "facts.html#fact-idle-ships"
    assert hrefs["q-reopen-e1"] == "questions.html#q-reopen-e1"
    assert hrefs["summary-1"] == "index.html#summary-1"
    assert doc["facts"][0]["href"] == "facts.html#fact-idle-ships"
    assert doc["questions"][0]["href"] == "questions.html#q-reopen"
    assert {s["page"] for s in doc["sources"]} == {"sources/wire.html", "sources/herald.html"}
    for s in doc["statements"]:
        for c in s["citations"]:
            assert c["href"].startswith(f"sources/{c['source']}.html#"), c
