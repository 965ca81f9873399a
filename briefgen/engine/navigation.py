"""The nav of a briefing site in MkDocs: the labels of briefgen's pages, and how briefgen fits
beside mkdocs-awesome-nav, which builds the nav itself."""

from __future__ import annotations

import posixpath
from typing import Any

import yaml
from mkdocs.structure.files import File, Files, InclusionLevel

from ..stages.render import Page
from ..urls import Urls


def nav_labels(nav: Any) -> dict[str, str]:
    """{src: label} for every page named in an MkDocs nav config, so our pages keep their labels."""
    found: dict[str, str] = {}
    items = nav if isinstance(nav, list) else [nav]
    for item in items:
        if isinstance(item, dict):
            for label, value in item.items():
                if isinstance(value, str):
                    found.setdefault(value, label)
                else:
                    found.update({k: v for k, v in nav_labels(value).items() if k not in found})
    return found


def builds_its_own_nav(config: Any) -> bool:
    """mkdocs-awesome-nav makes the nav from the files and a `.nav.yml` in each folder, and
    replaces any nav a plugin sets, with a warning that fails --strict. With it, briefgen sets no
    nav and says in its language what each briefing folder shows (`nav_files`)."""
    return "awesome-nav" in config.plugins


NAV_LABELS = {"summary": "Summary", "facts": "Key facts", "questions": "Questions"}


def nav_labels_of(pages: list[Page], urls: Urls) -> dict[str, str]:
    """Each briefing page that is in the nav -> its label there ("Key facts")."""
    return {urls.src(q.name): NAV_LABELS[q.kind] for q in pages if q.kind in NAV_LABELS and not q.meta.get("empty")}


def nav_files(pages: list[Page], urls: Urls) -> dict[str, str]:
    """`<briefing>/.nav.yml` for awesome-nav: the briefing's title and its own pages, so its
    sources stay out of the nav as they do without it (every briefing is listed, newest or not)."""
    labels = nav_labels_of(pages, urls)
    out: dict[str, str] = {}
    for p in sorted((p for p in pages if p.kind == "summary"), key=lambda p: p.name):
        bid = p.meta["briefing"]
        own = [{labels[urls.src(q.name)]: posixpath.relpath(urls.src(q.name), bid)} for q in pages
               if q.meta.get("briefing") == bid and urls.src(q.name) in labels]
        out[f"{bid}/.nav.yml"] = yaml.safe_dump({"title": p.title, "nav": own}, allow_unicode=True, sort_keys=False)
    return out


def page_labels(config: Any, pages: list[Page]) -> dict[str, str]:
    """{src: nav label} of briefgen's pages: from MkDocs' nav, or the labels awesome-nav is given."""
    labels = nav_labels(config.nav or [])
    if builds_its_own_nav(config):
        labels.update(nav_labels_of(pages, Urls(config.use_directory_urls)))
    return labels


def add_nav_files(files: Files, config: Any, pages: list[Page]) -> None:
    """Under awesome-nav, each briefing folder's .nav.yml: read by it, never published; a
    project's own .nav.yml for a folder wins."""
    if not builds_its_own_nav(config):
        return
    for src, content in nav_files(pages, Urls(config.use_directory_urls)).items():
        if files.get_file_from_path(src) is None:
            files.append(File.generated(config, src, content=content, inclusion=InclusionLevel.EXCLUDED))
