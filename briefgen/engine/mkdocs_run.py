"""The MkDocs adapter's build: MkDocs' own build with every plugin's events in MkDocs' order,
into the folder site.py stages it in.

The sequence is `mkdocs build`'s (mkdocs/__main__.py): load_config, on_startup, build,
on_shutdown; for `serve`, as in mkdocs/commands/serve.py, on_startup once with the first
config, every rebuild from a freshly loaded config, on_shutdown at the end. A project whose
mkdocs.yml does not list `briefgen` under plugins gets the plugin added here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..diagnostics import UserError
from ..oserrors import clip
from ..pipeline import Outcome
from ..strategy import Strategy
from . import guard
from .mkdocs_engine import Settings

if TYPE_CHECKING:  # the plugin imports MkDocs, which only a build needs
    from .plugin import BriefgenPlugin


class MkDocsRun:
    name = "mkdocs"

    def __init__(self, project: Path, strategy: Strategy, command: str, strict: bool, config_file: str) -> None:
        self.project, self.strategy, self.command = project, strategy, command
        self.strict, self.config_file = strict, config_file
        self._ours: Any = None  # our plugin, when mkdocs.yml does not list it; kept for serve
        self._started: Any = None  # the config whose plugins got on_startup
        self._built: BriefgenPlugin | None = None  # the plugin of the last build that wrote a site

    def build(self, staging: Path, settings: Settings) -> tuple[Outcome, bool]:
        """Build into staging/site; the outcome, and whether the site was built."""
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # before Material is imported
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        from .plugin import CheckFailed

        docs = settings.docs_dir or staging / "docs"  # MkDocs insists on a docs folder
        docs.mkdir(exist_ok=True)
        try:
            config = load_config(str(self.project / self.config_file), site_dir=str(staging / "site"),
                                 docs_dir=str(docs), strict=self.strict)
        except MkDocsException:  # MkDocs has logged what is wrong, setting by setting
            raise UserError(f"{clip(self.config_file)}: MkDocs refused the configuration (the "
                            "lines above say why); fix it and run again") from None
        plugin = self._plugin(config)
        self._built = None
        # Unchanged pages may be linked from the site this build replaces (sitewriter.py), only
        # from one briefgen wrote; the guards (site.py) have claimed it before this.
        replaced = self.command == "build" and guard.marked(settings.site_dir)
        plugin.previous_site = settings.site_dir if replaced else None
        if self._started is None:
            config.plugins.on_startup(command=self.command, dirty=False)  # type: ignore[arg-type]
            self._started = config
        try:
            mkdocs_build(config)
        except CheckFailed:  # the plugin checked, so it has an outcome
            return cast(Outcome, plugin.outcome), False
        except MkDocsException as exc:
            if plugin.outcome is not None and plugin.outcome.report.failed(self.strict):
                return plugin.outcome, False
            raise UserError(f"the site could not be built: {exc}") from None
        except BaseException:  # Ctrl-C, SIGTERM: MkDocs tells the plugins only of an Exception
            plugin.on_build_error(error=None)  # its forked helpers stopped before staging is removed
            raise
        self._built = plugin
        return cast(Outcome, plugin.outcome), True  # a build that ran had its check

    def settled(self, site: Path) -> None:
        """Which kept page each page's file holds, noted only once the site is in place: a
        build that then fails (a guard, the swap) changes nothing in the project."""
        if self._built is not None:
            self._built.theming.note(site)
            self._built = None

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
