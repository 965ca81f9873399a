"""`briefgen add`: turn a saved page, a text file or a URL into an ordinary `sources/<id>.md`
that the user reviews and edits like any hand-written source; nothing here runs at build time."""

from __future__ import annotations

import datetime
import http.client
import re
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import trafilatura
import yaml
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from briefgen.diagnostics import UserError

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
HTTP_RE = re.compile(r"https?://[^/\s]", re.IGNORECASE)
RESERVED_SOURCE_IDS = {"source", "quote", "origin", "disputes", "note"}
USER_AGENT = "Mozilla/5.0 (compatible; briefgen source importer)"
MAX_BYTES = 20 * 1024 * 1024  # a news page is far smaller; this only stops runaway downloads
MAX_ID_LEN = 50
MIN_WORDS = 10  # on a page without an article trafilatura still returns a stray "Home"
NEW_ID = "pass --id to choose another id"
OG_KEYS = ("og:site_name", "og:url", "og:title", "article:published_time", "author")
# Blocks trafilatura keeps although they are site furniture, not reporting. Only short blocks
# are dropped, so an article paragraph that merely mentions a newsletter survives.
BOILERPLATE_RE = re.compile(r"\b(subscribe|newsletters?|sign(?:ed|ing)? up|stay updated|all "
                            r"rights reserved|unlimited access|already a subscriber|log ?in to "
                            r"(?:read|continue))\b", re.IGNORECASE)
BOILERPLATE_MAX_WORDS = 30
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*$", re.DOTALL | re.MULTILINE)
META_KEYS = ("title", "outlet", "author", "published", "url")  # front matter order
Meta = dict[str, Any]  # META_KEYS -> value or None; a plain dict keeps the order for YAML


def add_source(project_root: Path, briefing_id: str, target: str, source_id: str | None = None,
               today: datetime.date | None = None, timeout: float = 20.0, *,
               outlet: str | None = None, title: str | None = None,
               url: str | None = None) -> Path:
    """Import an article (saved .html/.htm file, .txt file, or http(s) URL) as content/<briefing_id>/sources/<id>.md; return the written path."""
    for value, what in ((briefing_id, "briefing id"), (source_id, "source id")):
        if value is not None and not (isinstance(value, str) and SLUG_RE.fullmatch(value)):
            raise UserError(f"bad {what} {value!r}: use lowercase letters, digits and '-', "
                            "starting with a letter or digit")
    project_root = Path(project_root)
    bdir = project_root / "content" / briefing_id
    if not bdir.is_dir():
        raise UserError(f"no briefing folder content/{briefing_id}/; "
                        f"create it first with `briefgen new {briefing_id}`")
    if source_id is not None:
        _check_free(bdir, source_id, None)  # before fetching: a clash costs nothing
    if url is not None and not HTTP_RE.match(url):
        raise UserError(f"--url must be an http or https URL, not {url!r}")
    meta, blocks = _load(target, timeout)
    meta["title"] = _clean(title) or meta.get("title")
    meta["url"] = url or meta.get("url")
    host = urlsplit(meta["url"]).hostname if meta["url"] else None
    meta["outlet"] = _clean(outlet) or meta.get("outlet") or (host and re.sub(r"^www\.", "", host))
    if not meta["outlet"]:
        raise UserError(f"cannot tell the outlet of {target}; pass --outlet")
    if not meta["title"]:
        raise UserError(f"cannot tell the title of {target}; pass --title")
    source_id = source_id or _derive_id(meta["outlet"], meta["title"])
    _check_free(bdir, source_id, meta["url"])
    path = bdir / "sources" / f"{source_id}.md"
    return _write(path, meta, blocks, today or datetime.date.today())


def _load(target: str, timeout: float) -> tuple[Meta, list[str]]:
    if HTTP_RE.match(target):
        data, final_url = _fetch(target, timeout)
        return _from_html(data, final_url, target)
    path = Path(target)
    if not path.is_file():
        raise UserError(f"cannot import {target}: only http and https URLs can be fetched"
                        if re.match(r"[A-Za-z][\w+.-]*://", target) else f"no such file: {target}")
    if path.suffix.lower() in (".html", ".htm"):
        return _from_html(path.read_bytes(), None, target)
    if path.suffix.lower() == ".txt":
        return _from_txt(path)
    raise UserError(f"cannot import {target}: expected a .html, .htm or .txt file, or a URL")


def _fetch(url: str, timeout: float) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(MAX_BYTES), response.geturl() or url
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code} {exc.reason}"
    except (OSError, http.client.HTTPException, ValueError) as exc:  # URLError, timeouts: OSError
        reason = str(getattr(exc, "reason", None) or exc) or type(exc).__name__
    raise UserError(f"could not fetch {url}: {reason} "
                    "(are you offline? save the page and pass the .html file instead)")


