"""The project's files that MkDocs itself reads: the config (and what it INHERITs), `docs_dir`,
and the theme folders the project brings (`theme.custom_dir`). They follow the rule every file
of the project follows (loading/paths.py); `templates/` is checked with the content, by the
pipeline, since briefgen reads it too.

Checked in on_config, before MkDocs walks docs_dir: MkDocs follows every folder link there (a
link to `/` would walk the whole disk, `/proc` included) and opens every page (a FIFO would
hang the build). on_files looks again at the files MkDocs collected and drops any that break
the rule, for a file that changed in between.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..diagnostics import Pos, Problem, Report
from ..loading.paths import fix_for, refusal, report_refused
from .mkdocs_engine import config_problem


def _folders(config: Any, project: Path) -> list[tuple[str, Path]]:
    """(setting, folder) for docs_dir and each theme folder MkDocs reads from the project.
    Installed themes live outside the project and are the environment's, not the project's;
    templates/ is the pipeline's to check, so it is not checked twice."""
    ours = project / "templates"
    found = [("docs_dir", Path(os.path.abspath(config.docs_dir)))]
    custom = config.theme.custom_dir
    if custom:
        found.append(("theme.custom_dir", Path(os.path.abspath(custom))))
    return [(setting, folder) for setting, folder in found if not _lexically_inside(folder, ours)]


def _lexically_inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refuse_unreadable(config: Any, project: Path, report: Report) -> None:
    """Report every file of the project MkDocs would read that breaks the rule, each at its path;
    a folder setting that names a place outside the project, at the config file."""
    problem = config_problem(Path(config.config_file_path or "mkdocs.yml"), project)
    if problem is not None:
        report.error(*problem)
    config_name = Path(config.config_file_path or "mkdocs.yml").name
    for setting, folder in _folders(config, project):
        # The folder itself may be a link (judged at its path, with its contents); the folders
        # above it are where the setting points.
        real = folder.parent.resolve() / folder.name
        if not real.is_relative_to(project):
            report.error(Pos(config_name), f"{setting} '{folder}' is outside the project; MkDocs would "
                         "publish what it holds: keep the folder in the project")
        else:
            report_refused(real, project, report)


def drop_unreadable(files: Any, config: Any, project: Path) -> list[Problem]:
    """Remove from MkDocs' Files every file from docs_dir or the project's theme folders that
    breaks the rule now; the problems, each at the file's path."""
    folders = {os.path.normpath(folder) for _, folder in _folders(config, project)}
    folders.add(os.path.normpath(project / "templates" / "theme"))
    problems = []
    for file in list(files):
        if file.generated_by or not file.abs_src_path or os.path.normpath(file.src_dir or "") not in folders:
            continue
        path = Path(file.abs_src_path)
        why = refusal(path, project)
        if why is not None:
            files.remove(file)
            shown = path.relative_to(project).as_posix() if path.is_relative_to(project) else path.as_posix()
            problems.append(Problem(Pos(shown), "error", f"{path.name!r} {why}; {fix_for(why)}"))
    return problems


def link_safe_observer(project: Path, interval: float) -> Any:
    """A polling observer for the live-reload server that follows a link only where the rule
    lets a build read (inside the project, not into .git/ or content/ from outside it) and not
    back to a folder that holds it. watchdog's own follows every link: a `docs/root -> /` had
    `serve` walk the whole disk, /proc round and round, at 100% CPU and a growing heap, and it
    never saw an edit again."""
    import stat as stat_module

    from watchdog.observers.polling import PollingObserverVFS

    def stat(path: str) -> os.stat_result:
        st = os.lstat(path)
        if not stat_module.S_ISLNK(st.st_mode) or refusal(Path(path), project) is not None:
            return st  # the link itself is watched: planting or removing it is a change
        real, here = os.path.realpath(path), os.path.realpath(os.path.dirname(path))
        return st if (here + os.sep).startswith(real + os.sep) else os.stat(path)

    return PollingObserverVFS(stat, os.scandir, polling_interval=interval)


def watch_safely(server: Any, project: Path) -> None:
    """Give MkDocs' live-reload server the link-safe observer, with what it already watches.
    Under plain `mkdocs serve`, docs_dir and the config are watched before on_serve, on an
    observer not started yet; the list of them is the server's own (`_watched_paths`)."""
    watched = list(getattr(server, "_watched_paths", {}))
    for path in watched:
        server.unwatch(path)
    server.observer = link_safe_observer(project, server.observer.timeout)
    for path in watched:
        server.watch(path)


def project_of(config: Any) -> Path:
    """The folder that holds the config file. Its own link is not followed: a mkdocs.yml that
    links elsewhere does not make that place the project (it is refused, above)."""
    return Path(os.path.abspath(config.config_file_path or "mkdocs.yml")).parent.resolve()
