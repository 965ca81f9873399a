"""Each earlier version of a briefing opened as it was: its summary page, made by the same
check, resolve and render stages from that version's own content (read from git like the rest
of history), published at <briefing>/versions/<as_of>/.

An old version never changes, so its page is kept in .briefgen-cache/earlier/<briefing>.json
under the git tree id of its folder and everything else it was rendered with (the code, the
templates, the site's settings, the source numbers and which sources the current version still
has): a build loads and renders only the versions whose page it has not kept. One file per
briefing, because briefings render in two workers. Sealed as every cache file is
(caches/sealed.py); a cut or stale file is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..caches.sealed import own_folder, read_sealed, write_sealed
from ..diagnostics import Report
from ..model import Briefing
from ..stages.check import check_briefing
from ..stages.render import Page, package_templates
from ..stages.resolve import Resolved, resolve
from .checkout import load_versions
from .gitcli import batch


def render_stamp(project: Path, *settings: object) -> str:
    """What every earlier page is rendered with besides its content: briefgen's code, the
    packaged and the project's templates, and the given settings. Read once a build."""
    h = hashlib.blake2b(digest_size=16)
    h.update(json.dumps([str(s) for s in settings]).encode("utf-8"))
    code = Path(__file__).resolve().parent.parent
    for folder, pattern in ((code, "*.py"), (package_templates(), "*"), (project / "templates", "*")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and not path.is_symlink():  # the project's own rule on links: never followed
                h.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
                h.update(path.read_bytes())
    return h.hexdigest()


def kept_in(cache: Path | None) -> Path | None:
    """The folder of kept earlier pages in the cache folder; None (with a warning) when it is a
    link, which would have each briefing's file read and written where it leads."""
    return own_folder(cache, "earlier", "earlier versions' pages are not kept") if cache is not None else None


class _Kept:
    """The earlier pages of one briefing, as the last build rendered them: key -> page fields."""

    def __init__(self, folder: Path | None, briefing: str, stamp: str) -> None:
        self.path = folder / f"{briefing}.json" if folder else None
        self.stamp = f"earlier/2/{stamp}"
        self.read: dict[str, Any] = {}
        self.used: dict[str, list[Any]] = {}
        body = read_sealed(self.path, self.stamp) if self.path is not None else None
        if body is None:
            return
        try:
            read = json.loads(bytes(body))
        except (ValueError, RecursionError):
            return
        self.read = read if isinstance(read, dict) else {}

    def get(self, key: str, name: str) -> tuple[bool, Page | None]:
        """(known, its page): a version known to have no page (it did not pass check then) is
        not loaded again either. A page kept under another name than `name` is a miss: the name
        becomes a path (Zensical stages docs/<name>/index.md), and the seal is no secret."""
        fields = self.read.get(key)
        if fields == []:
            self.used[key] = fields
            return True, None
        if not (isinstance(fields, list) and len(fields) == 6 and all(isinstance(f, str) for f in fields[:5])
                and isinstance(fields[5], dict) and fields[0] == name):
            return False, None
        self.used[key] = fields
        name, title, html, description, apparatus, meta = fields
        return True, Page(name, title, html, description, "version", meta, apparatus)

    def put(self, key: str, page: Page | None) -> None:
        self.used[key] = [] if page is None else [page.name, page.title, page.html, page.description,
                                                  page.apparatus, page.meta]

    def save(self) -> None:
        if self.path is None or self.used.keys() == self.read.keys():
            return
        write_sealed(self.path, self.stamp, json.dumps(self.used, ensure_ascii=False).encode("utf-8", "surrogatepass"))


def earlier_pages(project: Path, briefing: str, trees: dict[str, str], render: Callable[[Resolved], Page],
                  stamp: str, depends: object, kept_folder: Path | None) -> list[Page]:
    """The summary page of each earlier version (`trees`: its as_of -> git tree id), oldest
    first; `depends`: what else of the current version the pages show (JSON-able); `kept_folder`:
    where they are kept (`kept_in`). A version that cannot be read or rendered is left out
    (checkout.py says so at INFO)."""
    kept = _Kept(kept_folder, briefing, stamp)
    same = json.dumps(depends, sort_keys=True, ensure_ascii=False)
    keys = {as_of: hashlib.blake2b(f"{tree}\0{as_of}\0{same}".encode(), digest_size=16).hexdigest()
            for as_of, tree in trees.items()}
    known = {as_of: kept.get(key, f"{briefing}/versions/{as_of}") for as_of, key in keys.items()}
    pages = {as_of: page for as_of, (_, page) in known.items() if page is not None}
    missing = {trees[as_of]: as_of for as_of, (seen, _) in known.items() if not seen}
    if missing:
        raw = dict(zip(missing, batch(project, list(missing))))
        found = {t: (briefing, obj[2]) for t in missing if (obj := raw[t]) is not None and obj[1] == "tree"}

        def make(b: Briefing) -> Page | None:
            # A version committed with errors (a quote not in its source, a source it lacks) has
            # no page as it was: it never built. Its findings are old news, in a report nobody reads.
            report = Report()
            checked = check_briefing(b, report)
            return None if report.errors else render(resolve(checked))

        made = load_versions(project, found, 1, make)
        for tree, as_of in missing.items():
            if tree in made and made[tree] is not None:
                pages[as_of] = made[tree]
            if tree in made:  # a version that could not be read at all is tried again next time
                kept.put(keys[as_of], made[tree])
    kept.save()
    return [pages[as_of] for as_of in sorted(pages)]
