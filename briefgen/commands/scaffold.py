"""`briefgen new` and `briefgen init`: starting points that pass `briefgen check` as they are."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import yaml

from ..diagnostics import UserError
from ..loading.yamlfields import is_slug
from ..oserrors import clip, describe
from ..stages.load import RESERVED_BRIEFINGS
from ..stages.render import package_templates
from .installed import VENDOR, Origin, content_format_url, origin
from .schema import MODELINE, SCHEMA_FILE, editor_settings, schema_text


def _fill(template: str, **values: str) -> str:
    # Plain placeholder substitution: these files are YAML and Markdown, not Jinja templates.
    # One pass, so a value that itself holds `{{ today }}` stays as it was written.
    text = (package_templates() / "scaffold" / template).read_text(encoding="utf-8")
    return re.sub(r"\{\{ (\w+) \}\}", lambda m: values.get(m[1], m[0]), text)


def yaml_string(value: str) -> str:
    """`value` as one double-quoted YAML scalar that loads back to exactly `value`: a name such as
    `ops: 2024`, `yes` or `- x` would otherwise be a mapping, a boolean or a list, and a
    quote, `#` or control character would break the file. JSON is not enough: YAML refuses
    some characters JSON writes as they are (U+007F) and folds others (U+0085)."""
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=2**31).rstrip("\n")


def _readable(name: str) -> str:
    """A file name or argument as text: each byte that is not UTF-8 (kept by Python as a lone
    surrogate, which no page can print) becomes U+FFFD."""
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in name)


def new_briefing(project: Path, briefing_id: str, title: str | None = None,
                 today: datetime.date | None = None) -> Path:
    if not is_slug(briefing_id):
        raise UserError(f"briefing id {clip(repr(briefing_id))} must be a slug "
                        "(lowercase letters, digits and '-')")
    if briefing_id in RESERVED_BRIEFINGS:
        raise UserError(f"briefing id {briefing_id!r} is reserved by the site; choose another")
    folder = f"content/{briefing_id}"
    if os.path.lexists(project / folder):  # lexists: a dangling link is there too
        raise UserError(f"{folder} already exists; briefgen never overwrites a briefing")
    day = (today or datetime.date.today()).isoformat()
    safe_title = yaml_string(_readable(title or briefing_id.replace("-", " ").capitalize()))
    files = {f"{folder}/briefing.yml": _fill("briefing.yml", title=safe_title, today=day,
                                                    format_url=content_format_url(), modeline=MODELINE),
             f"{folder}/sources/example.md": _fill("example.md", today=day)}
    clashes = _clashes(project, list(files))
    if clashes:
        raise UserError(f"{clip(str(project))} already has {', '.join(clashes)}; briefgen never overwrites "
                        "files or writes through symlinks")
    _write_all(project, files)
    return Path("content") / briefing_id


def _clashes(base: Path, names: list[str]) -> list[str]:
    """What is in the way: an existing file or link (dangling too) where a file would go, or a
    file or link where a folder would go (writing through a link may leave `base`)."""
    clashes = []
    for name in names:
        parts = name.split("/")
        for depth in range(1, len(parts) + 1):
            path = base.joinpath(*parts[:depth])
            leaf = depth == len(parts)
            if os.path.lexists(path) and (leaf or path.is_symlink() or not path.is_dir()):
                clashes.append("/".join(parts[:depth]) + ("" if leaf else " (not a folder)"))
                break
    return list(dict.fromkeys(clashes))


def _write_all(base: Path, files: dict[str, str] | dict[str, str | bytes]) -> None:
    """Create each file new (O_EXCL, O_NOFOLLOW): never through a link, never over a file, even one
    that appeared since the check."""
    try:
        base.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            parts = name.split("/")
            folder = base
            for part in parts[:-1]:
                folder = folder / part
                if not folder.is_dir() or folder.is_symlink():
                    os.mkdir(folder)  # raises if something else appeared meanwhile
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(folder / parts[-1], flags, 0o666), "wb") as out:
                out.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    except OSError as exc:
        where = describe(exc) if exc.filename else f"{clip(str(base))}: {describe(exc)}"
        raise UserError(f"cannot create {where}") from None


def _with_extra(requirement: str, engine: str) -> str:
    """The requirement with the extra the engine needs: `briefgen[zensical]==1.0`, or a wheel's
    path with it after (`./vendor/briefgen-1.0-py3-none-any.whl[zensical]`, as pip reads it)."""
    if engine != "zensical":
        return requirement
    if requirement.startswith("briefgen"):
        return "briefgen[zensical]" + requirement.removeprefix("briefgen")
    return requirement + "[zensical]"


def _requirements(installed: Origin, engine: str = "mkdocs") -> str:
    """The Pages workflow installs this file: the same briefgen, or plain words on what to write."""
    name = "briefgen[zensical]" if engine == "zensical" else "briefgen"  # with the extra Zensical needs
    if installed.requirement:
        block = (f"# The briefgen that created this project ({installed.why}).\n"
                 f"{_with_extra(installed.requirement, engine)}")
    else:
        block = ("# EDIT THIS BEFORE YOU PUSH: `briefgen init` could not tell where GitHub can get briefgen:\n"
                 f"# {installed.why}. Write one line naming it, such as\n"
                 f"#   {name} @ git+https://github.com/<owner>/briefgen@<commit>\n"
                 "# or a wheel you commit into this repository (make it with\n"
                 "# `pip wheel --no-deps -w vendor <briefgen's folder>`, then `git add vendor`):\n"
                 "#   ./vendor/briefgen-<version>-py3-none-any.whl\n"
                 "# or, for a release on PyPI,\n"
                 f"#   {name}==<version>")
    return _fill("requirements.txt", requirement=block)


ENGINE_SETTING = {
    "mkdocs": "",
    "zensical": ("extra:\n  briefgen:\n"
                 "    engine: zensical  # built with Zensical: pip install \"briefgen[zensical]\"\n"),
}


def _read_wheel(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot copy the wheel briefgen was installed from: {describe(exc)}") from None


def init_project(directory: Path, installed: Origin | None = None, engine: str = "mkdocs") -> Origin:
    """Write a new project; returns where briefgen came from (its requirement may be unknown).
    `engine` zensical: the config, the workflow and requirements.txt build with Zensical."""
    if os.path.lexists(directory) and not directory.is_dir():  # a link that loops too
        raise UserError(f"{clip(str(directory))} exists and is not a folder; briefgen init never overwrites")
    installed = installed or origin()
    site_name = yaml_string(_readable(f"{directory.resolve().name} briefings"))
    files: dict[str, str | bytes] = {
        "mkdocs.yml": _fill("mkdocs.yml", site_name=site_name, engine_setting=ENGINE_SETTING[engine]),
        ".gitignore": "site/\n.briefgen-*\n__pycache__/\n",
        ".github/workflows/pages.yml": _fill("pages.yml", engine_option=" --engine zensical" if engine == "zensical"
                                             else ""),
        "requirements.txt": _requirements(installed, engine),
        # Editors complete and check briefing.yml against it (`briefgen schema` prints it anew).
        SCHEMA_FILE: schema_text(),
        ".vscode/settings.json": editor_settings(),
        # MkDocs refuses to start without docs_dir, before any plugin runs; git keeps no empty folder.
        "docs/.gitkeep": "Your own Markdown pages go in this folder (MkDocs needs it to exist).\n",
    }
    if installed.wheel is not None:  # the requirement names it at ./vendor/<its name>
        files[f"{VENDOR}/{installed.wheel.name}"] = _read_wheel(installed.wheel)
    clashes = _clashes(directory, list(files) + ["content"])  # content/: never mixed with ours
    if clashes:
        raise UserError(f"{clip(str(directory))} already has {', '.join(clashes)}; briefgen init never "
                        "overwrites files or writes through symlinks")
    _write_all(directory, files)
    new_briefing(directory, "first-briefing", "My first briefing")
    return installed
