"""What every themed page of a build is made of besides itself: the key's shared half.

A page kept in `.briefgen-cache/pages/` may be used by a later build, from another checkout,
after an upgrade. So the shared half hashes, by content (never by file times, which a fresh
CI checkout sets to now): briefgen's own code and templates; the versions of MkDocs, Material
and Jinja2; the effective configuration as MkDocs loaded it (so `!ENV` values count), with the
theme's settings and every file of its folders that is not an installed package; the plugins'
settings; and the whole nav (every title and URL). A page's own half is in pagecache.py.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from ..caches.codedigest import code_digest, hash_tree

# Settings that never reach a page: where files are read and written (the staging folder's
# name is random), how `serve` listens, and how strictly MkDocs validates. The nav and the
# plugins are hashed on their own; the theme with its files.
_NOT_IN_PAGES = frozenset({"config_file_path", "docs_dir", "site_dir", "dev_addr", "strict", "validation",
                           "watch", "remote_branch", "remote_name", "plugins", "theme", "nav"})
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _plain(value: Any) -> Any:
    """A config value as JSON can hold it; an object by its type and text (never its address,
    which differs each run and would make every key new)."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return f"{type(value).__name__}:{_ADDRESS.sub('', str(value))}"


def _installed(folder: str | Path) -> bool:
    parts = Path(folder).parts
    return "site-packages" in parts or "dist-packages" in parts


def _versioned(folder: str | Path) -> bool:
    import material
    import mkdocs

    return any(Path(folder).resolve().is_relative_to(Path(str(m.__file__)).resolve().parent)
               for m in (material, mkdocs))


def _stat_tree(folder: Path) -> list[tuple[str, int, int]]:
    state = []
    for root, _, names in os.walk(folder):
        for name in names:
            st = os.stat(os.path.join(root, name))
            state.append((os.path.join(root, name), st.st_mtime_ns, st.st_size))
    return sorted(state)


@functools.cache
def engine_digest() -> str:
    """briefgen's code and templates, and the engine's versions: one value per installation."""
    import jinja2
    import material
    import mkdocs

    versions = (sys.version_info[:2], mkdocs.__version__, material.__version__, jinja2.__version__)
    return hashlib.blake2b(repr((versions, code_digest())).encode(), digest_size=16).hexdigest()


def nav_signature(items: Any) -> list[tuple[object, ...]]:
    return [(type(i).__name__, str(i.title), getattr(i, "url", None), nav_signature(i.children or []))
            for i in items]


def shared_digest(config: Any, nav: Any) -> str:
    """The half of every page's key that the pages of one build share."""
    h = hashlib.blake2b(digest_size=16)
    h.update(engine_digest().encode())
    settings = {k: _plain(config[k]) for k in sorted(config.keys()) if k not in _NOT_IN_PAGES}
    theme = config.theme
    settings["theme"] = {"name": theme.name, "settings": _plain(dict(theme.items())),
                         "dirs": [str(d) for d in theme.dirs], "static": sorted(theme.static_templates)}
    settings["plugins"] = {name: _plain(dict(getattr(p, "config", {}) or {})) for name, p in config.plugins.items()}
    h.update(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    h.update(repr(nav_signature(nav.items)).encode("utf-8", "surrogatepass"))
    for d in theme.dirs:
        if not Path(d).is_dir():
            continue
        h.update(str(d).encode("utf-8", "surrogatepass") + b"\0")
        if _versioned(d):  # Material's 14,000 files and MkDocs' are told by their versions
            continue
        if _installed(d):  # a package's files change only when it is installed again, with new times
            h.update(repr(_stat_tree(Path(d))).encode("utf-8", "surrogatepass"))
        else:  # the project's own: by content, as a fresh checkout's file times are all new
            hash_tree(h, Path(d))
    return h.hexdigest()
