"""Page addresses, honouring MkDocs' `use_directory_urls`, and relative links between them.

Every link on a briefing page is relative, so a site works under any sub-path.
"""

from __future__ import annotations

import posixpath


class Urls:
    def __init__(self, directory_urls: bool = True):
        self.directory_urls = directory_urls
        self._rel: dict[tuple[str, str], str] = {}  # a site has few page pairs, linked many times

    def src(self, page: str) -> str:
        """The docs-relative source name of a page, e.g. 'khmeimim/facts.md'."""
        return page + ".md"

    def url(self, page: str) -> str:
        """Site-relative URL of a page named like 'index', 'khmeimim/index', 'khmeimim/facts'."""
        if page == "index" or page.endswith("/index"):
            base = page[: -len("index")]
            return base if self.directory_urls else base + "index.html"
        return page + "/" if self.directory_urls else page + ".html"

    def dest(self, page: str) -> str:
        url = self.url(page)
        return url + "index.html" if url == "" or url.endswith("/") else url

    def rel(self, from_page: str, to_page: str, fragment: str = "") -> str:
        """A link from one page to another (plus #fragment), relative."""
        target = self._rel.get((from_page, to_page))
        if target is None:
            here, there = self.url(from_page), self.url(to_page)
            here_dir = here if here == "" or here.endswith("/") else posixpath.dirname(here) + "/"
            target = posixpath.relpath("/" + there, "/" + here_dir)
            if (there == "" or there.endswith("/")) and not target.endswith("/"):
                target += "/"
            self._rel[(from_page, to_page)] = target
        return target + (f"#{fragment}" if fragment else "")


def page_of(briefing_id: str, kind: str, source_id: str | None = None) -> str:
    if kind == "source":
        return f"{briefing_id}/sources/{source_id}"
    return f"{briefing_id}/index" if kind == "summary" else f"{briefing_id}/{kind}"
