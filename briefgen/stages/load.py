"""Load stage: content/ on disk -> Briefing models, reporting every problem on the way."""

from __future__ import annotations

import datetime
import os
import stat
from pathlib import Path

from ..diagnostics import Pos, Report
from ..loading import keys
from ..loading.paths import fix_for, refusal, resolve_inside, special_kind
from ..loading.source import load_source, read_text, rel
from ..loading.sourcefiles import claimed_files
from ..loading.statements import AnnotationReader
from ..loading.yamlfields import Fields, is_slug, language
from ..loading.yamlnodes import YamlDoc
from ..model import Briefing, Source

RESERVED_BRIEFINGS = {"assets", "search", "stylesheets", "javascripts", "404"}
RESERVED_SOURCES = set(keys.CITATION)  # a source id that is a citation key would be read as one
BRIEFING_KEYS = tuple(keys.BRIEFING)


def load_project(root: Path, report: Report) -> list[Briefing]:
    root = root.resolve()  # so every path in a message is relative to it, however it was given
    return [b for folder in briefing_folders(root, report) if (b := load_briefing(root, folder, report)) is not None]


def briefing_folders(root: Path, report: Report) -> list[Path]:
    """The folders of content/ that may be briefings, in order; the others reported. `root`
    resolved (load_project)."""
    content = root / "content"
    why = refusal(content, root)
    if why is not None:
        report.error(Pos("content"), f"content/ {why}; keep the briefings in a content/ folder "
                     "inside the project")
        return []
    if not content.is_dir():
        # A project without briefings needs `new`; a folder that is no project at all, `init`.
        hint = ("add a briefing with `briefgen new <briefing-id>`" if (root / "mkdocs.yml").is_file()
                else "run briefgen in the project root, or create a project with `briefgen init <dir>`")
        report.error(Pos("content"), f"no content/ folder here; {hint}")
        return []
    folders = []
    inside = content.resolve()
    for folder in sorted(p for p in content.iterdir() if not p.name.startswith((".", "_"))):
        name = rel(root, folder)
        # A link is looked at even when it leads nowhere: a briefing that dangles is a mistake.
        why = (resolve_inside(folder, inside, "is a symlink that leads outside content/")[1]
               if folder.is_symlink() else None)
        if why is not None:
            report.error(Pos(name), f"briefing folder {why}; keep each briefing's folder inside content/")
        elif not folder.is_dir():
            if (kind := special_kind(folder.lstat().st_mode)) is not None:  # a file is no briefing
                report.error(Pos(name), f"{folder.name!r} in content/ is {kind}; briefgen never opens "
                             "such a file: remove it")
        elif not is_slug(folder.name):
            report.error(Pos(name), f"briefing folder name {folder.name!r} is not a slug "
                         "(lowercase letters, digits and '-')")
        elif folder.name in RESERVED_BRIEFINGS:
            report.error(Pos(name), f"briefing id {folder.name!r} is reserved by the site; rename the folder")
        else:
            folders.append(folder)
    return folders


def load_briefing(root: Path, folder: Path, report: Report) -> Briefing | None:
    path = folder / "briefing.yml"
    name = rel(root, path)
    escape = resolve_inside(path, folder.resolve())[1] if path.is_symlink() else None
    if escape:
        report.error(Pos(name), f"briefing.yml {escape}; keep the file in its folder")
        return None
    if (why := refusal(path, root)) is not None:  # a FIFO or device: looked at, never opened
        report.error(Pos(name), f"briefing.yml {why}; {fix_for(why)}")
        return None
    if not path.is_file():
        report.error(Pos(name), "missing briefing.yml (every briefing folder needs one)")
        return None
    text = read_text(root, path, report)
    if text is None:
        return None
    doc = YamlDoc(name, report)
    before = len(report.problems)
    node = doc.compose(text)
    if node is None:
        if len(report.problems) == before:
            report.error(Pos(name), "briefing.yml is empty; it needs at least 'title' and 'as_of'")
        return None
    f = Fields(doc, node, "briefing.yml", BRIEFING_KEYS)
    if not f.ok:
        return None
    title, as_of = f.text("title", required=True), f.date("as_of", required=True)
    tags = tuple(t for t, _ in f.texts("tags"))
    lang = language(f, "briefing.yml", report)
    sources, unloaded = load_sources(root, folder, doc, f, report)
    reader = AnnotationReader(doc, set(sources) | unloaded)
    summary = reader.summary(f.items_of("summary"))
    facts = reader.facts(f.items_of("facts"))
    questions = reader.questions(f.items_of("questions"))
    timeline = reader.timeline(f.items_of("timeline"))
    # A missing title or date is already an error, so nothing is built; the briefing still goes
    # through check so that one run shows all of its problems.
    return Briefing(folder.name, rel(root, folder), title or folder.name, as_of or datetime.date.min,
                    tags, sources, summary, facts, questions, timeline, Pos(name), frozenset(unloaded), lang)


