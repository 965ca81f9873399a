"""Passage anchors keep every script's letters and never move when other citations change.

The sources are short texts written here in Spanish, Greek, Russian, Arabic and English (NFD
input included); each expected anchor is spelled out by hand from its quote: NFC, lower case,
words joined by '-', and for a quote longer than 48 characters of words, the words that fit plus
four hex digits.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import lxml.html
from conftest import build_ok, make_project

SOURCES = {
    "es": ("El País", "Los compañeros de los últimos días llegaron al puerto."),
    "el": ("Καθημερινή", "Η κυβέρνηση ανακοίνωσε χθες ότι τα σύνορα θα παραμείνουν κλειστά."),
    "ru": ("РБК", "Российские войска покинули базу в пятницу."),
    "ar": ("الجزيرة نت", "وأكدت الوزارة أن القوات الروسية غادرت القاعدة."),
    "en": ("Harbour Wire", "The port reopened on Monday after three days of closure and two storms."),
}


def _briefing(extra: str = "") -> str:
    return f"""\
title: Anchors
as_of: 2025-02-01
summary:
  - text: Spanish.
    cite: [{{es: "compañeros de los últimos días"}}]
  - text: Greek.
    cite: [{{el: "τα σύνορα θα παραμείνουν"}}]
  - text: Russian.
    cite: [{{ru: "Российские войска покинули базу"}}]
  - text: Arabic.
    cite: [{{ar: "القوات الروسية غادرت"}}]
  - text: English, long.
    cite: [{{en: "The port reopened on Monday after three days of closure"}}]
{extra}"""


def _project(tmp_path: Path, briefing: str) -> Path:
    files = {"content/a/briefing.yml": briefing}
    for sid, (outlet, text) in SOURCES.items():
        files[f"content/a/sources/{sid}.md"] = f"---\ntitle: {sid}\noutlet: {outlet}\n---\n{text}\n"
    return make_project(tmp_path, files)


def _marks(site: Path, sid: str) -> dict[str, str]:
    """The words of each highlighted passage (marks may nest) -> its id."""
    doc = lxml.html.fromstring((site / "a" / "sources" / sid / "index.html").read_text(encoding="utf-8"))
    out = {}
    for mark in doc.xpath('//mark[contains(@class, "bg-hl")]'):
        words = "".join(t for t in mark.xpath(".//text()[not(ancestor::*[contains(@class, 'bg-backlinks')])]"))
        out[words] = mark.get("id")
    return out


def test_anchors_keep_the_letters_of_every_script(tmp_path: Path):
    root = _project(tmp_path, _briefing())
    build_ok(root)
    site = root / "site"
    assert _marks(site, "es") == {"compañeros de los últimos días": "q-compañeros-de-los-últimos-días"}
    assert _marks(site, "el") == {"τα σύνορα θα παραμείνουν": "q-τα-σύνορα-θα-παραμείνουν"}
    assert _marks(site, "ru") == {"Российские войска покинули базу": "q-российские-войска-покинули-базу"}
    assert _marks(site, "ar") == {"القوات الروسية غادرت": "q-القوات-الروسية-غادرت"}
    (en,) = _marks(site, "en").values()
    # "the-port-reopened-on-monday-after-three-days-of" is 47 characters; "closure" does not fit.
    assert re.fullmatch(r"q-the-port-reopened-on-monday-after-three-days-of-[0-9a-f]{4}", en)
    # Every marker on the summary links to its mark by that anchor.
    summary = (site / "a" / "index.html").read_text(encoding="utf-8")
    assert 'href="sources/el/#q-τα-σύνορα-θα-παραμείνουν"' in summary


def test_decomposed_input_gives_the_composed_anchor(tmp_path: Path):
    nfd = unicodedata.normalize("NFD", "compañeros de los últimos días")
    assert nfd != "compañeros de los últimos días"
    from briefgen.text.anchors import passage_slug
    assert passage_slug(nfd) == "q-compañeros-de-los-últimos-días"


def test_adding_and_removing_citations_never_moves_an_anchor(tmp_path: Path):
    first = _project(tmp_path, _briefing())
    build_ok(first)
    before = {sid: _marks(first / "site", sid) for sid in SOURCES}
    # Another quote of the English source that opens with the same nine words, one of the same
    # Greek passage's opening, and the Spanish citation removed.
    more = """\
  - text: English again.
    cite: [{en: "The port reopened on Monday after three days of closure and two storms"}]
  - text: Greek again.
    cite: [{el: "Η κυβέρνηση ανακοίνωσε χθες"}]
"""
    second = _project(tmp_path, _briefing(more).replace('    cite: [{es: "compañeros de los últimos días"}]',
                                                        '    assessment: low'))
    build_ok(second)
    after = {sid: _marks(second / "site", sid) for sid in SOURCES}
    for sid in ("el", "ru", "ar", "en"):
        for words, anchor in before[sid].items():
            assert after[sid][words] == anchor, (sid, words)
    longer = after["en"]["The port reopened on Monday after three days of closure and two storms"]
    assert longer != before["en"]["The port reopened on Monday after three days of closure"]
    assert longer.startswith("q-the-port-reopened-on-monday-after-three-days-of-")
    assert after["el"]["Η κυβέρνηση ανακοίνωσε χθες"] == "q-η-κυβέρνηση-ανακοίνωσε-χθες"


def test_a_text_fragment_carries_context_only_when_its_words_recur(tmp_path: Path):
    # "the ships left" occurs once as quoted (matching is case-sensitive) but twice as a browser
    # looks for it (case-insensitively): its link names three words before and after it.
    # "officials said" occurs once either way and needs none.
    source = ("---\ntitle: T\noutlet: Wire\nurl: https://wire.example/a\n---\n"
              "The ships left at dawn.\n\nThe port said the ships left again, officials said.\n")
    briefing = ('title: T\nas_of: 2025-01-01\nsummary:\n  - text: A.\n    cite: [{w: "the ships left"}]\n'
                '  - text: B.\n    cite: [{w: "officials said"}]\n')
    root = make_project(tmp_path, {"content/a/briefing.yml": briefing, "content/a/sources/w.md": source})
    build_ok(root)
    html = (root / "site" / "a" / "sources" / "w" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="bg-original" href="([^"]+)"', html)
    assert links == ["https://wire.example/a#:~:text=The%20port%20said-,the%20ships%20left,-again%2C%20officials%20said.",
                     "https://wire.example/a#:~:text=officials%20said"]
