"""No stage changes what it was given (#25): each stage's output, taken apart into plain values
right after the stage made it, is the same after every later stage has run, down to the last
token of every source's stream. The sources have links, emphasis, tables, a list and text in
Greek, Cyrillic, Arabic and decomposed (NFD) Latin, since those are what later stages mark up.

And the markers of a page are made before its template runs: a template that prints the
previews first and the statements in another order gets the same numbers."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import make_project
from jinja2 import TemplateError
from markdown_it.token import Token

from briefgen import pipeline
from briefgen.diagnostics import Report
from briefgen.stages.check import check_briefing
from briefgen.stages.export import briefing_json
from briefgen.stages.load import load_project
from briefgen.stages.render import Renderer, template_problem
from briefgen.stages.resolve import resolve
from briefgen.text.markup import markdown
from briefgen.text.sourcetext import SourceDoc
from briefgen.urls import Urls

CAFE_NFD = unicodedata.normalize("NFD", "Café")  # "e" + U+0301: the loader composes it (NFC)

WIRE = f"""\
---
title: Harbour cranes fall silent
outlet: Example Wire
url: https://example.com/cranes
---
The harbour master said the *northern cranes* stopped working, see [the notice](https://example.com/n).

| Berth | Cranes idle |
| ----- | ----------- |
| North | **three** cranes idle since Tuesday |

- Ships waited beyond the breakwater at dusk.
- The {CAFE_NFD} du Port closed its doors early.
"""

ATHENS = """\
---
title: Οι γερανοί σταμάτησαν
outlet: Αθηναϊκό Πρακτορείο
lang: el
---
Στο λιμάνι οι *βόρειοι γερανοί* σταμάτησαν την Τρίτη, σύμφωνα με [την ανακοίνωση](https://example.gr/a).
"""

MOSCOW = """\
---
title: Краны остановились
outlet: Московская газета
lang: ru
---
По словам диспетчера, **три крана** простаивают с вторника.
"""

GULF = """\
---
title: توقف الرافعات في الميناء
outlet: صحيفة الخليج
lang: ar
---
قال مدير الميناء إن الرافعات الشمالية توقفت عن العمل يوم الثلاثاء.
"""

BRIEFING = """\
title: Ports · Λιμάνια · Порты · موانئ
as_of: 2024-05-02
summary:
  - text: The *northern* cranes stopped, see [the notice](https://example.com/n).
    cite:
      - wire: "northern cranes stopped working"
      - athens: "βόρειοι γερανοί σταμάτησαν"
facts:
  - id: idle
    fact: Cranes idle
    value: "**Three** cranes"
    cite:
      - wire: "three cranes idle since Tuesday"
      - moscow: "три крана простаивают"
        origin: Диспетчер порта
questions:
  - id: reopen
    question: Will the port reopen soon?
    hypotheses:
      - {id: yes-soon, label: It reopens this week}
      - {id: later, label: It stays shut longer}
    evidence:
      - text: The café closed early.
        cite: [{wire: "Café du Port closed its doors early"}]
        bears: {later: for}
timeline:
  - date: 2024-04-30
    text: The cranes stopped on Tuesday.
    cite: [{gulf: "الرافعات الشمالية توقفت عن العمل"}]
"""


def _project(tmp_path: Path) -> Path:
    return make_project(tmp_path, {"content/ports/briefing.yml": BRIEFING,
                                   "content/ports/sources/wire.md": WIRE,
                                   "content/ports/sources/athens.md": ATHENS,
                                   "content/ports/sources/moscow.md": MOSCOW,
                                   "content/ports/sources/gulf.md": GULF})


def plain(x: Any, seen: frozenset[int] = frozenset()) -> Any:
    """A stage's output as nested tuples of plain values, every field and item visited. A
    source's parsed stream and blocks are read through their public properties: the private
    fields are a memo that a build empties on purpose once the pages are rendered."""
    if x is None or isinstance(x, (str, int, float, bool, bytes, datetime.date, enum.Enum)):
        return x
    if isinstance(x, Path):
        return ("Path", str(x))
    if id(x) in seen:  # a statement reached again through its passage: named, not walked again
        return ("again", type(x).__name__)
    seen = seen | {id(x)}
    if isinstance(x, dict):
        return ("dict", tuple((plain(k, seen), plain(v, seen)) for k, v in x.items()))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, tuple(plain(v, seen) for v in x))
    if isinstance(x, (set, frozenset)):
        return ("set", tuple(sorted(repr(plain(v, seen)) for v in x)))
    if isinstance(x, SourceDoc):
        return ("SourceDoc", plain(x.source, seen), plain(x.tokens, seen), plain(x.blocks, seen),
                plain(x.dropped, seen))
    if isinstance(x, Token):
        return ("Token",) + tuple((name, plain(getattr(x, name), seen)) for name in
                                  ("type", "tag", "nesting", "attrs", "map", "level", "children", "content",
                                   "markup", "info", "meta", "block", "hidden"))
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return (type(x).__name__,) + tuple((f.name, plain(getattr(x, f.name), seen))
                                           for f in dataclasses.fields(x) if not f.name.startswith("_"))
    raise TypeError(f"no plain form for a {type(x).__name__}: add it here, or the test would miss it")


def test_every_stage_leaves_what_it_was_given_as_it_was(tmp_path: Path) -> None:
    project = _project(tmp_path)
    report = Report()
    briefings = load_project(project, report)
    loaded = plain(briefings)
    checked = check_briefing(briefings[0], report, None)
    assert [p for p in report.problems if p.severity == "error"] == []
    after_check = plain(checked)
    resolved = resolve(checked)
    after_resolve = plain(resolved)
    renderer = Renderer(project, Urls(True), markdown(), "T")
    pages = renderer.briefing_pages(resolved)
    data = briefing_json(resolved, Urls(True), None)
    index = renderer.index_page([resolved])
    # Resolving and rendering again give the same pages: nothing the first round left behind.
    again = Renderer(project, Urls(True), markdown(), "T").briefing_pages(resolve(checked))
    assert [p.html for p in again] == [p.html for p in pages]
    assert plain(briefings) == loaded
    assert plain(checked) == after_check
    assert plain(resolved) == after_resolve
    assert data and index.html  # they ran (and ran last)


def test_the_pipeline_leaves_checks_output_as_it_was(tmp_path: Path) -> None:
    """pipeline.render, which resolves, renders, exports and writes feeds (and releases the
    sources' parse memo as it goes), changes nothing check returned."""
    project = _project(tmp_path)
    outcome = pipeline.check(project)
    assert outcome.report.errors == []
    before = plain(outcome.checked)
    pipeline.render(project, outcome, Urls(True), "T")
    assert plain(outcome.checked) == before
    # and the marks went where they belong: the pages show them, check's tokens do not
    wire = next(p for p in outcome.pages if p.name == "ports/sources/wire")
    assert "<mark" in wire.html
    assert not any(t.type.startswith("bg_") for t in outcome.checked[0].docs["wire"].tokens)


# A summary template that prints the previews first and the timeline before the bottom line.
BACKWARDS = """\
{% import "_macros.html" as m %}
{{ m.previews(previews()) }}
{% for t in b.timeline %}<p class="t">{{ m.markers(markers(t.citations)) }}</p>{% endfor %}
{% for s in b.summary %}<p class="s">{{ m.markers(markers(s.citations)) }}</p>{% endfor %}
"""


def _refs(html: str, cls: str) -> list[str]:
    return [ref for p in re.findall(rf'<p class="{cls}">(.*?)</p>', html, re.S)
            for ref in re.findall(r'data-ref="(r\d+)"', p)]


def test_a_pages_markers_do_not_depend_on_the_order_a_template_asks_for_them(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "summary.html").write_text(BACKWARDS, encoding="utf-8")
    outcome = pipeline.check(project)
    pipeline.render(project, outcome, Urls(True), "T")
    html = next(p for p in outcome.pages if p.name == "ports/index").html
    # The bottom line's two citations come first on the page (r1, r2), the timeline's after (r3),
    # however the template orders them; and the previews printed first are all three.
    assert _refs(html, "s") == ["r1", "r2"]
    assert _refs(html, "t") == ["r3"]
    template = html[html.index('<template id="bg-previews"'):html.index("</template>")]
    assert re.findall(r'<div data-ref="(r\d+)"', template) == ["r1", "r2", "r3"]
    assert "الرافعات الشمالية توقفت عن العمل" in template


def test_markers_of_citations_not_on_the_page_are_a_template_error_at_its_line(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "summary.html").write_text(
        "{% import '_macros.html' as m %}\n<p>\n{{ m.markers(markers(b.facts[0].citations)) }}</p>\n",
        encoding="utf-8")
    outcome = pipeline.check(project)
    with pytest.raises(TemplateError) as caught:
        pipeline.render(project, outcome, Urls(True), "T")
    pos, message = template_problem(caught.value, project)  # what the engine reports
    assert (str(pos), message) == ("templates/summary.html:3:1",
                                   "template error: markers() takes the citations of a statement shown on this page")


def test_the_source_text_in_other_scripts_survives_the_stages(tmp_path: Path) -> None:
    """What the stages were given is real text: the NFD café is composed once, by the loader."""
    project = _project(tmp_path)
    outcome = pipeline.check(project)
    wire = outcome.checked[0].briefing.sources["wire"]
    assert "Café du Port" in wire.body and CAFE_NFD not in wire.body
    assert outcome.checked[0].briefing.title == "Ports · Λιμάνια · Порты · موانئ"
