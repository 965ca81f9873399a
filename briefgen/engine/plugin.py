"""The MkDocs plugin (`plugins: [briefgen]`): a normal MkDocs build of a briefing site, run the same
way by `mkdocs build`/`serve`/`gh-deploy`, ProperDocs and `briefgen build`. on_config loads, checks
and renders the content (a problem fails the build with its `path:line:col` line before MkDocs
touches site_dir) and adds the nav, CSS, JavaScript and theme overrides; on_files hands MkDocs the
pages. Under `briefgen build`/`serve` the command sets `strategy` and `driven` before on_startup:
it prints the report and guards and replaces site_dir; run by MkDocs alone, the plugin logs the
problems and guards site_dir here.
"""

from __future__ import annotations

import logging
import time
from html import escape as html_escape
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from .. import pipeline
from ..caches.reuse import serving
from ..diagnostics import Report, UserError
from ..stages.render import Page
from ..strategy import Strategy
from ..urls import Urls
from . import beside, guard, mkdocs_engine, navcache, navigation, options, overlay, projectfiles, searchindex
from .hosts import only_own_host
from .projectfiles import project_of
from .renderedpage import RenderedPage
from .themefiles import list_without_dot_folders
from .theming import Theming

# Under "mkdocs" (or "properdocs", which answers for mkdocs imports), whose handler prints it.
log = logging.getLogger(f"{BasePlugin.__module__.split('.')[0]}.plugins.briefgen")


class CheckFailed(Exception):
    """The check failed under briefgen build/serve, which report the problems themselves."""


