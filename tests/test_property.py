"""Property tests of the promises about text (the loader fuzz is tests/test_fuzz.py):

- dates: exactly `YYYY-MM-DD` and `YYYY-MM-DD[T ]HH:MM[:SS[.f]][Z|+HH:MM|-HH:MM]` are dates, on
  every Python version (3.11's fromisoformat took "20241214"; 3.10's did not);
- no live markup: projects whose every field is a generated hostile string are built for real,
  and every page, parsed with html.parser, holds only an allowlist of elements, no `on*`
  attribute, no script URL, no script but the site's own, and no bidi control in <title> or in
  the attributes that tooltips and screen readers read.
"""

from __future__ import annotations

import datetime
import json
import string
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefgen.engine.site import build_site
from briefgen.loading.yamlnodes import as_date
from briefgen.strategy import Strategy

# -- dates --------------------------------------------------------------------------------------

OFFSETS = st.sampled_from(["", "Z", "+00:00", "+05:30", "-08:00", "+23:59"])


@given(moment=st.datetimes(datetime.datetime(1, 1, 1), datetime.datetime(9999, 12, 31)),
       sep=st.sampled_from(["T", " "]), seconds=st.sampled_from(["", ":SS", ":SS.ffffff"]), offset=OFFSETS)
def test_every_date_time_of_the_accepted_forms_is_its_day(moment, sep, seconds, offset):
    seconds = seconds.replace("SS", f"{moment.second:02d}").replace("ffffff", f"{moment.microsecond:06d}")
    text = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    assert as_date(text) == moment.date()
    assert as_date(f"{text}{sep}{moment.hour:02d}:{moment.minute:02d}{seconds}{offset}") == moment.date()


REJECTED = [
    "20241214", "2024-1-5", "2024-01-5", "24-12-14", "2024/12/14", "2024-W50-6", "2024-349",
    "2024-12-14T", "2024-12-14T9:30", "2024-12-14T09", "2024-12-14T0930", "2024-12-14t09:30",
    "2024-12-14T09:30z", "2024-12-14T09:30+0530", "2024-12-14T09:30+05", "2024-12-14T09:30+24:00",
    "2024-12-14T24:00", "2024-12-14T09:60", "2024-12-14T09:30:60", "2024-02-30", "2023-02-29",
    "2024-13-01", "2024-00-10", "0000-01-01", "14 December 2024", "2024-12-14 09:30 UTC",
    "2024-12-14T09:30Z ", "\u0662\u0660\u0662\u0664-12-14", "2024-12-14\n", "",
]


def test_other_spellings_are_not_dates():
    # Surrounding spaces are trimmed (YAML trims them too); all else is refused.
    rejected = [t for t in REJECTED if t.strip() == t or t.strip() in REJECTED]
    assert [t for t in rejected if as_date(t) is not None] == []
    assert as_date(" 2024-12-14 ") == datetime.date(2024, 12, 14)
    assert as_date("2024-02-29") == datetime.date(2024, 2, 29)


# -- hostile fields: no live markup -------------------------------------------------------------

PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>',
    "</title><script>alert(1)</script>", "[x](javascript:alert(1))", "![i](javascript:alert(1))",
    "<a href=javascript:alert(1)>a</a>", "[d](data:text/html,<script>alert(1)</script>)",
    "javascript:alert(1)", "' onmouseover='alert(1)", "{{ 7*7 }}", "{% raw %}", "&lt;script&gt;",
    "&#60;script&#62;", "<!--", "-->", "]]>", "</script>", "`<b>`", "*em*", "**", "_", "|", "#",
    "\\", "\u202e", "\u2066", "\u2067", "\u2069", "\u200f", "\u061c", "<style>", "<iframe src=x>",
]
HOSTILE = st.lists(st.sampled_from(PIECES) | st.text(string.ascii_letters + string.punctuation + " ", max_size=4),
                   min_size=1, max_size=4).map("".join)
FIELDS = ("title", "outlet", "author", "origin", "note", "label", "fact", "question", "value", "text",
          "tag", "watch", "line", "source-title", "source-outlet")
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# What a page may hold: the theme's and our templates' elements, and what Markdown makes of
# source text (no raw HTML is ever passed through).
ALLOWED_TAGS = {
    "html", "head", "body", "meta", "link", "title", "script", "style", "div", "span", "a", "p", "ul",
    "ol", "li", "nav", "header", "footer", "main", "article", "section", "aside", "h1", "h2", "h3",
    "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "label", "input", "button", "svg",
    "path", "form", "mark", "time", "em", "strong", "code", "pre", "blockquote", "br", "hr", "img",
    "small", "sup", "abbr", "details", "summary", "dl", "dt", "dd", "caption", "s", "q", "cite",
    "template", "i", "b",  # the inert preview data and the back-link heading (templates/_macros.html)
    "bdi",  # isolates a title or outlet from the numbers and dates beside it (a right-to-left name)
}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc", "background"}
READ_ALOUD = {"title", "aria-label", "alt", "content", "placeholder", "aria-description"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.title = ""
        self._open = ""

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._open = tag
        if tag == "script":
            self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag):
        self._open = ""

    def handle_data(self, data):
        if self._open == "script":
            self.scripts[-1] = (self.scripts[-1][0], self.scripts[-1][1] + data)
        elif self._open == "title":
            self.title += data


