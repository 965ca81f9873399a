"""Compiled templates kept in `.briefgen-cache/templates/` between one-shot builds.

Every build compiles the theme's templates (Material's base.html and its partials) and briefgen's
own: about 0.1 s of CPU, a tenth of a build that finds everything else kept. Jinja2 asks a
bytecode cache for each template it loads; a bucket's key names the template and its file, and
its checksum is of the source, so an edited template is compiled again. Each one is a sealed file
(sealed.py) stamped with the Python and Jinja2 versions, since compiled code is only good for the
interpreter that made it; a file that is missing, stale or broken is compiled anew. Compiled code
runs: like every cache file it is trusted as the project's templates are (docs/guarantees.md).
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from .sealed import own_folder, read_sealed, write_sealed

log = logging.getLogger("briefgen")

_KEY = re.compile(r"[0-9a-f]{40}")  # Jinja2's bucket keys: sha1 of the template's name and file
_STAMP = f"templates/1/{sys.version_info[0]}.{sys.version_info[1]}/{jinja2.__version__}"


class KeptTemplates(BytecodeCache):
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: Bucket) -> Path | None:
        return self.folder / f"{bucket.key}.code" if _KEY.fullmatch(bucket.key) else None

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        body = read_sealed(path, f"{_STAMP}/{bucket.key}") if path is not None else None
        if body is None:
            return
        try:
            bucket.bytecode_from_string(bytes(body))
        except Exception:  # noqa: BLE001  # whatever is wrong with it, the template compiles anew
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        if path is not None:  # a read-only checkout builds all the same (write_sealed logs it)
            write_sealed(path, f"{_STAMP}/{bucket.key}", bucket.bytecode_to_string())


def kept_templates(cache: Path | None) -> KeptTemplates | None:
    """The run's compiled templates in its cache folder; None without one, or when the folder is
    a link or not a folder (a build would write where it points)."""
    if cache is None:
        return None
    folder = own_folder(cache, "templates", "templates are compiled anew")
    return KeptTemplates(folder) if folder is not None else None
