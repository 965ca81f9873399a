"""Tests for briefgen.text.quotes and .normalise: the quote-matching contract and its offset maps."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from briefgen.text import quotes
from briefgen.text.normalise import FOLD, INVISIBLE, OffsetMap, normalised
from briefgen.text.quotes import Occurrence, SourceIndex


def _raw(index_blocks: list[str], occ: Occurrence) -> str:
    return index_blocks[occ.block][occ.start : occ.end]


def normalise(text: str) -> tuple[str, list[int], list[int]]:
    """The contract's rules, one character at a time, with a raw span per normalised character:
    the oracle the compact OffsetMap and the C-speed normalised() are held to."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch in INVISIBLE:
            continue  # a run interrupted only by invisibles stays one run
        if ch.isspace():
            if chars and chars[-1] == " ":
                ends[-1] = i + 1
                continue
            ch = " "
        else:
            ch = FOLD.get(ch, ch)
        chars.append(ch)
        starts.append(i)
        ends.append(i + 1)
    last = len(chars) - 1
    keep = [k for k, ch in enumerate(chars)
            if ch != " " or not (k == 0 or k == last or chars[k - 1] == "-" or chars[k + 1] == "-")]
    return "".join(chars[k] for k in keep), [starts[k] for k in keep], [ends[k] for k in keep]


def _mapped(text: str) -> tuple[str, list[int], list[int]]:
    m, norm = OffsetMap(text), normalised(text)
    return norm, [m.start(k) for k in range(len(norm))], [m.end(k) for k in range(len(norm))]


# --- normalise -------------------------------------------------------------


def test_normalise_folds_and_maps_spans() -> None:
    text = "  \u201cHi\u201d\u00a0\u2009 \u2014 x\u200by  "
    norm, starts, ends = _mapped(text)
    assert norm == '"Hi"-xy'
    assert len(starts) == len(ends) == len(norm)
    # every normalised char maps back to a raw span that normalises to it
    for k, ch in enumerate(norm):
        assert normalised(text[starts[k] : ends[k]]) in (ch, "")
    assert text[starts[0] : ends[0]] == "\u201c"
    assert text[starts[-1] : ends[-1]] == "y"


def test_normalise_collapsed_run_maps_to_whole_run() -> None:
    text = "a \t\u00a0\n b"
    norm, starts, ends = _mapped(text)
    assert norm == "a b"
    assert text[starts[1] : ends[1]] == " \t\u00a0\n "


def test_a_run_broken_by_invisibles_maps_from_its_first_to_its_last_space() -> None:
    text = "a\u200b \u200b\u00a0\u200bb"
    norm, starts, ends = _mapped(text)
    assert norm == "a b"
    assert (starts[1], ends[1]) == (2, 5)


def test_normalise_keeps_word_internal_hyphen() -> None:
    assert normalised("An-124 and Il\u201176") == "An-124 and Il-76"


