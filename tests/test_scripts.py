"""Sources in any script: language and direction marked, foreign names isolated, search told.

The fixture tests/fixtures/scripts holds an Arabic (`lang: ar`), a Russian (no `lang`) and a
Greek (`lang: el`) source, written for these tests. Every expectation is read off those files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from conftest import REPO, build_ok, make_project

from briefgen.cli import main

FIXTURE = REPO / "tests" / "fixtures" / "scripts"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scripts") / "project"
    shutil.copytree(FIXTURE, root)
    build_ok(root)
    return root / "site"


def _page(site: Path, rel: str):
    return lxml.html.fromstring((site / rel / "index.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("sid, lang, direction", [("jazeera", "ar", "rtl"), ("rbc", None, "ltr"),
                                                  ("kathimerini", "el", "ltr")])
def test_source_text_carries_its_language_and_direction(site: Path, sid: str, lang: str | None, direction: str):
    doc = _page(site, f"sea/sources/{sid}")
    (article,) = doc.xpath('//article[contains(@class, "bg-source")]')
    assert article.get("lang") == lang and article.get("dir") == direction
    (title,) = doc.xpath('//h1[contains(@class, "bg-title")]')
    assert title.get("lang") == lang and title.get("dir") == direction
    # Back-links are the page's own furniture: left to right, even inside an Arabic paragraph.
    assert {side.get("dir") for side in doc.xpath('//small[contains(@class, "bg-side")]')} == {"ltr"}


def test_a_source_without_lang_takes_its_direction_from_its_letters(tmp_path: Path):
    project = make_project(tmp_path, {
        "content/b/briefing.yml": 'title: B\nas_of: 2025-01-01\nsummary:\n  - text: A.\n    cite: [{src: "السفن عادت"}]\n',
        "content/b/sources/src.md": "---\ntitle: خبر\noutlet: Wire\n---\nقال مسؤولون إن السفن عادت.\n",
    })
    build_ok(project)
    (article,) = _page(project / "site", "b/sources/src").xpath('//article[contains(@class, "bg-source")]')
    assert article.get("dir") == "rtl" and article.get("lang") is None


def test_titles_and_outlets_beside_numbers_and_dates_are_isolated(site: Path):
    doc = _page(site, "sea")
    items = doc.xpath('//ol[contains(@class, "bg-sources")]/li')
    first = items[0]
    bdis = first.xpath(".//bdi")
    assert [b.text for b in bdis] == ["الجزيرة نت", "الميناء يعود إلى العمل بعد العاصفة"]
    assert bdis[1].get("dir") == "rtl" and bdis[1].get("lang") == "ar"
    legend = _page(site, "sea/facts").xpath('//p[contains(@class, "bg-legend")][.//span[@class="bg-key"]]')[0]
    assert [b.text for b in legend.xpath(".//bdi")] == ["الجزيرة نت", "РБК", "Καθημερινή"]


def test_previews_say_the_quote_s_direction_and_language(site: Path):
    doc = _page(site, "sea")
    data = {d.xpath('./i[@data-f="outlet"]')[0].text: d for d in doc.xpath('//template[@id="bg-previews"]//div')}
    assert (data["الجزيرة نت"].get("data-dir"), data["الجزيرة نت"].get("data-lang")) == ("rtl", "ar")
    assert (data["РБК"].get("data-dir"), data["РБК"].get("data-lang")) == ("ltr", None)
    assert (data["Καθημερινή"].get("data-dir"), data["Καθημερινή"].get("data-lang")) == ("ltr", "el")


def test_briefing_json_keeps_the_languages(site: Path):
    doc = json.loads((site / "sea" / "briefing.json").read_text(encoding="utf-8"))
    assert doc["lang"] == "en"
    assert {s["id"]: s["lang"] for s in doc["sources"]} == {"jazeera": "ar", "rbc": None, "kathimerini": "el"}


def test_search_is_told_the_languages_of_the_sources(site: Path):
    # Arabic and Greek from `lang`, Russian from its Cyrillic letters, English from the briefing.
    config = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    assert sorted(config["lang"]) == ["ar", "el", "en", "ru"]
    assert config["lang"][0] == "en"  # the site's own language stays first


def test_a_bad_language_tag_is_an_error_at_it(tmp_path: Path):
    project = make_project(tmp_path, {
        "content/b/briefing.yml": 'title: B\nas_of: 2025-01-01\nlang: "en us"\nsummary:\n  - text: A.\n    cite: [{src: "words here"}]\n',
        "content/b/sources/src.md": "---\ntitle: T\noutlet: Wire\nlang: ar_EG\n---\nSome words here.\n",
    })
    result = CliRunner().invoke(main, ["-C", str(project), "check"])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if ": error: " in line] == [
        "content/b/briefing.yml:3:7: error: 'lang' of briefing.yml must be a BCP 47 language tag such as ar, "
        "ru, el or pt-BR, not 'en us'",
        "content/b/sources/src.md:4:7: error: 'lang' of source 'src' must be a BCP 47 language tag such as ar, "
        "ru, el or pt-BR, not 'ar_EG'",
    ]


def _check_quote(tmp_path: Path, source_text: str, quote: str) -> tuple[int, str, Path]:
    project = make_project(tmp_path, {
        "content/b/briefing.yml": f'title: B\nas_of: 2025-01-01\nsummary:\n  - text: A.\n    cite: [{{src: "{quote}"}}]\n',
        "content/b/sources/src.md": f"---\ntitle: T\noutlet: Wire\n---\n{source_text}\n",
    })
    result = CliRunner().invoke(main, ["-C", str(project), "check"])
    return result.exit_code, result.output, project


# The source has a tatweel in "الســفن", a shadda in "إنّ", fatha on "قالَ" and an Arabic comma.
ARABIC = "قالَ مسؤولون إنّ الســفن عادت، صباح الاثنين."


@pytest.mark.parametrize("quote", [
    "إن السفن عادت, صباح",      # typed without tatweel or shadda, with a Latin comma
    "إنّ الســفن عادت، صباح",   # exactly as the source has it
])
def test_arabic_quotes_match_without_tatweel_harakat_or_arabic_punctuation(tmp_path: Path, quote: str):
    code, output, project = _check_quote(tmp_path, ARABIC, quote)
    assert code == 0, output
    build_ok(project)
    doc = _page(project / "site", "b/sources/src")
    (mark,) = doc.xpath('//mark[contains(@class, "bg-hl")]')
    # The highlight covers the source's own letters, tatweel and shadda included.
    assert mark.text_content() == "إنّ الســفن عادت، صباح"


def test_decomposed_text_matches_either_way(tmp_path: Path):
    import unicodedata

    composed = "Los compañeros de los últimos días llegaron."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    code, output, _ = _check_quote(tmp_path / "a", composed, unicodedata.normalize("NFD", "compañeros de los últimos"))
    assert code == 0, output
    code, output, _ = _check_quote(tmp_path / "b", decomposed, "compañeros de los últimos")
    assert code == 0, output


MIXED_EN = """\
---
title: Port closed, officials say
outlet: Harbour Wire
lang: en
---

