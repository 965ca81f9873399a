"""`briefgen new` and `briefgen init`: starting points that pass `briefgen check` as they are."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from .diagnostics import UserError
from .fields import is_slug
from .load import RESERVED_BRIEFINGS
from .render import package_templates


def _fill(template: str, **values: str) -> str:
    # Plain placeholder substitution: these files are YAML and Markdown, not Jinja templates.
    text = (package_templates() / "scaffold" / template).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{ " + key + " }}", value)
    return text


def new_briefing(project: Path, briefing_id: str, title: str | None = None,
                 today: datetime.date | None = None) -> Path:
    if not is_slug(briefing_id):
        raise UserError(f"briefing id {briefing_id!r} must be a slug (lowercase letters, digits and '-')")
    if briefing_id in RESERVED_BRIEFINGS:
        raise UserError(f"briefing id {briefing_id!r} is reserved by the site; choose another")
    folder = project / "content" / briefing_id
    if folder.exists():
        raise UserError(f"content/{briefing_id} already exists; briefgen never overwrites a briefing")
    day = (today or datetime.date.today()).isoformat()
    # A JSON string is a valid YAML scalar, whatever quotes or backslashes the title holds.
    safe_title = json.dumps(title or briefing_id.replace("-", " ").capitalize(), ensure_ascii=False)
    (folder / "sources").mkdir(parents=True)
    (folder / "briefing.yml").write_text(_fill("briefing.yml", title=safe_title, today=day), encoding="utf-8")
    (folder / "sources" / "example.md").write_text(_fill("example.md", today=day), encoding="utf-8")
    return Path("content") / briefing_id


def init_project(directory: Path) -> None:
    files = {
        "mkdocs.yml": _fill("mkdocs.yml", name=directory.resolve().name),
        ".gitignore": "site/\n.briefgen-*/\n__pycache__/\n",
        ".github/workflows/pages.yml": _fill("pages.yml"),
        # MkDocs refuses to start without docs_dir, before any plugin runs; git keeps no empty folder.
        "docs/.gitkeep": "Your own Markdown pages go in this folder (MkDocs needs it to exist).\n",
    }
    clashes = [name for name in files if (directory / name).exists()]
    if (directory / "content").exists():
        clashes.append("content/")
    if clashes:
        raise UserError(f"{directory} already has {', '.join(clashes)}; briefgen init never overwrites")
    for name, text in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text, encoding="utf-8")
    new_briefing(directory, "first-briefing", "My first briefing")