_ALPHABET = st.sampled_from(
    list("ab -'\"\n\t")
    + list("\u00a0\u2009\u202f\u200b\u200c\u200d\u2060\ufeff\u00ad")
    + list("\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb")
    + list("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=40))
def test_the_compact_map_and_the_fast_normalisation_agree_with_the_rules(text: str) -> None:
    assert _mapped(text) == normalise(text)


def test_a_large_paragraph_gets_a_compact_map() -> None:
    """A map stores the places where normalising changed the length, never a number per
    character: a million characters of prose with a few such places keep a few entries."""
    words = "the port authority said\u00a0ships were diverted north".split(" ")
    text = " ".join(words * 100_000) + " \u2014  and  \u200bthen"
    m = OffsetMap(text)
    assert len(text) > 1_000_000
    assert m.gaps == 3  # " \u2014  " (two: a space each side of the dash), "  \u200b"
    norm = normalised(text)
    k = norm.index("then")
    assert text[m.start(k):m.end(k + 3)] == "then"
    assert text[m.start(k - 4):m.end(k - 1)] == "and  "  # the run, to its last space


# --- find: normalisation rules ------------------------------------------


def test_curly_quotes_and_apostrophes_match_straight() -> None:
    blocks = ["The minister said \u201cwe won\u2019t retreat\u201d on Tuesday."]
    hits = SourceIndex(blocks).find("\"we won't retreat\"")
    assert len(hits) == 1
    assert _raw(blocks, hits[0]) == "\u201cwe won\u2019t retreat\u201d"


def test_straight_quote_matches_other_variants() -> None:
    idx = SourceIndex(["\u00abFermez\u00bb and \u201eja\u201f and it\u2032s"])
    assert len(idx.find('"Fermez"')) == 1
    assert len(idx.find('"ja"')) == 1
    assert len(idx.find("it's")) == 1


def test_em_dash_matches_spaced_hyphen() -> None:
    blocks = ["Drones struck the airfield\u2014both hangars burned."]
    idx = SourceIndex(blocks)
    hits = idx.find("airfield - both")
    assert [_raw(blocks, h) for h in hits] == ["airfield\u2014both"]
    assert len(idx.find("airfield \u2013 both")) == 1
    assert len(SourceIndex(["airfield - both"]).find("airfield\u2014both")) == 1


def test_no_break_and_thin_spaces_match_plain_space() -> None:
    blocks = ["Losses near 1\u2009200 tanks in the Kharkiv\u00a0oblast\u202fregion."]
    idx = SourceIndex(blocks)
    assert len(idx.find("1 200 tanks")) == 1
    hits = idx.find("Kharkiv oblast region")
    assert [_raw(blocks, h) for h in hits] == ["Kharkiv\u00a0oblast\u202fregion"]


def test_zero_width_and_soft_hyphen_inside_word() -> None:
    blocks = ["The recon\u00adnais\u200bsance flight over Zapo\u200dri\u2060zhzhia\ufeff."]
    idx = SourceIndex(blocks)
    hits = idx.find("reconnaissance flight")
    assert [_raw(blocks, h) for h in hits] == ["recon\u00adnais\u200bsance flight"]
    assert len(idx.find("Zaporizhzhia.")) == 1


def test_line_breaks_count_as_spaces() -> None:
    blocks = ["convoy moved\nnorth at\r\n\tdawn"]
    hits = SourceIndex(blocks).find("moved north at dawn")
    assert [_raw(blocks, h) for h in hits] == ["moved\nnorth at\r\n\tdawn"]


def test_matching_is_case_sensitive() -> None:
    idx = SourceIndex(["The Navy confirmed the strike."])
    assert idx.find("the navy confirmed") == []
    assert len(idx.find("The Navy confirmed")) == 1


def test_leading_trailing_whitespace_of_quote_dropped() -> None:
    blocks = ["ceasefire talks resumed"]
    hits = SourceIndex(blocks).find("  \n talks resumed\u00a0 ")
    assert hits == [Occurrence(0, 10, 23)]


def test_empty_and_whitespace_quotes_find_nothing() -> None:
    idx = SourceIndex(["some text"])
    assert idx.find("") == []
    assert idx.find(" \n\u00a0\u200b") == []


# --- find: occurrences --------------------------------------------------


def test_quote_occurring_twice_reports_both_positions() -> None:
    blocks = ["Officials said no. Later, officials said no again.", "x", "said no"]
    hits = SourceIndex(blocks).find("said no")
    assert len(hits) == 3
    assert hits[0] == Occurrence(0, 10, 17)
    assert hits[1] == Occurrence(0, 36, 43)
    assert hits[2] == Occurrence(2, 0, 7)


def test_overlapping_occurrences_all_reported() -> None:
    hits = SourceIndex(["aaa"]).find("aa")
    assert hits == [Occurrence(0, 0, 2), Occurrence(0, 1, 3)]


def test_find_stops_at_its_limit_and_count_counts_every_occurrence() -> None:
    """check asks for two occurrences (enough to know a quote is ambiguous) and then only for
    the number: a one-word quote may occur a million times, and none of them is mapped."""
    blocks = ["said no, said no", "x", "said no and said no"]
    idx = SourceIndex(blocks)
    assert idx.find("said no", limit=2) == [Occurrence(0, 0, 7), Occurrence(0, 9, 16)]
    assert idx.count("said no") == 4
    assert idx.count("aa") == 0 and idx.count("  ") == 0
    assert SourceIndex(["aaaa"]).count("aa") == 3  # overlapping, as find reports them


def test_counting_a_frequent_word_builds_no_offset_map(monkeypatch) -> None:
    built: list[str] = []
    real = quotes.OffsetMap
    monkeypatch.setattr(quotes, "OffsetMap", lambda text: built.append(text) or real(text))
    idx = SourceIndex(["the  port and the  harbour " * 1000])
    assert idx.count("the") == 2000
    assert built == []


def test_quote_spanning_two_blocks_not_found() -> None:
    idx = SourceIndex(["the first paragraph ends here", "and the second begins"])
    assert idx.find("ends here and the second") == []
    assert idx.find("here\nand") == []
    assert len(idx.find("ends here")) == 1
    assert idx.find("ends here")[0].block == 0
    assert idx.find("and the second")[0].block == 1


def test_offsets_map_back_to_exact_raw_words() -> None:
    blocks = ["Intro.", "He called it \u2018a  pause\u2019 \u2014 not an end."]
    hits = SourceIndex(blocks).find("'a pause' - not")
    assert len(hits) == 1
    occ = hits[0]
    assert occ.block == 1
    assert blocks[1][occ.start : occ.end] == "\u2018a  pause\u2019 \u2014 not"


def test_empty_source_finds_nothing() -> None:
    assert SourceIndex([]).find("anything") == []
    assert SourceIndex(["", "  "]).find("x") == []


# --- closest ------------------------------------------------------------

_ARTICLE = [
    "Satellite imagery published on Monday shows a build-up of transport "
    "aircraft at the northern base, according to two independent analysts.",
    "Ground crews were seen unloading at least two Antonov AN-124s near the "
    "main\u00a0runway, while fuel trucks queued along the perimeter road.",
    "A spokesperson declined to comment on the deployment schedule.",
]


def test_closest_suggests_passage_with_changed_word() -> None:
    idx = SourceIndex(_ARTICLE)
    assert idx.find("at least three Antonov AN-124s") == []
    got = idx.closest("at least three Antonov AN-124s")
    assert got is not None
    assert "at least two Antonov AN-124s" in got
    assert len(got) <= 121


def test_closest_catches_case_mistakes_and_collapses_whitespace() -> None:
    idx = SourceIndex(_ARTICLE)
    got = idx.closest("near the Main Runway")
    assert got is not None
    assert "near the main runway" in got


def test_closest_none_for_unrelated_or_empty() -> None:
    idx = SourceIndex(_ARTICLE)
    assert idx.closest("quantum chromodynamics lattice gauge theory") is None
    assert idx.closest("   ") is None
    assert SourceIndex([]).closest("at least two") is None


def test_closest_caps_long_passages() -> None:
    long_block = " ".join(f"word{i}" for i in range(200))
    quote = " ".join(f"word{i}" for i in range(10, 90)).replace("word50", "wordX")
    got = SourceIndex([long_block]).closest(quote)
    assert got is not None
    assert got.startswith("word10 word11")
    assert len(got) <= 121


# --- properties and cost ------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=40), data=st.data())
def test_random_slice_is_found_and_maps_back(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    quote = text[i:j]
    expected = normalised(quote)
    assume(expected)
    blocks = ["ab", text]
    hits = SourceIndex(blocks).find(quote)
    assert hits
    for occ in hits:
        raw = _raw(blocks, occ)
        assert normalised(raw) == expected
        assert not raw[0].isspace()  # start lands on a real char of the quote


def test_source_normalised_once_per_block_not_per_quote(monkeypatch) -> None:
    fast: list[str] = []
    maps: list[str] = []
    real_fast, real_map = quotes.normalised, quotes.OffsetMap

    def count_fast(text: str) -> str:
        fast.append(text)
        return real_fast(text)

    def count_map(text: str) -> OffsetMap:
        maps.append(text)
        return real_map(text)

    monkeypatch.setattr(quotes, "normalised", count_fast)
    monkeypatch.setattr(quotes, "OffsetMap", count_map)
    # Double spaces make the offset maps non-trivial (a block that normalising leaves as it is
    # needs none); block 4 is never quoted.
    blocks = [f"Paragraph \u201c{b}\u201d:  " + "  ".join(f"w{b}_{i:03d}" for i in range(50)) for b in range(5)]
    idx = SourceIndex(blocks)
    assert fast == blocks and maps == []
    wanted = [f"w{q % 4}_{q % 50:03d}" for q in range(100)]
    for q in wanted:
        occ = idx.find(q)
        assert len(occ) == 1 and _raw(blocks, occ[0]) == q
    # Each quote is normalised once; no block is normalised again, and each quoted block's
    # offset map is built once, on its first hit; the unquoted block never gets one.
    assert [t for t in fast if t in blocks] == blocks
    assert len(fast) == len(blocks) + len(wanted)
    assert sorted(maps) == sorted(blocks[:4])


def test_bidi_controls_are_invisible_to_matching():
    """News pages in Arabic or Hebrew carry LRM/RLM marks and isolates; quotes lose them at load."""
    index = SourceIndex(["al-Sharaa said \u200fthe \u2067talks\u2069 will resume\u200e on Monday"])
    hits = index.find("the talks will resume")
    assert len(hits) == 1
    assert normalised("a\u202eb\u061cc") == "abc"


def _large_source(megabytes: int) -> list[str]:
    """Paragraphs of news-like words, repetitive enough that most words occur everywhere."""
    import random

    rng = random.Random(11)
    vocab = ("the port workers said on monday strike ships harbour talks union would resume cranes "
             "anchor officials".split() + [f"term{i}" for i in range(3000)])
    blocks, size = [], 0
    while size < megabytes * 1_000_000:
        blocks.append(" ".join(rng.choice(vocab) for _ in range(60)) + ".")
        size += len(blocks[-1])
    return blocks


def test_a_missing_quote_in_a_20_mb_source_costs_bounded_memory():
    """The suggestion for a quote that is not found once indexed every word of the source
    (about 1.5 GB for 20 MB); now it scans the source a few times and keeps little."""
    import tracemalloc

    blocks = _large_source(20)
    blocks[len(blocks) // 2] = ("Late on Monday the port workers said the talks with the union would resume "
                                "on Friday after the strike ended.")
    index = SourceIndex(blocks)
    text_mb = sum(map(len, blocks)) / 1e6
    quote = "the port workers said the talks with the union would resume on Thursday after the strike"
    tracemalloc.start()
    try:
        assert index.find(quote) == []
        near = index.closest(quote)
        peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    assert near is not None and "would resume on Friday" in near
    # One lowercased copy of the text is expected; a word index is many times the text.
    assert peak_mb < 2 * text_mb + 20, f"{peak_mb:.0f} MB for a {text_mb:.0f} MB source"


def test_lowercasing_keeps_offsets_when_a_character_grows():
    """'İ' lowercases to two characters: it is kept, so offsets into the text stay valid."""
    text = "İstanbul port ÇAY İi " * 3
    assert quotes._lower(text) == "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    index = SourceIndex(["Officials in İstanbul said the port would reopen"])
    assert index.closest("officials in istanbul said the port will reopen") is not None


def test_the_matcher_ignores_every_bidi_control_the_loader_removes():
    from briefgen.diagnostics import BIDI

    assert BIDI <= INVISIBLE


def test_what_a_copied_quote_leaves_out_is_what_check_would_warn_about_and_soft_hyphens() -> None:
    """Select-to-cite copies the page's own characters less `unquoted` (cite.js): every bidi
    control check removes from a quote with a warning is among them, so a pasted quote never
    warns; the marks it keeps on a last letter are invisible to matching, as they must be."""
    from briefgen.diagnostics import BIDI
    from briefgen.text.normalise import INVISIBLE, rules

    r = rules()
    assert set(r["unquoted"]) == BIDI | {"\u00ad"}
    assert set(r["marks"]) <= INVISIBLE and "\u0651" in r["marks"] and "\u064f" in r["marks"]  # shadda, damma
