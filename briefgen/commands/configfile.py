"""Which config file a command reads when -f is not given: MkDocs' `mkdocs.yml`, or the
`properdocs.yml` of a project made for ProperDocs (the maintained MkDocs fork), whose engine
and plugins briefgen runs alike."""

from __future__ import annotations

import logging
import os
import shlex
from pathlib import Path

from ..diagnostics import UserError

# mkdocs.yml first: briefgen builds with MkDocs, which reads only these two names by itself.
NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")

log = logging.getLogger("briefgen")


def present(project: Path) -> list[str]:
    """The config files in the project folder; lexists: a dangling link is there too, and its
    own error (from reading it) says more than "no config file"."""
    return [name for name in NAMES if os.path.lexists(project / name)]


def config_file(project: Path, given: str | None) -> str:
    """The name of the one -f names, else the first of NAMES that is there (mkdocs.yml when none
    is, so the error names the file a new user expects). One -f names in another folder is
    refused: the plugin finds content/ beside the config file, as MkDocs finds docs_dir and
    site_dir, so the build would check one folder and stage another."""
    if given is not None:
        # Spelled as MkDocs spells it (`x/..` taken away as text, where the system would follow
        # x if it is a link), so briefgen reads the very file MkDocs reads.
        path = Path(os.path.abspath(project / given))
        if os.path.lexists(path) and not os.path.isfile(path):  # a folder, a device: said so when it is read
            return str(path) if os.path.isabs(given) else os.path.relpath(path, project)
        # The project's folder reached another way (a link to it, as a shell's $PWD may spell it)
        if path.parent != project and os.path.realpath(path.parent) != os.path.realpath(project):
            raise UserError(f"-f {given}: the config file is not in the project folder ({project}); briefgen "
                            "reads content/ beside the config file, as MkDocs reads docs_dir beside it: "
                            f"run briefgen with -C {shlex.quote(str(path.parent))} to build the project there")
        return path.name
    found = present(project)
    if len(found) > 1:
        # ProperDocs itself would read properdocs.yml: say which one this build follows.
        log.warning(f"Using {found[0]}; {', '.join(found[1:])} is there too and is not read "
                    f"(pass -f {found[1]} to build from it)")
    return found[0] if found else NAMES[0]
