"""Two verbatim news reports (../shared/seeds, beside the repository), cited by our own annotations and built.

The seeds are scraped articles with typographic quotes and apostrophes, em dashes, no-break
spaces and newsletter boilerplate. Many quotes below are typed with straight quotes and spaced
hyphens on purpose: matching must normalise them. The seed files are copied at run time and
never stored here; the quotes are short (a dozen words at most).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SiteReader, build_ok, grep_site, make_project, norm

from briefgen import pipeline

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
JPOST = "000_4781dff7e92f0a0a.txt"
JAPANTIMES = "004_f7d3deab01010a35.txt"
DROPS = {"jpost": ["Stay updated", "Subscribe to"],
         "japantimes": ["With your current subscription", "This article originally appeared"]}

BRIEFING = """\
title: Russia pulls equipment out of Khmeimim
as_of: 2024-12-14
tags: [russia, syria]
sources:
  jpost:
    file: sources/jpost.txt
    outlet: The Jerusalem Post
    title: Russia packs up at its Syrian air base, imagery suggests
    published: 2024-12-13
    url: https://www.jpost.com/breaking-news/article-833348
    drop: ["Stay updated", "Subscribe to"]
  japantimes:
    file: sources/japantimes.txt
    outlet: The Japan Times
    title: Russian equipment packed up at key Syrian base
    author: The New York Times
    published: 2024-12-14
    drop: ["With your current subscription", "This article originally appeared"]

summary:
  - text: Russia looks to be *packing up* at its Khmeimim air base.
    cite:
      - jpost: "packing up military equipment at a military air base"
        origin: Maxar
      - japantimes: "Moscow's military withdrawal from the country"     # source: Moscow’s
        origin: New York Times
  - text: US officials see a drawdown, not an exit.
    cite:
      - japantimes: "scaling down its presence but not, so far, abandoning its positions"
        origin: US officials
  - id: too-early
    text: Too early to call a full exit.
    assessment: moderate

facts:
  - id: heavy-lift
    fact: Heavy transport aircraft
    value: Two An-124s with nose cones lifted
    cite:
      - jpost: "at the airfield - both with their nose cones lifted"    # source: airfield—both
        origin: Maxar
      - japantimes: "two An-124 heavy transport planes were seen in Maxar satellite imagery"
        origin: Maxar
  - id: convoy
    fact: Road convoy
    value: Over 150 vehicles, half a kilometre long
    cite:
      - jpost: "a convoy of more than 150 Russian military vehicles"
        origin: Channel 4
      - japantimes: "stretching more than a half a kilometer"
        origin: New York Times
  - id: tartus
    fact: Tartus naval base
    value: Ships offshore
    cite:
      - jpost: "Russia’s naval base at Tartus"                          # source: Russia's
        origin: Maxar
      - japantimes: "withdrawn from the port earlier this week"
        origin: New York Times
  - id: bases
    fact: Bases
    value: Moscow says nothing else is decided
    cite:
      - jpost: "No other decisions have been made for the moment"
        origin: Reuters
      - jpost: "two anonymous Russian diplomats admitted"
        origin: The Moscow Times
        disputes: true

questions:
  - id: exit
    question: Full exit or drawdown?
    hypotheses:
      - {id: full, label: Full exit}
      - {id: partial, label: Drawdown}
    evidence:
      - text: Kofman calls it too early to tell.
        cite:
          - jpost: '"This drawdown may signal a complete Russian exit from Syria'   # source: “This
          - jpost: 'too early to tell," wrote Michael Kofman'                       # source: tell,”
        bears: {full: neutral, partial: neutral}
      - text: Bloomberg hears of an informal understanding with HTS.
        cite:
          - jpost: "told Bloomberg that the Russian Defense Ministry"              # source: no-break space
            origin: Bloomberg
        bears: {full: against, partial: for}
      - text: Bogdanov stresses the base's role against terrorism.
        cite:
          - jpost: '"I assume that everyone agrees'                                 # source: “I assume
          - jpost: 'the Kremlin hopes that the group would "honor promises,"'
        bears: {partial: for}
      - text: Alterman sees a blow to Russia's standing.
        cite:
          - japantimes: '"The Russian army''s performance in Ukraine'               # source: army’s
          - japantimes: "Russia's focus shifted"                                    # source: Russia’s
        bears: {full: for}
    watch: [S-400 parts flown out]

timeline:
  - date: 2024-12-13
    text: Imagery of Khmeimim.
    cite: [{japantimes: "Khmeimim air base near Latakia on Friday"}]
"""


@pytest.fixture(scope="module")
def seeds_project(tmp_path_factory) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not found: these news reports are not redistributed with briefgen")
    project = make_project(tmp_path_factory.mktemp("seeds"), {"content/khmeimim/briefing.yml": BRIEFING})
    sources = project / "content/khmeimim/sources"
    sources.mkdir()
    shutil.copyfile(SEEDS / JPOST, sources / "jpost.txt")
    shutil.copyfile(SEEDS / JAPANTIMES, sources / "japantimes.txt")
    return project


@pytest.fixture(scope="module")
def seeds_site(seeds_project) -> Path:
    outcome = build_ok(seeds_project)
    assert outcome.counts() == "1 briefing, 2 sources, 19 citations"
    return seeds_project / "site"


def dropped_lines(project: Path) -> list[str]:
    """The lines of the copied seeds that the drop strings are meant to remove."""
    out = []
    for sid, drops in DROPS.items():
        text = (project / f"content/khmeimim/sources/{sid}.txt").read_text(encoding="utf-8-sig")
        out += [line.strip() for line in text.splitlines() if norm(line).startswith(tuple(drops))]
    return out


def test_seeds_check_without_errors_and_every_drop_string_is_used(seeds_project):
    outcome = pipeline.check(seeds_project)
    assert [str(p) for p in outcome.report.errors] == []
    assert not [str(p) for p in outcome.report.warnings if "drop string" in p.message]
    assert len(outcome.checked[0].matches) == 19


def test_seed_boilerplate_is_dropped_from_the_whole_site(seeds_project, seeds_site):
    lines = dropped_lines(seeds_project)
    assert len(lines) == 4  # one line per drop string in these seeds
    hits = grep_site(seeds_site, *lines)
    assert {line: files for line, files in hits.items() if files} == {}
    # ...while the article text around them is published
    kept = grep_site(seeds_site, "packing up military equipment at a military air base")
    assert "khmeimim/sources/jpost/index.html" in next(iter(kept.values()))


def test_every_seed_citation_lands_on_its_words(seeds_site):
    counts = SiteReader(seeds_site).follow_everything()
    assert counts["cite"] == counts["json"] == 19
    assert counts["backlink"] >= 18


def test_normalised_quotes_highlight_the_typographic_original(seeds_site):
    html = (seeds_site / "khmeimim/sources/jpost/index.html").read_text(encoding="utf-8")
    assert "at the airfield\u2014both with their nose cones lifted</mark>" in html
    assert "\u201cThis drawdown may signal a complete Russian exit from Syria</mark>" in html
    jt = (seeds_site / "khmeimim/sources/japantimes/index.html").read_text(encoding="utf-8")
    assert "Moscow\u2019s military withdrawal from the country</mark>" in jt
