"""Where `add-source` may read and write: a briefing folder and its sources/ as the loader
accepts them (loading/paths.py), in their real place. A linked `sources/` that leads out of
the briefing would have it write outside the project while it prints a path inside; the
folders are resolved and checked first, and the file is written into the real folder."""

from __future__ import annotations

import os
from pathlib import Path

from ..diagnostics import UserError
from ..loading.paths import fix_for, refusal, resolve_inside


def briefing_folder(project: Path, briefing_id: str) -> Path:
    """The real folder of content/<briefing_id>, inside content/, inside the (resolved) project."""
    content = project / "content"
    why = refusal(content, project)
    if why is not None:
        raise UserError(f"content/ {why}; {fix_for(why)}", "content:1:1")
    folder = content / briefing_id
    if folder.is_symlink():
        why = resolve_inside(folder, content.resolve(), "is a symlink that leads outside content/")[1]
        if why is not None:
            raise UserError(f"briefing folder {why}; keep each briefing's folder inside content/",
                            f"content/{briefing_id}:1:1")
    if not folder.is_dir():
        raise UserError(f"no briefing folder content/{briefing_id}/; "
                        f"create it first with `briefgen new {briefing_id}`")
    return folder.resolve()


def sources_folder(project: Path, folder: Path) -> Path:
    """The real sources/ of a briefing's real `folder`, where a new source may be written: a
    folder inside the briefing folder, or nothing yet."""
    sources = folder / "sources"
    shown = os.path.relpath(sources, project).replace(os.sep, "/")
    if sources.is_symlink():
        target, why = resolve_inside(sources, folder)
        if why is not None:
            raise UserError(f"sources/ folder {why}; add-source writes only inside the briefing "
                            "folder: make sources/ a folder there", f"{shown}:1:1")
        sources = target
    if os.path.lexists(sources) and not sources.is_dir():
        raise UserError(f"{shown} is not a folder; sources go in a sources/ folder: rename the file",
                        f"{shown}:1:1")
    return sources
