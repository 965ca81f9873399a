"""load -> check (with analyse) -> resolve -> render, every problem collected on the way; the
engine (briefgen/engine/) builds the site from what `render` returns.

The stages are in briefgen/stages/, one module each (export writes briefing.json beside the
pages). What they read with: loading/ (briefing.yml and source files, with positions), text/
(markdown, quotes, marks, citation markers), history/ (earlier versions from git, their
changes and feeds). caches/ only saves time; strategy.py says which of it a run may use.

Each stage is a function of what the one before returned, and changes none of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .caches.checkintwo import check_in_two
from .caches.parsecache import ParseCache, cache_dir
from .diagnostics import Report
from .loading.paths import report_refused
from .stages.check import Checked, check_briefing
from .stages.load import briefing_folders, load_briefing
from .strategy import Strategy
from .text.markup import markdown

if TYPE_CHECKING:  # rendering (Jinja2) is imported only by a build, so `check` starts faster
    from .analysis.changes import Story
    from .caches.rendermemo import RenderMemo
    from .caches.reuse import Reuse
    from .history.versions import History
    from .stages.render import Page, Renderer
    from .stages.resolve import Resolved
    from .urls import Urls


@dataclass
class Outcome:
    report: Report
    checked: list[Checked] = field(default_factory=list)
    resolved: list[Resolved] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    cache: Path | None = None  # the cache folder check used (None: no cache), for render's history

    def counts(self) -> str:
        bs = [c.briefing for c in self.checked]
        n_src = sum(len(b.sources) for b in bs)
        n_cit = sum(len(c.matches) for c in self.checked)
        return (f"{len(bs)} briefing{'s' if len(bs) != 1 else ''}, {n_src} source{'s' if n_src != 1 else ''}, "
                f"{n_cit} citation{'s' if n_cit != 1 else ''}")

    def languages(self) -> set[str]:
        """The languages the briefings and their sources are written in (language subtags), so
        the engine's search can split and stem their words."""
        from .text.direction import language_of

        out: set[str] = set()
        for c in self.checked:
            b = c.briefing
            out.add(language_of(b.lang, b.title))
            out.update(language_of(s.lang, s.title + " " + s.body) for s in b.sources.values())
        return out


def check(project: Path, strategy: Strategy = Strategy()) -> Outcome:
    """Load and check every briefing (the strategy says whether the parse cache is used, what
    serve's last rebuild left to reuse, and whether the check was started ahead)."""
    taken = strategy.ahead.take(project) if strategy.ahead is not None else None
    if taken is not None:
        return taken
    outcome, cache = check_unsaved(project, strategy)
    cache.save()
    return outcome


def check_unsaved(project: Path, strategy: Strategy) -> tuple[Outcome, ParseCache]:
    """check(), leaving the parse cache's new entries to save (in the process that builds)."""
    report = Report()
    folder = cache_dir(project) if strategy.parse_cache else None  # looked at once: it may warn
    cache = ParseCache(folder)
    reuse = strategy.reuse
    root = project.resolve()
    folders = briefing_folders(root, report)
    # The project's templates are read by the build (our pages, the theme's overrides, static
    # files MkDocs copies): checked here, so `check` and every build refuse the same files.
    report_refused(root / "templates", root, report)
    if reuse is None:  # a one-shot run: briefings load and check alone, every other one in a worker
        return Outcome(report, check_in_two(root, folders, report, cache, strategy.jobs), cache=folder), cache.to_save()
    briefings = [b for f in folders if (b := load_briefing(root, f, report)) is not None]
    reuse.start({b.id for b in briefings})
    checked = []
    for b in briefings:
        kept = reuse.checked(b)
        if kept is not None:
            report.problems += kept.problems
            checked.append(kept.checked)
            continue
        before = len(report.problems)
        checked.append(check_briefing(b, report, cache))
        reuse.keep_checked(b, checked[-1], report.problems[before:])
    return Outcome(report, checked, cache=folder), cache.to_save()


# A briefing resolved (None when its pages were kept), its pages, other files (briefing.json, feed.xml), story.
Rendered = tuple["Resolved | None", list["Page"], dict[str, str], "Story"]


def render(project: Path, outcome: Outcome, urls: Urls, site_name: str,
           strategy: Strategy = Strategy(), site_url: str | None = None, cite: bool = False) -> dict[str, str | bytes]:
    """Rendered pages go into outcome.pages; returns the other files (briefing.json, feeds, assets);
    with `cite` (the engine's choice), source pages carry what select-to-cite needs."""
    from .caches.keeping import render_keeping
    from .caches.spool import InMemory, Spool
    from .caches.templatecache import kept_templates
    from .history.earlier import kept_in, render_stamp
    from .history.versions import history_for
    from .stages.feed import site_feed
    from .stages.render import Renderer
    from .stages.searchable import searchable

    reuse = strategy.reuse
    history = history_for(project, [c.briefing for c in outcome.checked],  # read at the edge, like content
                          outcome.cache, strategy.jobs)
    compiled = reuse.templates if reuse else kept_templates(outcome.cache)  # templates compiled before
    renderer = Renderer(project, urls, markdown(), site_name, compiled)
    # Earlier versions' pages are kept by what they are rendered with; read once, before workers fork.
    stamp = render_stamp(project, urls.directory_urls, site_name) if history.trees else ""
    one = BriefingRenderer(project, renderer, history, urls, site_name, site_url, cite, stamp,
                           kept_in(outcome.cache) if history.trees else None)
    if reuse is None:
        memo = _memo(project, outcome, (urls.directory_urls, site_name, site_url, cite))
        spool = Spool(outcome.cache) if strategy.spool else InMemory()
        results = render_keeping(outcome.checked, one, memo, spool, strategy.jobs)
        _release(outcome.checked)
    else:
        base = (reuse.render_stamp(project, urls.directory_urls, site_name), site_url)  # feeds use site_url
        results = _render_reusing(outcome.checked, one, reuse, base)
    files: dict[str, str | bytes] = {}
    for r, pages, own, _ in results:
        if r is not None:
            outcome.resolved.append(r)
        outcome.pages += pages
        files.update(own)
    outcome.pages.append(searchable(renderer.index_page(outcome.checked)))
    files.update(_assets(renderer))
    titles = [c.briefing.title for c in outcome.checked]  # results are in the order of outcome.checked
    files["feed.xml"] = site_feed([(s, t) for (_, _, _, s), t in zip(results, titles)], urls, site_url, site_name)
    return files


