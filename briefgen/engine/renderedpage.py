"""The page MkDocs is handed for each page briefgen rendered (engine/plugin.py adds them in on_files)."""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from ..stages.render import Page
from . import beside


class RenderedPage(MkDocsPage):
    """A page whose HTML briefgen has rendered: MkDocs gets its meta and content as they are.

    Nothing to read and no Markdown to convert: no front matter written out and parsed back, no
    Python-Markdown instance per page. MkDocs uses a page a plugin sets on `File.page` (as Material's blog does)."""

    _rendered = False
    _changed: str | None = None  # content a plugin set, when it is not ours as it is

    def __init__(self, ours: Page, tags: tuple[str, ...], label: str | None, file: File, config: Any) -> None:
        super().__init__(label, file, config)
        self.ours, self.tags = ours, tags

    # Our HTML may wait in the build's spool (caches/spool.py): it is read when MkDocs asks for
    # the content and held by no page meanwhile, unless a plugin changed it.
    @property
    def content(self) -> str | None:
        return self._changed if self._changed is not None or not self._rendered else self.ours.html

    @content.setter
    def content(self, value: str | None) -> None:
        self._changed = None if value is None or (self._rendered and value is self.ours.html) else value

    def read_source(self, config: Any) -> None:
        # Its search entries go in after the build (searchindex.py): the search plugin skips it.
        self.markdown, self.meta = "", {**beside.page_meta(self.ours, self.tags), "search": {"exclude": True}}

    def render(self, config: Any, files: Files) -> None:
        self._rendered = True
        self.toc = []  # type: ignore[assignment]  # pages hide the toc; headings carry their ids