def _from_html(data: bytes, base_url: str | None, target: str) -> tuple[Meta, list[str]]:
    tree = load_html(data)
    if tree is None:
        raise UserError(f"{target} is not readable HTML")
    # trafilatura misses `name="og:..."` (sites write it as often as the correct `property=`),
    # ranks og:url above the canonical link and drops a relative canonical: read them ourselves,
    # before extract_metadata, which may prune the tree.
    page: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        if key in OG_KEYS and _clean(element.get("content")) and key not in page:
            page[key] = _clean(element.get("content"))
    for element in tree.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split() and element.get("href"):
            href = urljoin(base_url or "", element.get("href").strip())
            page.setdefault("canonical", href.split("#")[0])
    meta = extract_metadata(tree, default_url=base_url)
    # favor_precision: a missing sentence only costs a quote, a kept "most read" list pollutes
    # the source page and quote search. Links and images carry nothing a quote can match.
    markdown = trafilatura.extract(
        data, url=base_url, output_format="markdown", include_comments=False,
        include_tables=True, include_images=False, include_links=False, favor_precision=True)
    title = _clean(meta.title) or page.get("og:title")
    blocks = _clean_blocks(markdown or "", title)
    if sum(len(block.split()) for block in blocks) < MIN_WORDS:
        raise UserError(f"no article text found in {target}")
    # The page's own canonical address beats the one we happened to fetch (tracking params).
    url = next((u for u in (page.get("canonical"), page.get("og:url"), base_url, meta.url)
                if u and HTTP_RE.match(u)), None)
    return {"title": title, "outlet": page.get("og:site_name") or _clean(meta.sitename),
            "author": _clean(meta.author) or page.get("author"), "url": url,
            "published": _iso_date(page.get("article:published_time")) or _iso_date(meta.date),
            }, blocks


def _clean_blocks(markdown: str, title: str | None) -> list[str]:
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


def _from_txt(path: Path) -> tuple[Meta, list[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path} is not UTF-8 (byte {exc.start})") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        raise UserError(f"no article text found in {path}: expected a title line, then the text")
    # Each line becomes a paragraph that reads the same: escapes keep "1. Then" or "# 3 seed"
    # from turning into a list or heading, a*b*c into emphasis and &amp; into an entity.
    esc = (re.sub(r"([\\`*_\[\]<>&|~])", r"\\\1", line) for line in lines[1:])
    blocks = [re.sub(r"^(\d{1,9})(?=[.)])", r"\1\\", re.sub(r"^([#+=-])", r"\\\1", e)) for e in esc]
    return {"title": _clean(lines[0])}, blocks


def _write(path: Path, meta: Meta, blocks: list[str], accessed: datetime.date) -> Path:
    front_matter = {key: meta[key] for key in META_KEYS if meta.get(key)} | {"accessed": accessed}
    # safe_dump quotes whatever needs it, so a hostile title stays a string; the huge width
    # keeps a long title on one line for the person who reads the file.
    front = yaml.safe_dump(front_matter, sort_keys=False, allow_unicode=True, width=1 << 30)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # "x" refuses to overwrite, even a file another process created meanwhile
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(f"---\n{front}---\n\n" + "\n\n".join(blocks) + "\n")
    except FileExistsError:
        raise UserError(f"{'/'.join(path.parts[-4:])} already exists; {NEW_ID}") from None
    return path


def _check_free(bdir: Path, source_id: str, url: str | None) -> None:
    """Refuse to shadow an existing source by id, or to import the same article twice."""
    if source_id in RESERVED_SOURCE_IDS:
        raise UserError(f"source id {source_id!r} is reserved; {NEW_ID}")
    shown = f"content/{bdir.name}"  # paths in messages are relative to the project root
    entries, yml = _yaml_mapping(bdir / "briefing.yml", "sources"), f"{shown}/briefing.yml"
    for suffix in (".md", ".txt"):
        if (bdir / "sources" / f"{source_id}{suffix}").exists():
            raise UserError(f"{shown}/sources/{source_id}{suffix} already exists; {NEW_ID}")
    if source_id in entries:
        raise UserError(f"{yml} already has a source {source_id!r}; {NEW_ID}")
    wanted = _norm_url(url)
    for path in sorted(bdir.rglob("*.md")) if wanted else ():
        if _norm_url(_yaml_mapping(path).get("url")) == wanted:
            raise UserError(f"{shown}/{path.relative_to(bdir).as_posix()} already imports {url}")
    for key, entry in entries.items() if wanted else ():
        if isinstance(entry, dict) and _norm_url(entry.get("url")) == wanted:
            raise UserError(f"{yml}: source {key!r} already has the url {url}")


def _yaml_mapping(path: Path, key: str | None = None) -> dict:
    """A .md file's front matter or a .yml file's `key` mapping; {} if unreadable (check's job)."""
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        if key is None:
            match = FRONT_MATTER_RE.match(text)
            text = match.group(1) if match else ""
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if key is not None and isinstance(data, dict):
        data = data.get(key)
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}


def _derive_id(outlet: str, title: str) -> str:
    outlet_slug, title_slug = (re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", text)
                                      .encode("ascii", "ignore").decode().lower()).strip("-")
                               for text in (outlet, title))
    outlet_slug = re.sub(r"^the-", "", outlet_slug)  # "the-" only makes ids longer
    slug = "-".join(part for part in (outlet_slug, title_slug) if part)
    if len(slug) > MAX_ID_LEN:
        head = slug[:MAX_ID_LEN + 1]  # one extra char: a "-" there means a word ends exactly
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:MAX_ID_LEN]
    if not SLUG_RE.fullmatch(slug) or slug in RESERVED_SOURCE_IDS:
        raise UserError(f"cannot make a source id from {title!r}; pass --id")
    return slug


def _norm_url(url: object) -> str | None:
    """URLs compare without fragment and trailing slash; scheme and host are case-insensitive."""
    parts = urlsplit(url.strip()) if isinstance(url, str) and url.strip() else None
    return parts and urlunsplit((parts.scheme.lower(), parts.netloc.lower(),
                                 parts.path.rstrip("/"), parts.query, ""))


def _iso_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()[:10]) if value else None
    except ValueError:
        return None


def _clean(value: str | None) -> str | None:
    """Metadata is plain one-line text: collapse whitespace, treat blank as missing."""
    return (" ".join(value.split()) or None) if value else None