@dataclass(frozen=True)
class BriefingRenderer:
    """Renders one checked briefing into its pages and files; run in this process or, for every
    other briefing, in the forked worker (caches/parallel.py), which inherits it as it is."""

    project: Path
    renderer: Renderer
    history: History
    urls: Urls
    site_name: str
    site_url: str | None
    cite: bool  # source pages carry select-to-cite's data
    stamp: str  # what earlier versions' pages are rendered with
    earlier: Path | None  # where earlier versions' pages are kept (.briefgen-cache/earlier/), if they are

    def story(self, c: Checked) -> Story:
        from .analysis.changes import story

        return story(c.briefing, self.history.of(c.briefing.id), c.analysis)

    def render(self, c: Checked, s: Story | None = None) -> Rendered:
        # Each briefing's changes are compared where it renders, in the worker for its share.
        from .stages.export import briefing_json
        from .stages.feed import briefing_feed
        from .stages.resolve import resolve
        from .stages.searchable import searchable

        s = self.story(c) if s is None else s
        r = resolve(c)
        b = r.briefing
        earlier, since = _earlier(self.project, self.history, self.renderer, c, r, s, self.stamp, self.earlier)
        own = self.renderer.briefing_pages(r, s, frozenset(p.meta["version"] for p in earlier))
        # Search entries are read here, in the worker, from the content (not the apparatus);
        # earlier versions are never a search hit.
        pages = [searchable(_with_cite_data(p, r) if self.cite else p) for p in own] + earlier
        files = {f"{b.id}/briefing.json": briefing_json(r, self.urls, s),
                 f"{b.id}/feed.xml": briefing_feed(s, b.title, self.urls, self.site_url, self.site_name), **since}
        _release([c])
        return r, pages, files, s


def _release(checked: list[Checked]) -> None:
    """Rendered: a smaller heap while MkDocs builds (rendering again parses anew). Also the
    sources parsed here, by check, of the briefings the forked worker rendered."""
    for c in checked:
        for doc in c.docs.values():
            doc.release()


def _earlier(project: Path, history: History, renderer: Renderer, c: Checked, r: Resolved, s: Story, stamp: str,
             kept: Path | None) -> tuple[list[Page], dict[str, str]]:
    """Each earlier version's summary page as it was, and what changed since each of them (for
    a reader who last saw that one); nothing for a briefing without earlier versions."""
    from .analysis.changes import snapshot
    from .history.earlier import earlier_pages
    from .stages.earlier_view import earlier_summary, since_files

    if not s.steps:
        return [], {}
    b, now = r.briefing, set(r.briefing.sources)
    trees = {as_of: tree for as_of, tree in history.trees.get(b.id, {}).items() if as_of < s.as_of}
    # What else the pages show of the current version: source numbers, which sources it still has.
    pages = earlier_pages(project, b.id, trees, lambda old: earlier_summary(renderer, old, s, now), stamp,
                          [s.numbers, sorted(now)], kept)
    return pages, since_files(renderer, r, history.of(b.id), snapshot(b, c.analysis), s)


def _assets(renderer: Renderer) -> dict[str, str]:
    """The site's own stylesheets and scripts, as the project's templates/ or ours have them."""
    from .stages.render import ASSETS

    loader = renderer.env.loader
    assert loader is not None  # the Renderer always makes one
    return {f"assets/briefgen/{name}": loader.get_source(renderer.env, f"assets/{name}")[0] for name in ASSETS}


def _with_cite_data(page: Page, r: Resolved) -> Page:
    """A source page with its text for select-to-cite after its content, where no search
    indexer reads it; a source published as excerpts gives none of its other words."""
    from dataclasses import replace

    from .text.citedata import cite_script

    b = r.briefing
    sid = page.name.rsplit("/", 1)[-1]
    if page.kind != "source" or sid not in b.sources or b.sources[sid].publish == "excerpts":
        return page
    return replace(page, apparatus=page.apparatus + cite_script(r.docs[sid]))


def _render_reusing(checked: list[Checked], one: BriefingRenderer, reuse: Reuse, base: object) -> list[Rendered]:
    """serve: a briefing whose check was reused is not rendered again either, while the
    templates and settings (`base`) and its story are unchanged. A commit can change the
    history a briefing's pages show; they show only their own story."""
    results = []
    for c in checked:
        s = one.story(c)
        stamp = (base, s)
        kept = reuse.rendered(c, stamp)
        if kept is None:
            kept = one.render(c, s)
            reuse.keep_rendered(c, stamp, *kept)
        results.append(kept)
    return results


def _memo(project: Path, outcome: Outcome, settings: tuple[object, ...]) -> RenderMemo | None:
    """The briefings kept in the cache folder, when the run uses one."""
    from .caches.rendermemo import RenderMemo, memo_folder

    folder = memo_folder(outcome.cache) if outcome.cache is not None else None
    return RenderMemo(folder, project / "templates", settings) if folder is not None else None
