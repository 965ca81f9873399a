"""Article text and metadata out of a saved page (trafilatura) or a plain text file."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from briefgen.diagnostics import BIDI, UserError
from briefgen.loading.yamlfields import is_http_url
from briefgen.loading.yamlnodes import as_date

Meta = dict[str, Any]  # title, outlet, author, published, url -> value or None
MIN_WORDS = 10  # on a page without an article trafilatura still returns a stray "Home"
OG_KEYS = ("og:site_name", "og:url", "og:title", "article:published_time", "author")
NEEDS_EXTRA = 'importing HTML pages needs trafilatura: pip install "briefgen[import]"'
# Blocks trafilatura keeps although they are site furniture, not reporting. Only short blocks
# are dropped, so an article paragraph that merely mentions a newsletter survives.
BOILERPLATE_RE = re.compile(r"\b(subscribe|newsletters?|sign(?:ed|ing)? up|stay updated|all "
                            r"rights reserved|unlimited access|already a subscriber|log ?in to "
                            r"(?:read|continue))\b", re.IGNORECASE)
BOILERPLATE_MAX_WORDS = 30
# Metadata comes from pages an attacker may write. Control characters (newlines included) would
# break the one-line fields; bidi overrides and isolates (and the marks and BOM alongside) would
# reverse the text shown after them in titles, tooltips and aria-labels. Lone surrogates cannot
# even be written as UTF-8.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile("[" + re.escape("".join(sorted(BIDI))) + "\ufeff\ud800-\udfff]")


def plain_text(value: object) -> str | None:
    """Metadata as plain one-line text: no controls or bidi overrides, whitespace collapsed;
    None when nothing is left."""
    if not isinstance(value, str):
        return None
    text = _INVISIBLE.sub("", _CONTROLS.sub(" ", value))
    return " ".join(text.split()) or None


def require_trafilatura() -> None:
    """Fail with one line naming the extra when trafilatura (or its lxml cleaner) is missing."""
    try:
        import trafilatura  # noqa: F401  (imported here only: .txt imports must not need it)
    except ImportError:
        raise UserError(NEEDS_EXTRA) from None


def from_html(data: bytes, base_url: str | None, target: str) -> tuple[Meta, list[str]]:
    require_trafilatura()
    import trafilatura
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        raise UserError(f"{target} is not readable HTML")
    page = _page_meta(tree, base_url)  # before extract_metadata, which may prune the tree
    meta = extract_metadata(tree, default_url=base_url)
    # favor_precision: a missing sentence only costs a quote, a kept "most read" list pollutes
    # the source page and quote search. Links and images carry nothing a quote can match.
    markdown = trafilatura.extract(
        data, url=base_url, output_format="markdown", include_comments=False,
        include_tables=True, include_images=False, include_links=False, favor_precision=True)
    title = plain_text(meta.title) or page.get("og:title")
    blocks = clean_blocks(markdown or "", title)
    if sum(len(block.split()) for block in blocks) < MIN_WORDS:
        raise UserError(f"no article text found in {target}")
    # The page's own canonical address beats the one we happened to fetch (tracking params);
    # only one the loader accepts as a source url is kept.
    url = next((u for u in (page.get("canonical"), page.get("og:url"), base_url, plain_text(meta.url))
                if u and is_http_url(u)), None)
    published = page.get("article:published_time") or plain_text(meta.date)
    return {"title": title, "outlet": page.get("og:site_name") or plain_text(meta.sitename),
            "author": plain_text(meta.author) or page.get("author"), "url": url,
            "published": as_date(published[:10]) if published else None}, blocks


def _page_meta(tree: Any, base_url: str | None) -> dict[str, str]:
    """trafilatura misses `name="og:..."` (sites write it as often as the correct `property=`),
    ranks og:url above the canonical link and drops a relative canonical: read them ourselves."""
    page: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = plain_text(element.get("content"))
        if key in OG_KEYS and value and key not in page:
            page[key] = value
    for element in tree.iter("link"):
        href = plain_text(element.get("href"))
        if "canonical" in (element.get("rel") or "").lower().split() and href:
            page.setdefault("canonical", urljoin(base_url or "", href).split("#")[0])
    return page


def clean_blocks(markdown: str, title: str | None) -> list[str]:
    blocks = []
    for raw in re.split(r"\n[ \t]*\n", markdown.replace("\r\n", "\n")):
        block = "\n".join(line.rstrip() for line in raw.strip("\n").splitlines()).strip("\n")
        plain = re.sub(r"[\\#*_`>|-]", " ", block)
        if block.strip() and not (len(plain.split()) <= BOILERPLATE_MAX_WORDS
                                  and BOILERPLATE_RE.search(plain)):
            blocks.append(block)
    # trafilatura sometimes keeps the <h1>, which repeats the title in the front matter.
    first = blocks[0].lstrip("#").replace("\\", "").split() if blocks else []
    if first and title and blocks[0].startswith("#") and first == title.split():
        blocks.pop(0)
    return blocks


def from_txt(data: bytes, target: str, title: str | None) -> tuple[Meta, list[str]]:
    """Each non-empty line is a paragraph; the first is the headline unless `title` is given."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{target} is not UTF-8 (byte {exc.start})") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = lines if title else lines[1:]
    if not body:
        raise UserError(f"no article text found in {target}: expected "
                        + ("some text" if title else "a title line, then the text"))
    # Each line becomes a paragraph that reads the same: escapes keep "1. Then" or "# 3 seed"
    # from turning into a list or heading, a*b*c into emphasis and &amp; into an entity.
    esc = (re.sub(r"([\\`*_\[\]<>&|~])", r"\\\1", line) for line in body)
    blocks = [re.sub(r"^(\d{1,9})(?=[.)])", r"\1\\", re.sub(r"^([#+=-])", r"\\\1", e)) for e in esc]
    return {"title": None if title else plain_text(lines[0])}, blocks
