"""`briefgen build` and each `serve` rebuild, on either engine: the engine builds into a staging
folder that replaces site_dir only when everything succeeded (MkDocs empties its site_dir
before it can fail), and only after the guard said site_dir holds nothing but briefgen's own
output (guard.py). The guards are the same whichever engine builds; the adapters
(mkdocs_run.py, zensical_engine.py) only build into the staging folder.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from .. import interrupts
from ..caches.parallel import signals_held
from ..diagnostics import UserError
from ..pipeline import Outcome
from ..strategy import Strategy
from . import guard
from .mkdocs_engine import ENGINES, Settings, read_settings

log = logging.getLogger("briefgen")


class EngineRun(Protocol):
    """One engine's part of a build: check, render and build into `staging/site`."""

    name: str

    def build(self, staging: Path, settings: Settings) -> tuple[Outcome, bool]:
        """The outcome, and whether the site was built (False: the check failed)."""

    def settled(self, site: Path) -> None:
        """After the site built is in place of the old one (what the next build may reuse of it)."""

    def close(self) -> None:
        """After the last build (serve builds many times)."""


def engine_run(name: str, project: Path, strategy: Strategy, command: str, strict: bool,
               config_file: str) -> EngineRun:
    if name == "zensical":
        from .zensical_engine import ZensicalRun

        return ZensicalRun(project, strategy, strict, config_file)
    from .mkdocs_run import MkDocsRun

    return MkDocsRun(project, strategy, command, strict, config_file)


class SiteBuilder:
    def __init__(self, project: Path, strategy: Strategy, command: str = "build",
                 strict: bool = False, config_file: str = "mkdocs.yml",
                 site_dir: str | Path | None = None, engine: str | None = None) -> None:
        # Absolute: MkDocs reads a relative site_dir or docs_dir against the config file's
        # folder, so `-C news` would build into news/news/.briefgen-build/.
        self.project, self.strategy, self.command = Path(os.path.abspath(project)), strategy, command
        self.strict, self.config_file = strict, config_file
        self.site_dir = site_dir  # overrides the config's, as MkDocs' --site-dir does
        self.engine = engine  # overrides extra.briefgen.engine
        self._run: EngineRun | None = None

    def build(self) -> Outcome:
        """Check, render and build the site; a failed check returns its outcome, site_dir untouched."""
        started = time.perf_counter()
        project, config_file = self.project, self.project / self.config_file
        settings = read_settings(project, self.config_file)
        if self.site_dir is not None:
            settings = replace(settings, site_dir=(project / self.site_dir).resolve())
        run = self._engine(settings)
        # docs_dir is guarded even while it does not exist: the user may create it later.
        docs = settings.docs_setting or project / "docs"
        guard.check_docs_dir(project.resolve(), docs, guard.shown(docs, project))
        guard.claim_site_dir(project, settings.site_dir, guard.shown(settings.site_dir, project), config_file, docs,
                             compare_after=True)
        staging = guard.new_staging(project)
        try:
            outcome, built_it = run.build(staging, settings)
            if not built_it:
                return outcome
            built = staging / "site"
            guard.check_unmarked(settings.site_dir, built, guard.shown(settings.site_dir, project))
            guard.write_marker(built)
            os.chmod(built, 0o755)
            # Held, so no stop comes between the swap and `settled`: one before is raised in
            # stop_if_asked (a Ctrl-C that Python swallowed on the way too), one after is noted.
            # Copying the build to another filesystem comes first, and a stop there stops it.
            with guard.beside_site(built, settings.site_dir) as movable, signals_held():
                interrupts.stop_if_asked()
                replaced = guard.swap(movable, settings.site_dir)
                interrupts.settled()
            guard.remove_replaced(replaced)
            run.settled(settings.site_dir)
        finally:
            guard.remove_staging(staging)
        log.info(f"Built {outcome.counts()} ({len(outcome.pages)} pages) into "
                 f"{guard.shown(settings.site_dir, project)}/ in {time.perf_counter() - started:.2f} seconds"
                 + (" with Zensical" if run.name == "zensical" else ""))
        return outcome

    def _engine(self, settings: Settings) -> EngineRun:
        name = self.engine or settings.engine or "mkdocs"
        if name not in ENGINES:
            raise UserError(f"--engine must be one of {', '.join(ENGINES)}, not {name!r}")
        if self._run is None or self._run.name != name:
            if self._run is not None:
                self._run.close()
            self._run = engine_run(name, self.project, self.strategy, self.command, self.strict, self.config_file)
        return self._run

    def close(self) -> None:
        if self._run is not None:
            self._run.close()
            self._run = None


def build_site(project: Path, strict: bool = False, config_file: str = "mkdocs.yml",
               strategy: Strategy = Strategy(), site_dir: str | Path | None = None,
               engine: str | None = None) -> Outcome:
    """One `briefgen build`; `site_dir` (relative to the project) overrides the config's."""
    builder = SiteBuilder(project, strategy, "build", strict, config_file, site_dir, engine)
    try:
        return builder.build()
    finally:
        builder.close()
