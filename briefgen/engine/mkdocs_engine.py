"""MkDocs + Material adapter: takes rendered pages and files, builds them with the user's site.

Pages reach MkDocs as generated files whose HTML we already rendered and escaped, so MkDocs
runs no Markdown on them (Python-Markdown would pass raw HTML and `javascript:` links through).
The build goes to a staging folder that replaces `site_dir` only when everything succeeded:
MkDocs empties its `site_dir` before it can fail.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import UserError
from ..render import Page, package_templates
from ..urls import Urls

log = logging.getLogger("mkdocs.briefgen")


NAV_BRIEFINGS = 10  # newest briefings listed in the nav; all of them are on the index page


@dataclass(frozen=True)
class Settings:
    site_dir: Path
    docs_dir: Path | None  # the project's own pages, if it has any
    use_directory_urls: bool
    site_name: str
    site_url: str | None
    nav_briefings: int = NAV_BRIEFINGS


def _raw_config(config_file: Path) -> dict[str, Any]:
    from mkdocs.utils.yaml import yaml_load  # understands !ENV and !relative like MkDocs does

    try:
        with config_file.open("rb") as f:
            return yaml_load(f) or {}
    except FileNotFoundError:
        raise UserError(f"{config_file.name}: no such file; run briefgen in the project root "
                        "(the folder with mkdocs.yml)") from None
    except yaml.YAMLError as exc:
        raise UserError(f"{config_file.name}: invalid YAML: {exc}") from None


def read_settings(project: Path, config_file: str = "mkdocs.yml") -> Settings:
    raw = _raw_config(project / config_file)
    docs = project / str(raw.get("docs_dir") or "docs")
    ours = (raw.get("extra") or {}).get("briefgen") or {}
    limit = ours.get("nav_briefings", NAV_BRIEFINGS) if isinstance(ours, dict) else NAV_BRIEFINGS
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise UserError(f"{config_file}: extra.briefgen.nav_briefings must be a whole number, not {limit!r}")
    return Settings(site_dir=(project / str(raw.get("site_dir") or "site")).resolve(),
                    docs_dir=docs if docs.is_dir() else None,
                    use_directory_urls=bool(raw.get("use_directory_urls", True)),
                    site_name=str(raw.get("site_name") or "Briefings"),
                    site_url=str(raw["site_url"]) if raw.get("site_url") else None,
                    nav_briefings=limit)


def _nav(settings: Settings, user_nav: list | None, pages: list[Page], urls: Urls) -> list:
    """User nav (or the user's pages), then the newest briefings, each with its own three pages.

    Material renders the whole nav into every page, so a nav that grows with the content makes
    the build quadratic (design.md: 21.5 s for 1,000 pages with a flat nav). The index lists all
    briefings; the nav lists a fixed number."""
    nav: list = [{"Briefings": urls.src("index")}]
    if user_nav:
        nav += [item for item in user_nav if item != "index.md"]
    elif settings.docs_dir:
        nav += sorted(p.relative_to(settings.docs_dir).as_posix() for p in settings.docs_dir.rglob("*.md")
                      if p.name != "index.md" or p.parent != settings.docs_dir)
    labels = {"summary": "Summary", "facts": "Key facts", "questions": "Questions"}
    newest = sorted((p for p in pages if p.kind == "summary"), key=lambda p: (p.meta["as_of"], p.name),
                    reverse=True)[: settings.nav_briefings]
    for p in newest:
        if p.kind == "summary":
            bid = p.meta["briefing"]
            own = [{labels[q.kind]: urls.src(q.name)} for q in pages
                   if q.meta.get("briefing") == bid and q.kind in labels]
            nav.append({html.escape(p.title): own})
    return nav


def build(project: Path, settings: Settings, pages: list[Page], files: dict[str, str | bytes],
          strict: bool = False, config_file: str = "mkdocs.yml", warm: Any = None) -> None:
    """Build the site into a staging folder and swap it in (MkDocs itself enforces --strict)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # before Material is imported
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .plugin import BriefgenPlugin

    urls = Urls(settings.use_directory_urls)
    settings.site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".briefgen-build-", dir=settings.site_dir.parent))
    empty_docs = None if settings.docs_dir else Path(tempfile.mkdtemp(prefix=".briefgen-docs-"))
    try:
        config = load_config(str(project / config_file), site_dir=str(staging / "site"),
                             docs_dir=str(settings.docs_dir or empty_docs), strict=strict)
        plugin = BriefgenPlugin(pages, files, urls, warm.templates if warm else None,
                                warm.pages if warm else None)
        plugin.load_config({})
        config.plugins["briefgen"] = plugin
        config.nav = _nav(settings, config.nav, pages, urls)
        config.extra_css.append("assets/briefgen/briefgen.css")
        config.extra_css.append("assets/briefgen/changes.css")
        config.extra_javascript.append("assets/briefgen/briefgen.js")
        config.extra_javascript.append("assets/briefgen/changes.js")
        _theme_dirs(project, config.theme.dirs)
        config.validation.nav.omitted_files = logging.DEBUG  # sources are reached from briefings
        mkdocs_build(config)
        built = staging / "site"
        os.chmod(built, 0o755)
        _swap(built, settings.site_dir)
    except MkDocsException as exc:
        raise UserError(f"the site could not be built: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if empty_docs:
            shutil.rmtree(empty_docs, ignore_errors=True)


def _theme_dirs(project: Path, dirs: list[str]) -> None:
    """Our theme overrides (link-preview tags) go before Material's, after the user's own."""
    ours = [str(d) for d in (project / "templates" / "theme", package_templates() / "theme") if d.is_dir()]
    material = next((i for i, d in enumerate(dirs) if Path(d).name == "material"
                     or Path(d).parent.name == "material"), 0)
    for d in reversed(ours):
        if d not in dirs:
            dirs.insert(material, d)


def _swap(built: Path, site_dir: Path) -> None:
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        site_dir.rename(old)
    built.rename(site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
