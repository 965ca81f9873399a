"""load -> check -> resolve -> render -> engine, with every problem collected on the way."""

from __future__ import annotations

import gc
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from .check import Checked, check_briefing
from .diagnostics import Report
from .load import load_project
from .markup import markdown
from .parsecache import CACHE_DIR, ParseCache

if TYPE_CHECKING:  # rendering (Jinja2) is imported only by a build, so `check` starts faster
    from .render import Page
    from .resolve import Resolved
    from .urls import Urls
    from .warm import Warm

log = logging.getLogger("briefgen")


@dataclass
class Outcome:
    report: Report
    checked: list[Checked] = field(default_factory=list)
    resolved: list[Resolved] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    def counts(self) -> str:
        bs = [c.briefing for c in self.checked]
        n_src = sum(len(b.sources) for b in bs)
        n_cit = sum(len(c.matches) for c in self.checked)
        return (f"{len(bs)} briefing{'s' if len(bs) != 1 else ''}, {n_src} source{'s' if n_src != 1 else ''}, "
                f"{n_cit} citation{'s' if n_cit != 1 else ''}")


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Loading and parsing allocate many small objects and make no reference cycles: the cyclic
    collector would only scan them over and over (about a tenth of a cold check)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(project: Path, use_cache: bool = True, warm: Warm | None = None) -> Outcome:
    """Load and check every briefing; `use_cache`: read and update .briefgen-cache/."""
    report = Report()
    cache = ParseCache(project / CACHE_DIR if use_cache else None)
    checked: list[Checked] = []
    with _no_cycle_collection():
        briefings = load_project(project, report)
        if warm is not None:
            warm.start({b.id for b in briefings})
        for b in briefings:
            kept = warm.checked(b) if warm is not None else None
            if kept is not None:
                report.problems += kept.problems
                checked.append(kept.checked)
                continue
            before = len(report.problems)
            checked.append(check_briefing(b, report, cache))
            if warm is not None:
                warm.keep_checked(b, checked[-1], report.problems[before:])
    cache.save()
    return Outcome(report, checked)


def render(project: Path, outcome: Outcome, urls: Urls, site_name: str,
           warm: Warm | None = None, site_url: str | None = None,
           use_cache: bool = True) -> dict[str, str | bytes]:
    """Rendered pages go into outcome.pages; returns the other files (briefing.json, assets)."""
    from .export import briefing_json
    from .feed import feeds
    from .history import stories_of
    from .render import Renderer
    from .resolve import resolve

    stories = stories_of(project, [c.briefing for c in outcome.checked],
                         project / CACHE_DIR if use_cache else None)  # read at the edge, like content
    renderer = Renderer(project, urls, markdown(), site_name,
                        warm.templates if warm else None, stories)

    def render_one(c: Checked) -> tuple[Resolved, list[Page], str]:
        r = resolve(c)
        pages, exported = renderer.briefing_pages(r), briefing_json(r, urls, stories.get(r.briefing.id))
        for doc in r.docs.values():
            doc.release()
        return r, pages, exported

    if warm is None:
        results = _render_shared(outcome.checked, render_one)
    else:
        results = _render_warm(outcome.checked, render_one, warm,
                               # a commit can change the history a page shows: part of the stamp
                               (warm.render_stamp(project, urls.directory_urls, site_name), stories))
    files: dict[str, str | bytes] = {}
    for r, pages, exported in results:
        outcome.resolved.append(r)
        outcome.pages += pages
        files[f"{r.briefing.id}/briefing.json"] = exported
    outcome.pages.append(renderer.index_page(outcome.resolved))
    for name in ("briefgen.css", "briefgen.js", "changes.css", "changes.js"):
        source, _, _ = renderer.env.loader.get_source(renderer.env, f"assets/{name}")
        files[f"assets/briefgen/{name}"] = source
    files.update(feeds(stories, {c.briefing.id: c.briefing.title for c in outcome.checked}, urls,
                       site_url, site_name))
    return files


Rendered = tuple["Resolved", list["Page"], str]  # a briefing resolved, its pages, its briefing.json


def _render_shared(checked: list[Checked], render_one: Callable[[Checked], Rendered]) -> list[Rendered]:
    """Briefings render independently, so a forked child may take half of them (forked.py).
    Only results travel back: each Resolved leaves its Checked here and gets it back after."""
    from .forked import map_shared

    def detached(c: Checked) -> Rendered:
        r, pages, exported = render_one(c)
        return replace(r, checked=None), pages, exported

    done = map_shared(detached, checked)
    for c in checked:  # tokens parsed here for briefings the child rendered
        for doc in c.docs.values():
            doc.release()
    return [(replace(r, checked=c), pages, exported) for c, (r, pages, exported) in zip(checked, done)]


def _render_warm(checked: list[Checked], render_one: Callable[[Checked], Rendered], warm: Warm,
                 stamp: object) -> list[Rendered]:
    """serve: a briefing whose check was reused is not rendered again either, while the
    templates and settings (the stamp) are unchanged."""
    results = []
    for c in checked:
        kept = warm.rendered(c, stamp)
        if kept is None:
            kept = render_one(c)
            warm.keep_rendered(c, stamp, *kept)
        results.append(kept)
    return results


def build(project: Path, strict: bool = False, config_file: str = "mkdocs.yml",
          warm: Warm | None = None, use_cache: bool = True) -> Outcome:
    """Check, render and build; `warm` (serve) carries what one rebuild can reuse from the last."""
    from jinja2 import TemplateError

    from .engine import mkdocs_engine  # only a build needs the engine
    from .render import template_problem
    from .urls import Urls

    started = time.perf_counter()
    settings = mkdocs_engine.read_settings(project, config_file)
    outcome = check(project, use_cache, warm)
    log.info(f"Checked {outcome.counts()} in {time.perf_counter() - started:.2f} seconds")
    if outcome.report.failed(strict):
        return outcome
    try:
        files = render(project, outcome, Urls(settings.use_directory_urls), settings.site_name, warm,
                       settings.site_url, use_cache)
    except TemplateError as exc:
        outcome.report.error(*template_problem(exc, project))
        return outcome
    # Our objects live until the end of the build: keep the collector from scanning them
    # again and again while MkDocs renders (unfrozen after, so `serve` does not accumulate).
    gc.collect()
    gc.freeze()
    try:
        mkdocs_engine.build(project, settings, outcome.pages, files, strict, config_file, warm)
    finally:
        gc.unfreeze()
    try:
        where = settings.site_dir.relative_to(project.resolve())
    except ValueError:
        where = settings.site_dir
    log.info(f"Built {outcome.counts()} ({len(outcome.pages)} pages) into {where}/ "
             f"in {time.perf_counter() - started:.2f} seconds")
    return outcome
