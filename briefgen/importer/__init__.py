"""`briefgen add-source`: turn a saved page, a text file or a URL into an ordinary
`sources/<id>.md` that the user reviews and edits like any hand-written source; nothing here
runs at build time. The ids, urls and front matter it writes follow the loader's own rules
(imported from it, never copied), so what it writes is what `check` accepts."""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from briefgen.diagnostics import UserError
from briefgen.importer.extract import Meta, from_html, from_txt, plain_text, require_trafilatura
from briefgen.importer.fetch import MAX_BYTES, check_http_url, fetch, is_url, read_file
from briefgen.importer.place import briefing_folder, sources_folder
from briefgen.loading.paths import read_bounded, resolve_inside
from briefgen.loading.source import FRONT_MATTER
from briefgen.loading.yamlfields import is_slug
from briefgen.stages.load import RESERVED_SOURCES

MAX_ID_LEN = 50
NEW_ID = "pass --id to choose another id"
META_KEYS = ("title", "outlet", "author", "published", "url")  # front matter order
FRONT_BYTES = 1 << 20  # where another source's front matter (its url) must be, to be compared


def add_source(project_root: Path, briefing_id: str, target: str, source_id: str | None = None,
               today: datetime.date | None = None, timeout: float = 20.0, *,
               outlet: str | None = None, title: str | None = None,
               url: str | None = None) -> Path:
    """Import an article (saved .html/.htm file, .txt file, or http(s) URL) as
    content/<briefing_id>/sources/<id>.md; return the written path."""
    for value, what in ((briefing_id, "briefing id"), (source_id, "source id")):
        if value is not None and not (isinstance(value, str) and is_slug(value)):
            raise UserError(f"bad {what} {value!r}: use lowercase letters, digits and '-', "
                            "starting with a letter or digit")
    project = Path(project_root).resolve()
    bdir = briefing_folder(project, briefing_id)
    sources_folder(project, bdir)  # before fetching: where it would write is already wrong
    if source_id is not None:
        _check_free(bdir, source_id, None)  # before fetching: a clash costs nothing
    if url is not None:
        check_http_url(url, "--url")
    title = plain_text(title)
    meta = dict.fromkeys(META_KEYS)
    found, blocks = _load(target, timeout, title)
    meta.update(found)
    meta["title"] = title or meta["title"]
    meta["url"] = url or meta["url"]
    host = urlsplit(meta["url"]).hostname if meta["url"] else None
    meta["outlet"] = plain_text(outlet) or meta["outlet"] or (host and re.sub(r"^www\.", "", host))
    if not meta["outlet"]:
        raise UserError(f"cannot tell the outlet of {target}; pass --outlet")
    if not meta["title"]:
        raise UserError(f"cannot tell the title of {target}; pass --title")
    source_id = source_id or _derive_id(meta["outlet"], meta["title"])
    _check_free(bdir, source_id, meta["url"])
    path = sources_folder(project, bdir) / f"{source_id}.md"
    return _write(path, meta, blocks, today or datetime.date.today())


def _load(target: str, timeout: float, title: str | None) -> tuple[Meta, list[str]]:
    if is_url(target):
        check_http_url(target, "cannot import")
        require_trafilatura()  # before the download, which it would only waste
        data, final_url = fetch(target, timeout)
        return from_html(data, final_url, target)
    path = Path(target)
    if not path.is_file():
        raise UserError(f"no such file: {target}")
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        require_trafilatura()
        return from_html(read_file(path), None, target)
    if suffix == ".txt":
        return from_txt(read_file(path), target, title)
    raise UserError(f"cannot import {target}: expected a .html, .htm or .txt file, or a URL")


def _write(path: Path, meta: Meta, blocks: list[str], accessed: datetime.date) -> Path:
    front_matter = {key: meta[key] for key in META_KEYS if meta.get(key)} | {"accessed": accessed}
    # safe_dump quotes whatever needs it, so a hostile title stays one string and adds no key;
    # the huge width keeps a long title on one line for the person who reads the file.
    front = yaml.safe_dump(front_matter, sort_keys=False, allow_unicode=True, width=1 << 30)
    path.parent.mkdir(exist_ok=True)  # sources/ itself, checked by sources_folder; never a link
    # O_EXCL refuses to overwrite, even a file another process created meanwhile, and a link
    # of that name; O_NOFOLLOW says so on systems where O_EXCL alone would not.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError:
        raise UserError(f"{'/'.join(path.parts[-4:])} already exists; {NEW_ID}") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
        out.write(f"---\n{front}---\n\n" + "\n\n".join(blocks) + "\n")
    return path


def _check_free(bdir: Path, source_id: str, url: str | None) -> None:
    """Refuse to shadow an existing source by id, or to import the same article twice."""
    if source_id in RESERVED_SOURCES:
        raise UserError(f"source id {source_id!r} is reserved; {NEW_ID}")
    shown = f"content/{bdir.name}"  # paths in messages are relative to the project root
    entries, yml = _yaml_mapping(bdir / "briefing.yml", bdir, "sources"), f"{shown}/briefing.yml"
    for suffix in (".md", ".txt"):
        if (bdir / "sources" / f"{source_id}{suffix}").exists():
            raise UserError(f"{shown}/sources/{source_id}{suffix} already exists; {NEW_ID}")
    if source_id in entries:
        raise UserError(f"{yml} already has a source {source_id!r}; {NEW_ID}")
    wanted = _norm_url(url)
    for path in sorted(bdir.rglob("*.md")) if wanted else ():
        if _norm_url(_yaml_mapping(path, home=bdir).get("url")) == wanted:
            raise UserError(f"{shown}/{path.relative_to(bdir).as_posix()} already imports {url}")
    for key, entry in entries.items() if wanted else ():
        if isinstance(entry, dict) and _norm_url(entry.get("url")) == wanted:
            raise UserError(f"{yml}: source {key!r} already has the url {url}")


def _yaml_mapping(path: Path, home: Path, key: str | None = None) -> dict[str, object]:
    """A .md file's front matter or a .yml file's `key` mapping; {} if unreadable (check's job).
    Only a regular file inside the briefing folder `home` is read, and only its first
    FRONT_BYTES (a .md file) or MAX_BYTES: a link to /dev/zero or a FIFO is never opened."""
    target, why = resolve_inside(path, home)
    data = read_bounded(target, FRONT_BYTES if key is None else MAX_BYTES + 1) if why is None else None
    if data is None or (key is not None and len(data) > MAX_BYTES):
        return {}
    try:
        # A .md file cut at FRONT_BYTES may end inside a character; its front matter does not.
        text = data.decode("utf-8-sig", errors="strict" if key else "replace")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if key is None:  # the loader's rule for where front matter ends, as check reads it
            match = FRONT_MATTER.match(text)
            text = (match.group(1) or "") if match else ""
        data = yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError):
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
    if not is_slug(slug) or slug in RESERVED_SOURCES:
        raise UserError(f"cannot make a source id from {title!r}; pass --id")
    return slug


def _norm_url(url: object) -> str | None:
    """URLs compare without fragment and trailing slash; scheme and host are case-insensitive."""
    try:
        parts = urlsplit(url.strip()) if isinstance(url, str) and url.strip() else None
    except ValueError:  # a malformed url written by hand: check reports it, it matches nothing
        return None
    return parts and urlunsplit((parts.scheme.lower(), parts.netloc.lower(),
                                 parts.path.rstrip("/"), parts.query, ""))