def load_sources(root: Path, folder: Path, doc: YamlDoc, f: Fields,
                 report: Report) -> tuple[dict[str, Source], set[str]]:
    """The sources that loaded, and the ids of those that exist but failed (already reported)."""
    entries: dict[str, Fields] = {}
    node = f.value_node("sources")
    if node is not None and not node.tag.endswith(":null"):
        for sid, (key_node, value_node) in (doc.mapping(node, "'sources'") or {}).items():
            what = f"source '{sid}'"
            if not is_slug(sid):
                report.error(doc.pos(key_node), f"source id {sid!r} is not a slug (lowercase letters, digits and '-')")
                continue
            if sid in RESERVED_SOURCES:
                report.error(doc.pos(key_node), f"source id {sid!r} is reserved (it is a citation key)")
                continue
            entries[sid] = Fields(doc, value_node, what, keys.SOURCE_ENTRY)
    files, stems = _source_files(root, folder, doc, entries, report)
    out = {}
    for sid, path in files.items():
        source = load_source(root, sid, path, entries.get(sid), report)
        if source is not None:
            out[sid] = source
    return out, (set(entries) | set(files) | stems) - set(out)


def _source_files(root: Path, folder: Path, doc: YamlDoc, entries: dict[str, Fields],
                  report: Report) -> tuple[dict[str, Path], set[str]]:
    """Which file each source id reads (claimed by an entry's `file:`, else found by its stem),
    and every stem found in sources/, so a file that fails is not later called unknown."""
    home = folder.resolve()
    files = claimed_files(folder, home, entries, report)
    claimed = {path: sid for sid, path in files.items()}
    by_stem: dict[str, list[Path]] = {}
    clashed: set[str] = set()
    src_dir = folder / "sources"
    for path, target in _found_sources(root, src_dir, home, report):
        if target not in claimed:
            by_stem.setdefault(path.stem, []).append(path)
    for stem, paths in sorted(by_stem.items()):
        name = rel(root, paths[0])
        if len(paths) > 1:
            clashed.add(stem)
            report.error(Pos(rel(root, paths[1])), f"two sources named '{stem}' ({', '.join(p.name for p in paths)});"
                         f" rename one or claim it with a `sources:` entry and `file:`")
        elif not is_slug(stem):
            report.error(Pos(name), f"source file name {paths[0].name!r}: the id {stem!r} is not a slug "
                         "(lowercase letters, digits and '-')")
        elif stem in RESERVED_SOURCES:
            report.error(Pos(name), f"source id {stem!r} is reserved (it is a citation key); rename the file")
        elif stem in files:
            report.error(Pos(name), f"source id '{stem}' is claimed by another file in briefing.yml")
        else:
            files[stem] = paths[0]
    for sid, e in entries.items():
        if sid not in files and not e.has("file") and sid not in clashed:
            report.error(doc.pos(e.node), f"source '{sid}' has no file: expected "
                         f"{rel(root, src_dir)}/{sid}.md or .txt, or a 'file:' key")
    return files, set(by_stem)


def _found_sources(root: Path, src_dir: Path, home: Path, report: Report) -> list[tuple[Path, Path]]:
    """The `*.md` and `*.txt` files of sources/ that may be read, each with its real path;
    every one that may not (a link out of the briefing folder, dangling or looping, a FIFO or
    device, a linked sources/ that leads out) is reported at its own path and never opened."""
    if src_dir.is_symlink() and (escape := resolve_inside(src_dir, home)[1]):
        report.error(Pos(rel(root, src_dir)), f"sources/ folder {escape}; keep the sources in "
                     "the briefing folder: copy them here")
        return []
    if not src_dir.is_dir():
        if os.path.lexists(src_dir) and (kind := special_kind(src_dir.lstat().st_mode)) is not None:
            report.error(Pos(rel(root, src_dir)), f"sources is {kind}, not a folder; briefgen never "
                         "opens such a file: remove it")
        return []
    # A file that is not a link is where its folder is: only links (and files of a linked
    # sources/) need resolving, which keeps a check of hundreds of sources free of path walks.
    real_dir, linked = src_dir.resolve(), src_dir.is_symlink()
    found = []
    for path in sorted(src_dir.glob("*.md")) + sorted(src_dir.glob("*.txt")):
        target = real_dir / path.name
        if linked or path.is_symlink():
            target, escape = resolve_inside(path, home)
            if escape:
                report.error(Pos(rel(root, path)), f"source file {path.name!r} {escape}; sources "
                             "are regular files inside the briefing folder: copy the file here")
                continue
        try:
            mode = os.stat(target).st_mode  # stat, never open: a FIFO would wait forever
        except OSError:
            continue  # gone since it was listed, or unreadable: nothing to read
        if (kind := special_kind(mode)) is not None:
            report.error(Pos(rel(root, path)), f"source file {path.name!r} is {kind}, not a regular "
                         "file; sources are regular files: remove it")
        elif stat.S_ISREG(mode):
            found.append((path, target))
    return found


