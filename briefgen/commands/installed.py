"""Where this briefgen came from, as a requirement line a fresh machine (CI) can install.

`briefgen init` writes it into the project's requirements.txt, so the Pages workflow builds
with the same briefgen that made the project. The answer comes from the installed
distribution's metadata: PEP 610's direct_url.json when pip installed from a URL or a folder,
else the version from an index.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

NAME = "briefgen"


@dataclass(frozen=True)
class Origin:
    requirement: str | None  # a line for requirements.txt, or None when it cannot be known
    why: str                 # how briefgen was installed, in words a user can act on
    wheel: Path | None = None  # a local wheel file that init copies into the project (VENDOR)


# Where init puts the wheel briefgen was installed from, so the project's own repository carries
# what CI installs: no index, no access to another repository needed.
VENDOR = "vendor"
# A wheel's file name as pip writes one (name-version[-build]-python-abi-platform.whl); nothing
# else is copied or written into requirements.txt.
_WHEEL = re.compile(r"briefgen-[A-Za-z0-9_.+!]+(-[A-Za-z0-9_.+!]+){2,4}\.whl")


def origin(dist: metadata.Distribution | None = None) -> Origin:
    """How the running briefgen was installed; `dist` lets tests describe other installs."""
    if dist is None:
        try:
            dist = metadata.distribution(NAME)
        except metadata.PackageNotFoundError:
            return Origin(None, "briefgen runs from a source folder without being installed")
    raw = dist.read_text("direct_url.json")
    if raw is None:  # installed from a package index: the version says it all
        return Origin(f"{NAME}=={dist.version}", f"briefgen {dist.version} from a package index")
    try:
        direct = json.loads(raw)
    except ValueError:
        return Origin(None, "briefgen's install record (direct_url.json) is unreadable")
    return _from_direct_url(direct if isinstance(direct, dict) else {})


def _public_url(url: object) -> str | None:
    """An http(s) URL without user info (a token must never land in a committed file);
    anything else (file://, ssh) is not reachable from a CI runner."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


def _from_direct_url(direct: dict[str, object]) -> Origin:
    url = _public_url(direct.get("url"))
    vcs = direct.get("vcs_info")
    subdirectory = direct.get("subdirectory")
    suffix = f"#subdirectory={subdirectory}" if isinstance(subdirectory, str) and subdirectory else ""
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id")
        if url and vcs.get("vcs") == "git" and isinstance(commit, str) and commit.isalnum():
            return Origin(f"{NAME} @ git+{url}@{commit}{suffix}", f"briefgen from {url} at commit {commit[:12]}")
        return Origin(None, f"briefgen is installed from a {vcs.get('vcs', 'version control')} "
                      "repository that a CI runner cannot reach (not an https git URL)")
    if isinstance(direct.get("archive_info"), dict) and url:
        return Origin(f"{NAME} @ {url}{suffix}", f"briefgen from {url}")
    wheel = _local_wheel(direct.get("url"))
    if isinstance(direct.get("archive_info"), dict) and wheel is not None:
        return Origin(f"./{VENDOR}/{wheel.name}", f"briefgen from the wheel {wheel.name}, copied into {VENDOR}/: "
                      "commit it", wheel)
    dir_info = direct.get("dir_info")
    if isinstance(dir_info, dict) and dir_info.get("editable"):
        return Origin(None, "briefgen is installed in editable mode from a local folder")
    return Origin(None, "briefgen is installed from a local file or folder")


def _local_wheel(url: object) -> Path | None:
    """The wheel file a file:// URL names, while it is still there."""
    if not isinstance(url, str) or not url.startswith("file://"):
        return None
    path = Path(unquote(urlsplit(url).path))
    return path if _WHEEL.fullmatch(path.name) and path.is_file() else None


# Where the content format is documented when the metadata has no such URL (run from a
# source folder without being installed): the copy that ships in every sdist and checkout.
FORMAT_FALLBACK = "CONTENT-FORMAT.md in briefgen's source"


def content_format_url() -> str:
    """The "Content format" project URL of the installed briefgen (pyproject's [project.urls])."""
    try:
        urls: list[str] = metadata.metadata(NAME).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "content format" and _public_url(url.strip()):
            return url.strip()
    return FORMAT_FALLBACK
