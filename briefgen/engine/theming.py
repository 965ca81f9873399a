"""How briefgen's pages get their theme in one MkDocs build: themed by Material as usual, kept
from an earlier build (pagecache.py), or themed by a forked worker (paralleltheme.py). The last
two print an output made elsewhere through `briefgen-cached.html`, so every plugin still sees
every page here, once. Where the worker may run, every page's file is written by another
forked process (sitewriter.py). The plugin calls in at MkDocs' events; the choices are the
edge's (the strategy: serve keeps pages in memory, a one-shot build in `.briefgen-cache/`, and
forks only when its `jobs` say so).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..caches.templatecache import kept_templates
from ..strategy import Strategy
from .pagecache import TEMPLATE, PageOutputCache, kept_in
from .paralleltheme import ParallelTheming, parallel_safe
from .sitelinks import Held, SiteLinks, marker_of, note_site, same_disk
from .sitewriter import SiteWriter

log = logging.getLogger("briefgen")


class Theming:
    def __init__(self, strategy: Strategy | None = None, cache: Path | None = None,
                 previous: Path | None = None) -> None:
        """`cache`: the run's cache folder (a one-shot build keeps its pages there); `previous`:
        the site this build replaces, whose unchanged pages the writer may link."""
        self.page_cache: PageOutputCache | None = None
        self.templates: Any = None  # compiled templates: serve's in memory, a build's in the cache folder
        if strategy is not None and strategy.reuse is not None:
            self.page_cache = strategy.reuse.engine.setdefault("pages", PageOutputCache())
            self.templates = strategy.reuse.templates
        elif cache is not None:
            self.page_cache, self.templates = kept_in(cache), kept_templates(cache)
        parallel = strategy is not None and strategy.jobs >= 2 and strategy.reuse is None
        self._worker = ParallelTheming() if parallel else None
        self._writer = SiteWriter() if parallel else None
        self._previous, self._cache = previous, cache
        self._caching = False
        self._links: SiteLinks | None = None  # which old site's file holds which kept page
        self._kept: dict[str, tuple[str, str]] = {}  # src -> (key, template) of a page kept from the last build
        self._held: dict[str, Held] = {}  # src -> the old site's file of a kept page, linked unread
        self._keys: dict[str, str] = {}  # src -> key of a page themed this time
        self._printed: dict[str, str] = {}  # src -> key of a kept page printed (read from the cache)
        self._site: dict[str, str] = {}  # dest_uri -> key of a page the writer took, for the next build's links
        self._marker: tuple[int, int] | None = None  # the marker this build made, for its note
        self._unthemed: dict[str, str] = {}  # src -> template of a page not printed from elsewhere after all
        self._nav: Any = None
        self._env: Any = None

    @property
    def nav(self) -> Any:
        return self._nav

    def on_nav(self, config: Any, nav: Any) -> None:
        self._nav = nav
        if self.page_cache is not None:
            self._caching = self.page_cache.start(config, nav)
        # Unchanged pages are linked unread only where the writer will run beside the old site.
        if (self._caching and self._writer is not None and self._previous is not None and self._cache is not None
                and parallel_safe(config) and self.page_cache is not None and self.page_cache.folder is not None
                and same_disk(Path(config.site_dir).parent, self._previous)):
            self._links = SiteLinks(self._cache, self._previous)

    def choose(self, page: Any) -> None:
        """Whether a kept output stands in for the page (its template is picked before
        on_page_context, so in on_page_content)."""
        cache = self.page_cache
        if not self._caching or cache is None:
            return
        key = cache.key(page)
        held = self._links.held(page.file.dest_uri, key) if self._links is not None else None
        if held is not None and cache.has(key) and cache.held(key, held.search):
            self._held[page.file.src_uri] = held
            page.meta["template"] = TEMPLATE
        elif cache.has(key):  # read when printed: a build holds one kept page at a time
            self._kept[page.file.src_uri] = (key, page.meta.get("template", "main.html"))
            page.meta["template"] = TEMPLATE
        else:
            self._keys[page.file.src_uri] = key

    def fork(self, pages: list[Any], env: Any, config: Any, doc_files: list[Any]) -> None:
        """At on_env, after every plugin's: a worker themes part of the pages not kept."""
        self._env = env
        if self._writer is not None and parallel_safe(config):  # first: before the worker, with no thread yet
            beside = (str(config.site_dir), str(self._previous)) if self._previous is not None else None
            self._writer.start([f.abs_dest_path for f in doc_files], beside)
            if self.page_cache is not None and self.page_cache.folder is not None:
                self.page_cache.write_through(self._writer.keep)
        if self._worker is not None and parallel_safe(config):
            self._worker.start([p for p in pages if p.meta.get("template") != TEMPLATE], env, config, self._nav,
                               doc_files)

    def context(self, page: Any, context: Any) -> None:
        """Before the search plugin indexes the page: a kept page is read, with its entries, and
        the worker's output for one of its pages is taken."""
        src = page.file.src_uri
        output: str | None
        if src in self._held:  # linked by the writer, in on_post_page: nothing to print
            output, template = "", ""
        elif src in self._kept and self.page_cache is not None:
            key, template = self._kept.pop(src)
            output = self.page_cache.get(key)
            if output is None:  # damaged or gone since on_page_content: themed after all, and kept
                self._keys[src] = key
            else:
                self._printed[src] = key
        elif self._worker is not None and self._worker.owns(page):
            output, template = self._worker.delivered(page)
        else:
            return
        if output is None:  # themed in context_late, with every plugin's context
            self._unthemed[src] = template
            return
        context["briefgen_cached"] = Markup(output)
        if getattr(page, "ours", None) is not None:
            # The search plugin (next) reads our HTML back and scans it for attributes it never
            # has, then indexes nothing: our pages' entries come from the render (searchindex.py).
            # Printed from elsewhere, the content is not needed: 0.7 s of a build with nothing
            # changed at 4,000 sources.
            page.content = ""

    def context_late(self, page: Any, context: Any) -> None:
        """After every plugin's on_page_context: a page that was to be printed from elsewhere
        and could not be (a kept page unreadable, a worker that did not deliver) is themed here."""
        template = self._unthemed.pop(page.file.src_uri, None)
        if template is not None:
            context["briefgen_cached"] = Markup(self._env.get_template(template).render(context))

    def themed(self, page: Any, output: str) -> str:
        """After every plugin's on_post_page: the page kept, and written by the writer (then ""
        is returned, and MkDocs writes nothing)."""
        src = page.file.src_uri
        held = self._held.pop(src, None)
        if held is not None:
            return self._link(page, held)
        key = self._keys.pop(src, None)
        if key is not None and self.page_cache is not None:
            self.page_cache.put(key, output)
        key = key or self._printed.pop(src, None)
        if self._writer is None or not self._writer.running or not output.strip():
            return output
        # Encoded as MkDocs' _build_page encodes it.
        self._writer.write(src, page.file.abs_dest_path, output.encode("utf-8", errors="xmlcharrefreplace"))
        if key is not None:
            self._site[page.file.dest_uri] = key
        return ""

    def _link(self, page: Any, held: Held) -> str:
        """A page whose old file holds its output: the writer links it (or writes it from the
        page cache's file); without a writer after all, its output is read and returned."""
        assert self.page_cache is not None
        kept = self.page_cache.file_of(held.key)
        if self._writer is None or not self._writer.running or kept is None:
            output = self.page_cache.get(held.key)
            if output is None:
                raise OSError(f"the kept page of {page.file.src_uri} changed during the build; build again")
            return output
        self._writer.link(page.file.src_uri, page.file.abs_dest_path, held, kept)
        self._site[page.file.dest_uri] = held.key
        return ""

    def staged(self, built: Path) -> None:
        """The site is built, its marker written (on_post_build): which marker is this build's."""
        self._marker = marker_of(built) if self._site else None

    def note(self, site: Path) -> None:
        """Once the site is in place: which kept page each page's file holds, for the next
        build to link unread (sitelinks.py); only for a site the writer wrote."""
        if not self._site or self._cache is None or self.page_cache is None or self._marker is None:
            return
        searched = self.page_cache.searched
        note_site(self._cache, site, self._marker, {uri: (key, searched.get(key)) for uri, key in self._site.items()})

    def finish(self, succeeded: bool, pages: int) -> None:
        """After the build (or its failure): the worker reaped; after a success, the kept pages
        pruned to this build's."""
        if self._worker is not None:
            self._worker.finish()
        if self._writer is not None and succeeded:
            self._writer.finish()  # every page on disk before the marker lists them; a failed write fails the build
        elif self._writer is not None:
            self._writer.abort()
        if self.page_cache is not None:
            self.page_cache.close()
        if succeeded and self._caching and self.page_cache is not None:
            self.page_cache.finish()
            log.debug(f"kept {self.page_cache.hits} of {pages} pages from the last build")
