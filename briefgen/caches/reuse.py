"""What `serve` keeps between rebuilds, so a one-file edit costs little more than the pages it
changes (handed to the stages inside a `Strategy`).

Briefings are independent of each other: one whose loaded content is equal to last time's
(every field, source text and position) gives the same problems, and, while the templates and
site settings are unchanged, the same pages. So under `serve` each briefing's check and render
are kept and reused on that condition; the index page, which lists them all, is always
rendered again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from ..diagnostics import Problem
from ..model import Briefing
from ..stages.check import Checked
from ..strategy import Strategy


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept between rebuilds; a bucket's key includes its source checksum,
    so an edited template is compiled again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def files_state(dirs: list[str] | list[Path]) -> list[tuple[str, int, int]]:
    """Path, mtime and size of every file under the folders that are not an installed package
    (installed themes and briefgen's own templates do not change while serve runs)."""
    state = []
    for d in dirs:
        if "site-packages" in Path(d).parts or "dist-packages" in Path(d).parts:
            continue
        for root, _, names in os.walk(d):
            for name in names:
                path = os.path.join(root, name)
                st = os.stat(path)
                state.append((path, st.st_mtime_ns, st.st_size))
    return sorted(state)


@dataclass
class KeptBriefing:
    briefing: Briefing
    checked: Checked
    problems: list[Problem]
    rendered: tuple[Any, ...] | None = None  # (render stamp, resolved, pages, briefing.json)


@dataclass
class Reuse:
    """What one `serve` rebuild keeps for the next. `engine` is the engine's own slot (kept
    page outputs): the core never looks inside it."""

    templates: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)
    briefings: dict[str, KeptBriefing] = field(default_factory=dict)
    engine: dict[str, Any] = field(default_factory=dict)
    reused_checks: int = 0
    reused_renders: int = 0

    def checked(self, b: Briefing) -> KeptBriefing | None:
        kept = self.briefings.get(b.id)
        if kept is not None and kept.briefing == b:
            self.reused_checks += 1
            return kept
        return None

    def keep_checked(self, b: Briefing, checked: Checked, problems: list[Problem]) -> None:
        self.briefings[b.id] = KeptBriefing(b, checked, problems)

    def start(self, ids: set[str]) -> None:
        """A new rebuild: forget briefings that are gone."""
        self.reused_checks = self.reused_renders = 0
        self.briefings = {k: v for k, v in self.briefings.items() if k in ids}

    @staticmethod
    def render_stamp(project: Path, directory_urls: bool, site_name: str) -> Any:
        """What a briefing's pages are made with besides its content: a change renders all."""
        from ..stages.render import package_templates

        return directory_urls, site_name, files_state([project / "templates", package_templates()])

    def rendered(self, checked: Checked, stamp: Any) -> tuple[Any, ...] | None:
        kept = self.briefings.get(checked.briefing.id)
        if kept is not None and kept.checked is checked and kept.rendered and kept.rendered[0] == stamp:
            self.reused_renders += 1
            return kept.rendered[1:]
        return None

    def keep_rendered(self, checked: Checked, stamp: Any, *rendered: Any) -> None:
        kept = self.briefings.get(checked.briefing.id)
        if kept is not None and kept.checked is checked:
            kept.rendered = (stamp, *rendered)


def serving() -> Strategy:
    """The strategy of `serve`: the parse cache, and reuse between rebuilds."""
    return Strategy(parse_cache=True, reuse=Reuse())
