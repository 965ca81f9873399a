"""The plugin's options (`plugins: [{briefgen: {...}}]` in mkdocs.yml), as MkDocs checks them."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class BriefgenConfig(base.Config):
    # Source pages offer "Cite" on selected words (templates/assets/cite.js), which puts each
    # source's text in its page a second time: always under serve, in a published site only if asked.
    select_to_cite = c.Type(bool, default=False)


def select_to_cite(config: BriefgenConfig, command: str | None) -> bool:
    return command == "serve" or bool(config.select_to_cite)