class BriefgenPlugin(BasePlugin[options.BriefgenConfig]):  # type: ignore[no-untyped-call]  # MkDocs is untyped
    def __init__(self) -> None:
        super().__init__()
        self.strategy: Strategy | None = None  # briefgen's commands set it; else on_startup picks
        self.driven = False  # briefgen build/serve: they print the report and guard site_dir
        self.strict = False  # briefgen's --strict (MkDocs' own `strict` when not driven)
        self.command: str | None = None
        self.previous_site: Path | None = None  # briefgen build: the site it replaces, to link unchanged pages from
        self.outcome: pipeline.Outcome | None = None
        self._claimed: Path | None = None  # the site_dir this run has claimed (_guard)
        self._start_build()

    def load_config(self, options_: dict[str, Any], config_file_path: str | None = None) -> options.Loaded:
        return options.unknown_as_errors(*super().load_config(options_, config_file_path),
                                         [key for key, _ in self.config_scheme])

    def _start_build(self) -> None:
        self.pages: dict[str, Page] = {}
        self.extra: dict[str, str | bytes] = {}
        self.origins: dict[str, str] = {}  # src -> the file a page is made from
        self.tags: dict[str, tuple[str, ...]] = {}
        self.indexed: dict[str, searchindex.Indexed] = {}  # URL -> a page's entries for the search index
        self.theming = Theming()  # kept pages, a worker theming some (set in on_config)
        self._labels: list[tuple[Any, str]] = []  # (page, nav label) while its own title stands in

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also makes MkDocs keep this instance between `serve` rebuilds.
        self.command, self._claimed = command, None
        if self.strategy is None:
            self.strategy = serving() if command == "serve" else Strategy()

    def on_shutdown(self) -> None:
        self.strategy, self.driven, self.strict, self.command, self._claimed = None, False, False, None, None

    def on_config(self, config: Any) -> Any:
        started = time.perf_counter()
        self._start_build()
        self.outcome = None
        project = project_of(config)
        strategy = self.strategy or Strategy()
        try:
            self._guard(config, project)
            settings = mkdocs_engine.settings_of(config, options.nav_briefings(self.config, config))
        except UserError as exc:
            raise PluginError(str(exc)) from None
        strict = self.strict if self.driven else bool(config.strict)
        outcome = self.outcome = pipeline.check(project, strategy)
        options.note_deprecated(self.config, config, outcome.report)
        projectfiles.refuse_unreadable(config, project, outcome.report)  # before MkDocs walks docs_dir
        log.info(f"Checked {outcome.counts()} in {time.perf_counter() - started:.2f} seconds")
        urls = Urls(settings.use_directory_urls)
        if not outcome.report.failed(strict):
            self._render(project, outcome, urls, settings.site_name, strategy, settings.site_url)
        if not self.driven:
            _log_report(outcome.report)
        overlay.record(strategy, outcome.report, strict)  # serve: shown on the page too
        if outcome.report.failed(strict):
            if self.driven:  # briefgen prints the report; MkDocs need not log a summary of it
                raise CheckFailed()
            raise PluginError(f"briefgen: {outcome.report.counts()}; nothing was built")
        mkdocs_engine.configure(config, project, settings, outcome.pages, urls, outcome.languages())
        list_without_dot_folders(config.theme)
        overlay.add_script(config, self.extra, self.command)
        self.theming = Theming(strategy, outcome.cache, self.previous_site if self.driven else None)
        return config

    def _guard(self, config: Any, project: Path) -> None:
        if self.driven:  # briefgen build/serve guarded both settings before MkDocs was called
            return
        docs = Path(config.docs_dir)
        guard.check_docs_dir(project, docs, guard.shown(docs, project))
        # Here, before MkDocs empties site_dir (after on_pre_build), with or without --dirty; once:
        # i18n builds each further language into it, from its own on_post_build (beside.py).
        site = Path(config.site_dir)
        if self.command != "serve" and self._claimed != site:  # serve builds into a folder of its own
            guard.claim_site_dir(project, site, guard.shown(site, project), Path(config.config_file_path), docs,
                                 compare_after=False)
            self._claimed = site

    def _render(self, project: Path, outcome: pipeline.Outcome, urls: Urls, site_name: str,
                strategy: Strategy, site_url: str | None) -> None:
        from jinja2 import TemplateError

        from ..stages.render import template_problem

        try:
            self.extra = pipeline.render(project, outcome, urls, site_name, strategy, site_url,
                                         options.select_to_cite(self.config, self.command))
        except TemplateError as exc:
            outcome.report.error(*template_problem(exc, project))
            return
        self.pages = {urls.src(p.name): p for p in outcome.pages}
        briefings = {c.briefing.id: c.briefing for c in outcome.checked}
        self.tags = {bid: b.tags for bid, b in briefings.items()}
        for src, p in self.pages.items():  # the index falls back to the config file (on_files)
            b = briefings.get(p.name.split("/", 1)[0])
            source = b.sources.get(p.name.rsplit("/", 1)[-1]) if b is not None and p.kind == "source" else None
            if source is not None and source.publish == "full":  # never an excerpts-only text
                self.origins[src] = str(project / source.path)
            elif b is not None:
                self.origins[src] = str(project / b.dir / "briefing.yml")

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        """`mkdocs serve` watches docs_dir and mkdocs.yml; a briefing site is made of these too.
        Its server answers only to its own address, as under `briefgen serve` (hosts.py)."""
        project = project_of(config)
        projectfiles.watch_safely(server, project)
        for name in ("content", "templates"):
            if (project / name).is_dir():
                server.watch(str(project / name))
        host, port = server.server_address[:2]  # as configured: the server binds after this event
        server.set_app(only_own_host(overlay.answering(server.get_app(), self.strategy), host, port))
        return server

    @event_priority(-200)  # after Material's tags listed pages by their titles (on_env, 100)
    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        for page, label in self._labels:
            page.title = label
        self._labels = []
        # MkDocs makes a new theme environment every build; compiled templates are kept.
        if self.theming.templates is not None:
            env.bytecode_cache = self.theming.templates
        navcache.install(env, config, self.theming.nav)  # before the worker forks: it renders pages too
        doc_files = files.documentation_pages()  # last: every page read, every global set
        self.theming.fork([f.page for f in doc_files if isinstance(f.page, RenderedPage)], env, config, doc_files)
        return env

    def _on_files(self, files: Files, *, config: Any) -> Files:
        self._drop_unreadable(files, config)
        return files if beside.rebuilds_files(config) else self._add_files(files, config)

    @event_priority(-150)  # after i18n's (-100), which makes every file it is handed anew
    def _on_files_late(self, files: Files, *, config: Any) -> Files:
        return self._add_files(files, config) if beside.rebuilds_files(config) else files

    on_files = CombinedEvent(_on_files, _on_files_late)

    def _add_files(self, files: Files, config: Any) -> Files:
        labels = navigation.page_labels(config, list(self.pages.values()))
        for src, page in self.pages.items():
            existing = files.get_file_from_path(src)
            if existing is not None:
                log.warning(f"briefgen's page replaces {src} from the docs folder")
                files.remove(existing)
            # Backed by the file the page is made from (briefing.yml, or a fully published
            # source), so plugins that date a page by its file (git log) and MkDocs' dirty
            # rebuilds see its changes; MkDocs never reads it (read_source is ours).
            file = beside.localized(beside.page_file(config, src, self.origins.get(src)), config)
            made = RenderedPage(page, self.tags.get(page.name.split("/", 1)[0], ()), labels.get(src), file, config)
            searchindex.keep(self.indexed, made)
            files.append(file)
        for src, content in self.extra.items():
            existing = files.get_file_from_path(src)
            if existing is not None:
                files.remove(existing)
            files.append(beside.localized(File.generated(config, src, content=content), config))
        navigation.add_nav_files(files, config, list(self.pages.values()))
        return files

    def _drop_unreadable(self, files: Files, config: Any) -> None:
        """A file of docs_dir or of the project's theme that broke the rule after on_config
        looked (serve, a slow build) is dropped here, and the build fails with its line."""
        problems = projectfiles.drop_unreadable(files, config, project_of(config))
        if not problems:
            return
        if self.driven and self.outcome is not None:
            self.outcome.report.problems += problems
            raise CheckFailed()
        for p in problems:
            log.error(str(p))
        raise PluginError(f"briefgen: {len(problems)} file{'s' if len(problems) != 1 else ''} "
                          "may not be read; nothing was built")

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        self.theming.on_nav(config, nav)
        return nav

    @event_priority(100)  # first, so feed plugins (which read titles here) see the switch below
    def _on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        if not isinstance(page, RenderedPage):
            return html
        self.theming.choose(page)
        # A page's nav label ("Key facts") is its title to MkDocs, and its meta holds escaped
        # text for the theme, which does not escape. Plugins that list pages in this event
        # (feeds) get its own title as plain text, its description escaped (RSS <description> and
        # JSON Feed's content_html are HTML); after it, its title escaped (tag listings); label in on_env.
        self._labels.append((page, page.title))
        page.title, page.meta["description"] = page.ours.title, html_escape(page.ours.description)
        return html

    @event_priority(-200)  # after every plugin's on_page_content
    def _on_page_content_late(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        if isinstance(page, RenderedPage):
            page.title, page.meta["description"] = page.meta["title"], html_escape(page.ours.description)
        return html

    on_page_content = CombinedEvent(_on_page_content, _on_page_content_late)

    @event_priority(100)  # first: a kept page is read before the search plugin indexes it
    def _on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        context["briefgen_page"] = self.pages.get(page.file.src_uri)
        self.theming.context(page, context)
        return context

    @event_priority(-1000)  # last: themed here if the worker failed, with every plugin's context
    def _on_page_context_late(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        self.theming.context_late(page, context)
        return context

    on_page_context = CombinedEvent(_on_page_context, _on_page_context_late)

    @event_priority(-1000)  # last: the output as every plugin left it is kept, and may be written here
    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        return self.theming.themed(page, output)

    @event_priority(-200)  # last: the marker lists what every plugin wrote (feeds, i18n's languages)
    def _on_post_build(self, *, config: Any) -> None:
        self.theming.finish(True, len(self.pages))
        guard.write_marker(Path(config.site_dir))
        self.theming.staged(Path(config.site_dir))

    on_post_build = CombinedEvent(searchindex.on_post_build, _on_post_build)

    def on_build_error(self, *, error: Exception | None) -> None:
        self.theming.finish(False, len(self.pages))  # the worker reaped, its spool removed


def _log_report(report: Report) -> None:
    """Run by MkDocs alone: every problem as a log line, in the order `briefgen check` prints.
    A note is INFO: MkDocs' own --strict counts WARNING lines, and a finding is no mistake."""
    level = {"error": logging.ERROR, "warning": logging.WARNING, "note": logging.INFO}
    for p in report.sorted():
        log.log(level[p.severity], str(p))
