"""What Zensical builds from: a project briefgen writes into its staging folder.

Zensical runs no MkDocs plugins, so the pages cannot be handed to it in memory as they are to
MkDocs: each rendered page becomes a Markdown file of the staged docs folder whose front
matter is the page's meta (pagemeta.py, escaped) and whose body is the page's HTML, passed
through untouched by zensical_markdown.py. Each page is staged where its URL is (a page
`khmeimim/facts` as `khmeimim/facts/index.md` with directory URLs), since Zensical resolves
relative links in a page against its Markdown file's folder: our links, relative to the page's
URL, then point where they do under MkDocs.

The staged config inherits the project's own (Zensical reads `INHERIT:` and merges), so every
setting the user made applies; it adds the docs and site folders, the nav, our CSS and
JavaScript and one theme folder that layers, as under MkDocs, the project's custom_dir over
its templates/theme/ over briefgen's theme overrides.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ..loading.paths import refusal
from ..stages.render import ASSETS, Page, package_templates
from ..urls import Urls
from .mkdocs_engine import UNSAFE_FEATURES, Settings, site_nav
from .pagemeta import page_meta
from .zensical_markdown import MARK

EXTENSION = "briefgen.engine.zensical_markdown"
THEME_FILES = ("404.html", "briefgen-earlier.html")  # engine-neutral files of templates/theme/; main.html is per engine


def staged_src(name: str, urls: Urls) -> str:
    """The Markdown file whose folder is the page's URL folder: khmeimim/facts/index.md."""
    return urls.dest(name)[: -len(".html")] + ".md"


def page_file(page: Page, tags: tuple[str, ...]) -> str:
    meta = page_meta(page, tags)
    meta["briefgen_kind"] = page.kind
    if page.meta.get("briefing"):
        meta["briefgen_briefing"] = page.meta["briefing"]
    # Double-quoted scalars on one line each: no value can end the front matter or nest a key.
    front = yaml.safe_dump(meta, default_style='"', allow_unicode=True, width=2**31, sort_keys=False)
    return f"---\n{front}---\n{MARK}\n{page.html}{page.apparatus}"


def write_docs(docs: Path, project: Path, settings: Settings, pages: list[Page], extra: dict[str, str | bytes],
               tags: dict[str, tuple[str, ...]], urls: Urls) -> list[str]:
    """Stage the project's own docs pages, then ours; the names of own pages ours replace."""
    ours = {staged_src(p.name, urls) for p in pages} | {urls.src(p.name) for p in pages}
    replaced = _copy_tree(settings.docs_dir, docs, project, skip=ours | set(extra)) if settings.docs_dir else []
    # Zensical shows a page's tags without a tags plugin, MkDocs' Material only with one.
    tagged = _has_tags_plugin(settings.raw.get("plugins"))
    for page in pages:
        own = tags.get(page.name.split("/", 1)[0], ()) if tagged else ()
        _write(docs / staged_src(page.name, urls), page_file(page, own))
    for name, content in extra.items():
        _write(docs / name, content)
    return replaced


def _has_tags_plugin(plugins: Any) -> bool:
    names = plugins if isinstance(plugins, list) else list(plugins or {})
    return any(n in ("tags", "material/tags") or (isinstance(n, dict) and {"tags", "material/tags"} & set(n))
               for n in names)


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def _copy_tree(source: Path, target: Path, project: Path, skip: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Copy the regular files under `source` that the rule lets a build read (the check has
    reported the others); links are copied as the files they lead to. The skipped names found."""
    skipped = []
    for path in sorted(_files(source, project)):
        name = path.relative_to(source).as_posix()
        if name in skip:
            skipped.append(name)
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / name)
    return skipped


def _files(folder: Path, project: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = [d for d in dirs if refusal(here / d, project) is None and not (here / d).is_symlink()]
        for f in files:
            if refusal(here / f, project) is None and (here / f).is_file():
                yield here / f


def write_theme(theme: Path, project: Path, custom_dir: Path | None) -> None:
    """One folder, as MkDocs layers its theme dirs: custom_dir over templates/theme/ over ours."""
    theme.mkdir(parents=True, exist_ok=True)
    package = package_templates()
    for name in THEME_FILES:
        shutil.copyfile(package / "theme" / name, theme / name)
    _copy_tree(package / "zensical", theme, package)
    for layer in (project / "templates" / "theme", custom_dir):
        if layer is not None and layer.is_dir():
            _copy_tree(layer, theme, project, _as_shipped(layer, package / "theme"))


def _as_shipped(layer: Path, ours: Path) -> set[str]:
    """The files of a project's theme folder that are briefgen's own as it ships them (in a
    clone of briefgen the project's templates/ are ours; or a copy of them): they override
    nothing, and MkDocs' main.html and sitemap.xml would break Zensical's theme."""
    same = set()
    for path in ours.rglob("*"):
        name = path.relative_to(ours).as_posix()
        mine = layer / name
        if path.is_file() and mine.is_file() and not mine.is_symlink() and mine.read_bytes() == path.read_bytes():
            same.add(name)
    return same


def config(settings: Settings, config_file: Path, staging: Path, pages: list[Page], urls: Urls) -> dict[str, Any]:
    """The staged mkdocs.yml: the project's config inherited, and what a briefing site adds."""
    raw_theme = settings.raw.get("theme")
    theme: dict[str, Any] = {"custom_dir": "theme"}
    if not isinstance(raw_theme, dict) or "variant" not in raw_theme:
        theme["variant"] = "classic"  # Material's look, as under MkDocs
    mine = settings if settings.raw.get("nav") is None else _without_docs(settings)
    return {
        "INHERIT": str(config_file),
        # Relative to the staged config, as Zensical reads them (it fails on absolute ones).
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": theme,
        "nav": _staged_nav(site_nav(mine, None, pages, urls), pages, urls),
        "extra_css": [f"assets/briefgen/{name}" for name in ASSETS if name.endswith(".css")],
        "extra_javascript": [f"assets/briefgen/{name}" for name in ASSETS if name.endswith(".js")],
        "markdown_extensions": [EXTENSION],
        # Our links are checked by briefgen; Zensical looks for anchors only among the
        # headings Markdown made, not the ids of the HTML we hand it.
        "validation": {"invalid_link_anchors": False},
    }


def _without_docs(settings: Settings) -> Settings:
    return replace(settings, docs_dir=None)


def _staged_nav(nav: Sequence[object], pages: list[Page], urls: Urls) -> list[object]:
    """MkDocs' nav of the site with our pages at their staged names. Appended to the user's own
    nav when there is one (INHERIT merges lists by appending)."""
    names = {urls.src(p.name): staged_src(p.name, urls) for p in pages}

    def staged(item: object) -> object:
        if isinstance(item, str):
            return names.get(item, item)
        if isinstance(item, list):
            return [staged(i) for i in item]
        if isinstance(item, dict):
            return {k: staged(v) for k, v in item.items()}
        return item

    return [staged(item) for item in nav]


def unsafe_features(settings: Settings) -> list[str]:
    """Theme features that parse page text as HTML: Zensical's merge cannot take them out of
    the user's list, so the build refuses them (engine/mkdocs_engine.py leaves them off)."""
    raw_theme = settings.raw.get("theme")
    features = raw_theme.get("features") if isinstance(raw_theme, dict) else None
    return [f for f in features or [] if f in UNSAFE_FEATURES]


def custom_dir(settings: Settings, project: Path) -> Path | None:
    raw_theme = settings.raw.get("theme")
    value = raw_theme.get("custom_dir") if isinstance(raw_theme, dict) else None
    return (project / str(value)) if value else None
