"""The Zensical adapter (`briefgen build --engine zensical`, `extra.briefgen.engine: zensical`).

Zensical (`pip install "briefgen[zensical]"`) reads mkdocs.yml and builds with Material's
look, but runs no MkDocs plugins. So this adapter does what the plugin does under MkDocs
(check, render) itself, stages the pages as files with a config that inherits the project's
(zensical_stage.py), and runs `zensical build` on them in a process of its own: Zensical's
Rust core prints to the terminal and keeps its configuration in module state, and a process
of its own keeps both out of briefgen's (and serve's repeated builds clean). Its output is
read, and only its warnings and errors are passed on.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import subprocess
import sys
from pathlib import Path

import yaml

from .. import pipeline
from ..diagnostics import UserError
from ..loading.paths import report_refused
from ..pipeline import Outcome
from ..strategy import Strategy
from ..urls import Urls
from . import zensical_stage as stage
from .mkdocs_engine import Settings
from .zensical_search import index_for_search

log = logging.getLogger("briefgen")

INSTALL = 'pip install "briefgen[zensical]"'


def require_zensical() -> None:
    if importlib.util.find_spec("zensical") is None:
        raise UserError(f"the zensical engine needs Zensical, which is not installed: {INSTALL} "
                        f"(Zensical needs Python 3.11 or newer; this is {sys.version_info[0]}.{sys.version_info[1]})")


class ZensicalRun:
    name = "zensical"

    def __init__(self, project: Path, strategy: Strategy, strict: bool, config_file: str) -> None:
        require_zensical()
        self.project, self.strategy, self.strict, self.config_file = project, strategy, strict, config_file

    def build(self, staging: Path, settings: Settings) -> tuple[Outcome, bool]:
        project = self.project.resolve()
        unsafe = stage.unsafe_features(settings)
        if unsafe:
            raise UserError(f"theme feature {', '.join(unsafe)} shows titles from articles as HTML; Zensical "
                            "cannot be told to leave it off: remove it from mkdocs.yml")
        outcome = pipeline.check(project, self.strategy)
        custom = stage.custom_dir(settings, project)
        for folder in (settings.docs_dir, custom):
            if folder is not None:
                report_refused(folder, project, outcome.report)
        if outcome.report.failed(self.strict):
            return outcome, False
        urls = Urls(settings.use_directory_urls)
        extra = self._render(project, outcome, urls, settings)
        if extra is None:
            return outcome, False
        tags = {c.briefing.id: c.briefing.tags for c in outcome.checked}
        for name in stage.write_docs(staging / "docs", project, settings, outcome.pages, extra, tags, urls):
            log.warning(f"briefgen's page replaces {name} from the docs folder")
        stage.write_theme(staging / "theme", project, custom)
        config_file = staging / "mkdocs.yml"
        data = stage.config(settings, self.project / self.config_file, staging, outcome.pages, urls)
        config_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        self._zensical(config_file, staging)
        index_for_search(staging / "site", outcome.pages, urls, outcome.languages())
        return outcome, True

    def _render(self, project: Path, outcome: Outcome, urls: Urls, settings: Settings) -> dict[str, str | bytes] | None:
        from jinja2 import TemplateError

        from ..stages.render import template_problem

        try:
            return pipeline.render(project, outcome, urls, settings.site_name, self.strategy, settings.site_url)
        except TemplateError as exc:
            outcome.report.error(*template_problem(exc, project))
            return None

    def _zensical(self, config_file: Path, staging: Path) -> None:
        """`zensical build` on the staged project; its warnings logged, a failure a UserError."""
        here = str(Path(__file__).resolve().parents[2])  # so it imports this briefgen's extension
        env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
            [here, *filter(None, [os.environ.get("PYTHONPATH")])])}
        command = [sys.executable, "-m", "zensical", "build", "-f", str(config_file)]
        if self.strict:
            command.append("--strict")
        done = subprocess.run(command, cwd=staging, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, errors="replace")
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        said = [line for line in lines if not line.startswith(("Build started", "Build finished", "No issues"))]
        built = done.returncode == 0 and (staging / "site").is_dir()
        for line in said[:50]:
            (log.warning if built else log.error)(f"zensical: {line}")
        if not built:
            raise UserError(f"Zensical could not build the site (exit status {done.returncode}); "
                            "its lines above say why")

    def settled(self, site: Path) -> None:
        """Nothing of a Zensical build is reused by the next."""

    def close(self) -> None:
        """Nothing outlives a build: each runs Zensical anew."""
