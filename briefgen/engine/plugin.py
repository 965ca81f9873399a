"""The MkDocs plugin that feeds briefgen's rendered pages into a normal MkDocs build."""

from __future__ import annotations

import html
import logging
from typing import Any

import yaml

from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..render import Page
from ..urls import Urls

log = logging.getLogger("mkdocs.briefgen")


def front_matter(page: Page) -> str:
    # MkDocs' theme templates do not autoescape: titles and descriptions go in pre-escaped.
    meta = {"title": html.escape(page.title), "description": html.escape(page.description),
            "hide": ["toc"]}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


class BriefgenPlugin(BasePlugin):
    def __init__(self, pages: list[Page], files: dict[str, str | bytes], urls: Urls,
                 bytecode_cache: Any = None):
        super().__init__()
        self.pages = {urls.src(p.name): p for p in pages}
        self.extra = files
        self.bytecode_cache = bytecode_cache

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        # MkDocs makes a new theme environment every build; `serve` keeps compiled templates.
        if self.bytecode_cache is not None:
            env.bytecode_cache = self.bytecode_cache
        return env

    def on_files(self, files: Files, *, config: Any) -> Files:
        for src, page in self.pages.items():
            existing = files.get_file_from_path(src)
            if existing is not None:
                log.warning(f"briefgen's page replaces {src} from the docs folder")
                files.remove(existing)
            files.append(File.generated(config, src, content=front_matter(page) + "\n"))
        for src, content in self.extra.items():
            existing = files.get_file_from_path(src)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, src, content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        # Our pages are already HTML: give Python-Markdown nothing to do.
        return "" if page.file.src_uri in self.pages else markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        ours = self.pages.get(page.file.src_uri)
        return ours.html if ours is not None else html

    def on_page_context(self, context: dict, *, page: Any, config: Any, nav: Any) -> dict:
        ours = self.pages.get(page.file.src_uri)
        context["briefgen_page"] = ours
        return context
