"""The MkDocs plugin that feeds briefgen's rendered pages into a normal MkDocs build."""

from __future__ import annotations

import html
import logging
from typing import Any

from markupsafe import Markup
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from ..render import Page
from ..urls import Urls
from .pagecache import TEMPLATE, PageOutputCache

log = logging.getLogger("mkdocs.briefgen")


def page_meta(page: Page) -> dict[str, Any]:
    # MkDocs' theme templates do not autoescape: titles and descriptions go in pre-escaped.
    return {"title": html.escape(page.title), "description": html.escape(page.description),
            "hide": ["toc"]}


class RenderedPage(MkDocsPage):
    """A page whose HTML briefgen has rendered: MkDocs gets its meta and content as they are.

    Nothing to read and no Markdown to convert, so no front matter is written out and parsed
    back, and no Python-Markdown instance is made per page. MkDocs uses a page a plugin sets
    on `File.page` (as Material's blog plugin does)."""

    def __init__(self, ours: Page, label: str | None, file: File, config: Any) -> None:
        super().__init__(label, file, config)
        self.ours = ours

    def read_source(self, config: Any) -> None:
        self.markdown, self.meta = "", page_meta(self.ours)

    def render(self, config: Any, files: Files) -> None:
        self.content = self.ours.html
        self.toc = []  # type: ignore[assignment]  # pages hide the toc; headings carry their ids


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


class BriefgenPlugin(BasePlugin):
    def __init__(self, pages: list[Page], files: dict[str, str | bytes], urls: Urls,
                 bytecode_cache: Any = None, page_cache: PageOutputCache | None = None):
        super().__init__()
        self.pages = {urls.src(p.name): p for p in pages}
        self.extra = files
        self.bytecode_cache = bytecode_cache
        self.page_cache = page_cache
        self._caching = False
        self._reused: dict[str, str] = {}  # src -> output kept from the last rebuild
        self._keys: dict[str, str] = {}  # src -> key of a page rendered this time

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        # MkDocs makes a new theme environment every build; `serve` keeps compiled templates.
        if self.bytecode_cache is not None:
            env.bytecode_cache = self.bytecode_cache
        return env

    def on_files(self, files: Files, *, config: Any) -> Files:
        labels = nav_labels(config.nav or [])
        for src, page in self.pages.items():
            existing = files.get_file_from_path(src)
            if existing is not None:
                log.warning(f"briefgen's page replaces {src} from the docs folder")
                files.remove(existing)
            file = File.generated(config, src, content="")
            RenderedPage(page, labels.get(src), file, config)
            files.append(file)
        for src, content in self.extra.items():
            existing = files.get_file_from_path(src)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, src, content=content))
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        if self.page_cache is not None:
            self._caching = self.page_cache.start(config, nav)
        return nav

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        # The theme template is picked before on_page_context, so a kept page is decided here.
        if self._caching and isinstance(page, RenderedPage):
            key = self.page_cache.key(page)
            output = self.page_cache.get(key)
            if output is None:
                self._keys[page.file.src_uri] = key
            else:
                self._reused[page.file.src_uri] = output
                page.meta["template"] = TEMPLATE
        return html

    def on_page_context(self, context: dict, *, page: Any, config: Any, nav: Any) -> dict:
        context["briefgen_page"] = self.pages.get(page.file.src_uri)
        reused = self._reused.get(page.file.src_uri)
        if reused is not None:
            context["briefgen_cached"] = Markup(reused)
        return context

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        key = self._keys.get(page.file.src_uri)
        if key is not None:
            self.page_cache.put(key, output)
        return output

    def on_post_build(self, *, config: Any) -> None:
        if self._caching:
            self.page_cache.finish()
            log.debug(f"kept {self.page_cache.hits} of {len(self.pages)} pages from the last rebuild")
