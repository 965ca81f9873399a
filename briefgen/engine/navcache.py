"""Material's navigation rendered once for the pages that see it alike, not once per page.

Material renders the whole navigation into every page (partials/nav.html), and that was half of
theming a page: at 400 sources 1.5 s of the 2.7 s that theming took in one process (cProfile).
A page in no branch of the nav (a source, an earlier version) sees the nav as every other such
page does but for its links: MkDocs' `url` filter makes each one relative to the page. So the
navigation of the first such page is kept with every URL the filter made for it, and a later
such page takes it only when the filter makes the very same URLs for it (a source of a briefing
listed in the nav links to its own briefing's pages by a shorter path: another variant, its
own rendering). A page in the nav is rendered as before (its item is open and marked).

Only where the result is known to be the same: Material's own nav templates (a project's
override of one may read anything of the page), and only beside the plugins whose page events
are known (pagecache.KNOWN_PLUGINS), as another could change the nav or the context per page.
Chosen at on_env for one build: MkDocs makes a new theme environment for each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .pagecache import KNOWN_PLUGINS

NAV = "partials/nav.html"
# What nav.html renders, and so must be Material's own for a kept navigation to be the same.
PARTS = (NAV, "partials/nav-item.html", "partials/logo.html", "partials/source.html")

Urls = tuple[str, ...]


def install(env: Any, config: Any, nav: Any) -> bool:
    """Keep the navigation of this build's pages outside the nav, where that is safe; whether it is."""
    if not set(config.plugins) <= KNOWN_PLUGINS or config.get("hooks") or nav is None:
        return False
    material = _material_templates()
    try:
        templates = [env.get_template(name) for name in PARTS]
    except Exception:  # noqa: BLE001  # not Material's layout: nothing is kept
        return False
    if material is None or not all(_inside(t.filename, material) for t in templates):
        return False
    url = env.filters.get("url")
    if url is None:
        return False
    kept = _KeptNav(templates[0].root_render_func, url, {id(p) for p in nav.pages})
    env.filters["url"] = kept.filter()
    templates[0].root_render_func = kept.render
    return True


def _material_templates() -> Path | None:
    try:
        import material
    except ImportError:
        return None
    return (Path(material.__file__).parent / "templates").resolve()


def _inside(filename: str | None, folder: Path) -> bool:
    return filename is not None and Path(filename).resolve().is_relative_to(folder)


class _KeptNav:
    def __init__(self, render: Callable[[Any], Iterator[str]], url: Any, in_nav: set[int]) -> None:
        self._render, self._url, self._in_nav = render, url, in_nav
        self._variants: dict[Urls, dict[Urls, str]] = {}  # the URLs asked for -> what they gave -> the HTML
        self._asked: list[tuple[str, str]] | None = None  # while a navigation renders: (value, URL) per call

    def filter(self) -> Any:
        """MkDocs' url filter, recording what it made while a navigation renders."""
        from jinja2 import pass_context

        @pass_context
        def url(context: Any, value: Any) -> str:
            made: str = self._url(context, value)
            if self._asked is not None:
                self._asked.append((str(value), made))
            return made

        return url

    def render(self, context: Any) -> Iterator[str]:
        page = context.get("page")
        if page is None or id(page) in self._in_nav or getattr(page, "parent", None) is not None:
            yield from self._render(context)
            return
        for asked, made in self._variants.items():
            html = made.get(tuple(self._url(context, value) for value in asked))
            if html is not None:
                yield html
                return
        self._asked = []
        try:
            html = "".join(self._render(context))
            calls = self._asked
        finally:
            self._asked = None
        asked, made_urls = tuple(v for v, _ in calls), tuple(u for _, u in calls)
        self._variants.setdefault(asked, {})[made_urls] = html
        yield html
