"""The plugin's options, declared so MkDocs checks them where it checks every other setting:

    plugins:
      - briefgen:
          nav_briefings: 20

One line an option in `BriefgenConfig`. MkDocs reports a wrong type as a configuration error
naming the option; a name it does not know is only a warning in MkDocs, which a misspelt option
would pass unnoticed (the setting silently left at its default), so `unknown_as_errors` makes it
an error, with the option meant when the spelling is close.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c

from ..diagnostics import Pos, Report
from ..loading.paths import read_bounded
from .mkdocs_engine import NAV_BRIEFINGS, nav_limit


class WholeNumber(c.Type[int]):
    """An int that is not a bool (YAML's `yes` is one to Python) and not below zero."""

    def __init__(self) -> None:
        super().__init__(int)

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise base.ValidationError(f"Expected a whole number (0 or more), not {value!r}")
        return value


class BriefgenConfig(base.Config):  # type: ignore[no-untyped-call]  # MkDocs' Config is untyped
    # None: not set here; the deprecated `extra.briefgen.nav_briefings`, else NAV_BRIEFINGS.
    nav_briefings = c.Optional(WholeNumber())
    # Source pages offer "Cite" on selected words (templates/assets/cite.js), which puts each
    # source's text in its page a second time: always under serve, in a published site only if asked.
    select_to_cite = c.Type(bool, default=False)


def select_to_cite(config: BriefgenConfig, command: str | None) -> bool:
    return command == "serve" or bool(config.select_to_cite)


# What loading a plugin's options returns: MkDocs' (errors, warnings), each (option, message).
Loaded = tuple[list[tuple[str, Exception]], list[tuple[str, str]]]


def unknown_as_errors(errors: list[tuple[str, Exception]], warnings: list[tuple[str, str]],
                      known: list[str]) -> Loaded:
    """MkDocs' (errors, warnings) of loading the options, an unknown option moved to the errors."""
    kept: list[tuple[str, str]] = []
    for key, message in warnings:
        if key in known:
            kept.append((key, message))
            continue
        hint = difflib.get_close_matches(key, known, n=1)
        errors.append((key, base.ValidationError(
            f"briefgen has no option {key!r}" + (f"; did you mean {hint[0]!r}?" if hint else
                                                 f"; its options are {', '.join(known)}"))))
    return errors, kept


def _config_name(config: Any) -> str:
    return Path(config.config_file_path or "mkdocs.yml").name


def _old_setting(config: Any) -> bool:
    extra = config.extra.get("briefgen") if hasattr(config.extra, "get") else None
    return isinstance(extra, dict) and "nav_briefings" in extra


def nav_briefings(options: BriefgenConfig, config: Any) -> int:
    """How many briefings the nav lists: the plugin's option, else the older `extra.briefgen`
    setting (still read; `note_deprecated` says where it moved), else the default."""
    if options.nav_briefings is not None:
        return options.nav_briefings
    return nav_limit(config.extra, _config_name(config)) if _old_setting(config) else NAV_BRIEFINGS


def _where_set(config: Any) -> Pos:
    """Where `extra.briefgen.nav_briefings` is written in the config file: at its key, or at the
    file's first line when it is inherited (INHERIT) or the file cannot be read again."""
    path = Path(config.config_file_path or "mkdocs.yml")
    data = read_bounded(path, 1 << 24)
    try:  # composed, never constructed: no tag of the file runs here
        node = yaml.compose(data.decode("utf-8-sig"), Loader=yaml.SafeLoader) if data else None
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        node = None
    key: yaml.Node | None = None
    for name in ("extra", "briefgen", "nav_briefings"):
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        key, node = next(((k, v) for k, v in pairs if isinstance(k, yaml.ScalarNode) and k.value == name),
                         (None, None))
    if key is None:
        return Pos(path.name)
    return Pos(path.name, key.start_mark.line + 1, key.start_mark.column + 1)


def note_deprecated(options: BriefgenConfig, config: Any, report: Report) -> None:
    """A note (not a warning: --strict builds of existing sites keep passing) for the old setting."""
    if _old_setting(config):
        ignored = "; the plugin's option wins" if options.nav_briefings is not None else ""
        report.note(_where_set(config), "extra.briefgen.nav_briefings is deprecated: set the plugin's "
                    f"option instead, `plugins: [briefgen: {{nav_briefings: N}}]`{ignored}")
