"""`serve`: each page's themed HTML kept between rebuilds, reused while nothing it is made of changed.

Material renders every page through a long template (nav, header, footer, scripts): after a
one-file edit most pages are unchanged, and rendering them again is most of a rebuild. A page's
output is made of the page (HTML, title, meta, URLs, neighbours), the nav, and the theme and
config; a key hashes all of them, so any change renders the page again. Other plugins may add
to a page's context in ways no key can see, so the cache is only used when every plugin is one
whose effect on a page is known (search, which indexes and leaves the output alone, and ours).
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..caches.reuse import files_state

TEMPLATE = "briefgen-cached.html"  # in templates/theme: prints the kept output as it is
KNOWN_PLUGINS = frozenset({"search", "material/search", "briefgen"})


def _nav_signature(items: Any) -> list[tuple[object, ...]]:
    return [(type(i).__name__, str(i.title), getattr(i, "url", None), _nav_signature(i.children or []))
            for i in items]


class PageOutputCache:
    def __init__(self) -> None:
        self._outputs: dict[str, str] = {}
        self._kept: dict[str, str] = {}
        self._base = ""
        self.hits = 0

    def start(self, config: Any, nav: Any) -> bool:
        """Begin a build; False if some plugin makes this cache unsafe to use for it."""
        self._kept, self.hits = {}, 0
        if not set(config.plugins) <= KNOWN_PLUGINS:
            self._outputs = {}
            return False
        h = hashlib.blake2b(digest_size=16)
        with open(config.config_file_path, "rb") as f:
            h.update(f.read())
        h.update(repr((files_state(config.theme.dirs), _nav_signature(nav.items))).encode())
        self._base = h.hexdigest()
        return True

    def key(self, page: Any) -> str:
        h = hashlib.blake2b(self._base.encode(), digest_size=16)
        neighbours = [(p.url, str(p.title)) if p else None for p in (page.previous_page, page.next_page)]
        h.update(repr((page.url, str(page.title), sorted(page.meta.items()), page.canonical_url,
                       page.edit_url, neighbours)).encode())
        h.update(page.content.encode("utf-8", "surrogatepass"))
        ours = getattr(page, "ours", None)  # our pages print their apparatus after the content
        h.update((ours.apparatus if ours is not None else "").encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def get(self, key: str) -> str | None:
        output = self._outputs.get(key)
        if output is not None:
            self._kept[key] = output
            self.hits += 1
        return output

    def put(self, key: str, output: str) -> None:
        self._kept[key] = output

    def finish(self) -> None:
        """Keep only the pages of this build, so the cache never outgrows the site."""
        self._outputs = self._kept