def _problems(html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    page.close()
    out = []
    for tag, attrs in page.elements:
        if tag not in ALLOWED_TAGS:
            out.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                out.append(f"<{tag} {name}>")
            v = "".join((value or "").split()).lower()
            if name in URL_ATTRS and v.startswith(("javascript:", "data:", "vbscript:")):
                out.append(f"<{tag} {name}={value!r}>")
            if name in READ_ALOUD and BIDI & set(value or ""):
                out.append(f"bidi control in <{tag} {name}={value!r}>")
    for attrs, body in page.scripts:
        if attrs.get("src") is not None:
            if "assets/" not in attrs["src"] or "alert" in attrs["src"]:
                out.append(f"<script src={attrs['src']!r}>")
        elif (attrs.get("type") or "").endswith("json"):
            json.loads(body)  # data, never run; and it did not break out of its element
        elif "alert(" in body:
            out.append(f"content in an inline script: {body[:80]!r}")
    if BIDI & set(page.title):
        out.append(f"bidi control in <title>{page.title!r}")
    return out


def _line(s: str) -> str:
    """A source line that keeps its words as they are (a .txt source) and is found once."""
    return " ".join(s.split())


def _project(root: Path, v: dict[str, str]) -> Path:
    """Every field from `v` (its name first, so it is never empty); YAML written by PyYAML."""
    t = {key: f"{key} {value}" for key, value in v.items()}
    folder = root / "content" / "harbour"
    (folder / "sources").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Property\ntheme:\n  name: material\n"
                                     "  features: [content.tooltips]\nplugins: [search]\n", encoding="utf-8")
    line = f"Line one {_line(v['line'])} ends here."
    (folder / "sources" / "wire.txt").write_text(f"{line}\nLine two stays plain.\n", encoding="utf-8")
    front = {"title": t["source-title"], "outlet": t["source-outlet"], "author": t["author"],
             "url": "https://example.com/" + "".join(v["line"].split())}
    (folder / "sources" / "memo.md").write_text(
        f"---\n{_yaml(front)}---\n\n# Memo {_line(v['text'])}\n\nThe memo says the harbour stays shut.\n\n"
        f"* {_line(v['note'])} item\n", encoding="utf-8")
    cite = [{"wire": line, "origin": t["origin"], "note": t["note"]}, {"memo": "the harbour stays shut"}]
    briefing = {
        "title": t["title"], "as_of": datetime.date(2024, 11, 6), "tags": [t["tag"]],
        "sources": {"wire": {"outlet": t["outlet"], "title": t["title"], "publish": "excerpts"}},
        "summary": [{"text": t["text"], "cite": cite}],
        "facts": [{"id": "one", "fact": t["fact"], "value": t["value"], "cite": cite}],
        "questions": [{"id": "open", "question": t["question"],
                       "hypotheses": [{"id": "a", "label": t["label"]}, {"id": "b", "label": t["label"] + " two"}],
                       "evidence": [{"text": t["text"], "cite": cite, "bears": {"a": "for"}}],
                       "watch": [t["watch"]]}],
        "timeline": [{"date": datetime.date(2024, 11, 4), "text": t["text"], "cite": cite}],
    }
    (folder / "briefing.yml").write_text(_yaml(briefing), encoding="utf-8")
    return root


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({f: HOSTILE for f in FIELDS}))
@example({f: "<img src=x onerror=alert(1)>\u202e" + f for f in FIELDS})
def test_a_site_built_from_hostile_fields_has_no_live_markup(values):
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(Path(tmp), values)
        outcome = build_site(root, strategy=Strategy(parse_cache=False))
        errors = [str(p) for p in outcome.report.errors]
        assert not errors, "\n".join(errors)
        pages = sorted((root / "site").rglob("*.html"))
        assert {"harbour/sources/wire/index.html", "harbour/questions/index.html"} <= \
            {p.relative_to(root / "site").as_posix() for p in pages}
        found = {p.relative_to(root / "site").as_posix(): _problems(p.read_text(encoding="utf-8"))
                 for p in pages}
        assert {k: v for k, v in found.items() if v} == {}


def test_the_checker_sees_live_markup():
    """The property above can fail: each of these is reported."""
    for html in ("<p><iframe></iframe></p>", '<a href=" javascript:alert(1)">x</a>', "<b onclick=x>y</b>",
                 "<script>alert(1)</script>", '<script src="https://evil.example/x.js"></script>',
                 "<title>a\u202eb</title>", '<a title="x\u2066y">z</a>', "<object></object>"):
        assert _problems(html), html
    assert _problems('<p title="plain">x <mark>y</mark></p><script type="application/json">{"a": 1}</script>') == []