The port authority closed the harbour on Monday. In a statement in Arabic, it said:

أغلقت هيئة الميناء المرفأ يوم الاثنين «حتى إشعار آخر».

12 / 2024 — 3.

Officials added that repairs would take weeks.
"""

MIXED_AR = """\
---
title: الميناء مغلق
outlet: الجزيرة نت
lang: ar
---

قالت هيئة الميناء إن المرفأ مغلق.

The authority's English statement read: "The port is closed until further notice."
"""


def test_a_paragraph_in_the_other_direction_is_laid_out_in_its_own(tmp_path: Path):
    """Arabic quoted in an English article, and English in an Arabic one: that paragraph says its
    own direction (its full stop and quotation marks at its own end) and no language, since the
    source's `lang` does not describe it; a paragraph of numbers keeps the article's. The
    preview of a quote from it says so too, while the source's title keeps the source's."""
    project = make_project(tmp_path, {
        "content/b/briefing.yml": (
            "title: B\nas_of: 2025-01-01\nsummary:\n  - text: Closed until further notice.\n"
            '    cite: [{en: "«حتى إشعار آخر»"}]\n  - text: Closed, in English.\n'
            '    cite: [{ar: "The port is closed until further notice."}]\n'),
        "content/b/sources/en.md": MIXED_EN, "content/b/sources/ar.md": MIXED_AR,
    })
    build_ok(project)
    en = _page(project / "site", "b/sources/en")
    paragraphs = {p.get("id"): (p.get("dir"), p.get("lang")) for p in en.xpath('//article[contains(@class, "bg-source")]//p[@id]')}
    assert paragraphs == {"p1": (None, None), "p2": ("rtl", ""), "p3": (None, None), "p4": (None, None)}
    ar = _page(project / "site", "b/sources/ar")
    paragraphs = {p.get("id"): (p.get("dir"), p.get("lang")) for p in ar.xpath('//article[contains(@class, "bg-source")]//p[@id]')}
    assert paragraphs == {"p1": (None, None), "p2": ("ltr", "")}
    data = {d.xpath('./i[@data-f="outlet"]')[0].text: d for d in _page(project / "site", "b").xpath(
        '//template[@id="bg-previews"]//div')}
    assert [data["Harbour Wire"].get(k) for k in ("data-dir", "data-quote-dir", "data-lang")] == ["ltr", "rtl", "en"]
    assert [data["الجزيرة نت"].get(k) for k in ("data-dir", "data-quote-dir", "data-lang")] == ["rtl", "ltr", "ar"]
