"""`briefgen build` and each `serve` rebuild: MkDocs' own build with every plugin's events in
MkDocs' order, into a staging folder that replaces site_dir only when everything succeeded
(MkDocs empties its site_dir before it can fail), and only after the guard said site_dir
holds nothing but briefgen's own output (guard.py).

The sequence is `mkdocs build`'s (mkdocs/__main__.py): load_config, on_startup, build,
on_shutdown; for `serve`, as in mkdocs/commands/serve.py, on_startup once with the first
config, every rebuild from a freshly loaded config, on_shutdown at the end. A project whose
mkdocs.yml does not list `briefgen` under plugins gets the plugin added here.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..diagnostics import UserError
from ..oserrors import clip
from ..pipeline import Outcome
from ..strategy import Strategy
from . import guard
from .mkdocs_engine import Settings, read_settings

if TYPE_CHECKING:  # the plugin imports MkDocs, which only a build needs
    from .plugin import BriefgenPlugin

log = logging.getLogger("briefgen")


class SiteBuilder:
    def __init__(self, project: Path, strategy: Strategy, command: str = "build",
                 strict: bool = False, config_file: str = "mkdocs.yml",
                 site_dir: str | Path | None = None) -> None:
        # Absolute: MkDocs reads a relative site_dir or docs_dir against the config file's
        # folder, so `-C news` would build into news/news/.briefgen-build/.
        self.project, self.strategy, self.command = Path(os.path.abspath(project)), strategy, command
        self.strict, self.config_file = strict, config_file
        self.site_dir = site_dir  # overrides the config's, as MkDocs' --site-dir does
        self._ours: Any = None  # our plugin, when mkdocs.yml does not list it; kept for serve
        self._started: Any = None  # the config whose plugins got on_startup

    def build(self) -> Outcome:
        """Check, render and build the site; a failed check returns its outcome, site_dir untouched."""
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # before Material is imported
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        from .plugin import CheckFailed

        started = time.perf_counter()
        project, config_file = self.project, self.project / self.config_file
        settings = self._guarded_settings()
        staging = guard.new_staging(project)
        try:
            docs = settings.docs_dir or staging / "docs"  # MkDocs insists on a docs folder
            docs.mkdir(exist_ok=True)
            try:
                config = load_config(str(config_file), site_dir=str(staging / "site"), docs_dir=str(docs),
                                     strict=self.strict)
            except MkDocsException:  # MkDocs has logged what is wrong, setting by setting
                raise UserError(f"{clip(self.config_file)}: MkDocs refused the configuration (the "
                                "lines above say why); fix it and run again") from None
            plugin = self._plugin(config)
            if self._started is None:
                config.plugins.on_startup(command=self.command, dirty=False)  # type: ignore[arg-type]
                self._started = config
            try:
                mkdocs_build(config)
            except CheckFailed:  # the plugin checked, so it has an outcome
                return cast(Outcome, plugin.outcome)
            except MkDocsException as exc:
                if plugin.outcome is not None and plugin.outcome.report.failed(self.strict):
                    return plugin.outcome
                raise UserError(f"the site could not be built: {exc}") from None
            built = staging / "site"
            guard.check_unmarked(settings.site_dir, built, guard.shown(settings.site_dir, project))
            os.chmod(built, 0o755)
            guard.swap(built, settings.site_dir)
        finally:
            guard.remove_staging(staging)
        outcome = cast(Outcome, plugin.outcome)  # a build that ran had its check
        log.info(f"Built {outcome.counts()} ({len(outcome.pages)} pages) into "
                 f"{guard.shown(settings.site_dir, project)}/ in {time.perf_counter() - started:.2f} seconds")
        return outcome

    def _guarded_settings(self) -> Settings:
        """The settings, once docs_dir and site_dir are known to be safe to build from and into."""
        project = self.project
        settings = read_settings(project, self.config_file)
        if self.site_dir is not None:
            settings = replace(settings, site_dir=(project / self.site_dir).resolve())
        # docs_dir is guarded even while it does not exist: the user may create it later.
        docs = settings.docs_setting or project / "docs"
        guard.check_docs_dir(project.resolve(), docs, guard.shown(docs, project))
        guard.claim_site_dir(project, settings.site_dir, guard.shown(settings.site_dir, project),
                             project / self.config_file, docs, compare_after=True)
        return settings

    def _plugin(self, config: Any) -> BriefgenPlugin:
        from .plugin import BriefgenPlugin

        plugin = next((p for p in config.plugins.values() if isinstance(p, BriefgenPlugin)), None)
        if plugin is None:
            if self._ours is None:
                self._ours = BriefgenPlugin()
                self._ours.load_config({})
            plugin = config.plugins["briefgen"] = self._ours
        plugin.strategy, plugin.driven, plugin.strict = self.strategy, True, self.strict
        return plugin

    def close(self) -> None:
        """The plugins' on_shutdown, once, after the last build."""
        if self._started is not None:
            self._started.plugins.on_shutdown()
            self._started = None


def build_site(project: Path, strict: bool = False, config_file: str = "mkdocs.yml",
               strategy: Strategy = Strategy(), site_dir: str | Path | None = None) -> Outcome:
    """One `briefgen build`; `site_dir` (relative to the project) overrides the config's."""
    builder = SiteBuilder(project, strategy, "build", strict, config_file, site_dir)
    try:
        return builder.build()
    finally:
        builder.close()
