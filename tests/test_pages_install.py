"""The two ways a project's Pages workflow gets briefgen, run offline: a wheel committed into the
project (`./vendor/briefgen-….whl`, which `init` copies there when briefgen was installed from a
wheel file) and a git URL. The workflow's own install step runs with bash and the real pip, told
by its environment to resolve without installing (PIP_DRY_RUN) and without an index; git reaches
the "GitHub" repository through an insteadOf rewrite to a local one."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from briefgen.commands.installed import Origin, origin
from briefgen.commands.scaffold import init_project

WHEEL = "briefgen-1.2.3-py3-none-any.whl"
OFFLINE = {"PIP_NO_INDEX": "1", "PIP_NO_DEPS": "1", "PIP_DRY_RUN": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def make_wheel(folder: Path, version: str = "1.2.3") -> Path:
    """A wheel as the packaging spec lays one out: enough for pip to read its name and version."""
    info = f"briefgen-{version}.dist-info"
    path = folder / f"briefgen-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("briefgen/__init__.py", "")
        wheel.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: briefgen\nVersion: {version}\n")
        wheel.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        wheel.writestr(f"{info}/RECORD", "")
    return path


def installed_from(tmp_path: Path, direct_url: dict) -> metadata.Distribution:
    info = tmp_path / "briefgen-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.4\nName: briefgen\nVersion: 1.2.3\n")
    (info / "direct_url.json").write_text(json.dumps(direct_url))
    return metadata.PathDistribution(info)


def install_step(project: Path, **environ: str) -> subprocess.CompletedProcess:
    workflow = yaml.safe_load((project / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in workflow["jobs"]["build"]["steps"] if s.get("name") == "Install briefgen"]
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=project, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **OFFLINE, **environ})


@pytest.fixture()
def from_a_wheel(tmp_path: Path) -> tuple[Path, bytes]:
    """A project made by a briefgen that pip installed from a wheel file on this machine."""
    (tmp_path / "dist").mkdir()
    wheel = make_wheel(tmp_path / "dist")
    found = origin(installed_from(tmp_path, {"url": wheel.as_uri(), "archive_info": {}}))
    assert found.requirement == f"./vendor/{WHEEL}" and found.wheel == wheel
    init_project(tmp_path / "site", found)
    return tmp_path / "site", wheel.read_bytes()


def test_init_copies_the_wheel_into_vendor_and_names_it_by_path(from_a_wheel):
    project, wheel = from_a_wheel
    assert (project / "vendor" / WHEEL).read_bytes() == wheel
    lines = [ln for ln in (project / "requirements.txt").read_text().splitlines() if ln and not ln.startswith("#")]
    assert lines == [f"./vendor/{WHEEL}"]


def test_the_workflow_installs_a_committed_wheel(from_a_wheel):
    project, _ = from_a_wheel
    proc = install_step(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Would install briefgen-1.2.3" in proc.stdout


def test_a_wheel_left_uncommitted_stops_the_workflow_with_a_pointer(from_a_wheel):
    project, _ = from_a_wheel
    (project / "vendor" / WHEEL).unlink()
    proc = install_step(project)
    assert proc.returncode == 1
    assert proc.stdout == (f"::error file=requirements.txt::./vendor/{WHEEL} is not in the repository: "
                           f"commit it (git add ./vendor/{WHEEL})\n")


def test_a_wheel_that_is_gone_is_not_named(tmp_path):
    """Installed from a wheel since deleted: nothing to copy, so the file asks the user."""
    gone = tmp_path / WHEEL
    found = origin(installed_from(tmp_path, {"url": gone.as_uri(), "archive_info": {}}))
    assert found.requirement is None and found.wheel is None


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout.strip()


def test_the_workflow_installs_a_git_url(tmp_path):
    """A repository whose in-tree build backend (PEP 517, no build requirements) says briefgen 9.9.9."""
    repo = tmp_path / "briefgen-repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text('[build-system]\nrequires = []\nbuild-backend = "backend"\n'
                                         'backend-path = ["."]\n')
    (repo / "backend.py").write_text(
        "import os\n"
        "def prepare_metadata_for_build_wheel(directory, config_settings=None):\n"
        "    os.mkdir(os.path.join(directory, 'briefgen-9.9.9.dist-info'))\n"
        "    with open(os.path.join(directory, 'briefgen-9.9.9.dist-info', 'METADATA'), 'w') as f:\n"
        "        f.write('Metadata-Version: 2.1\\nName: briefgen\\nVersion: 9.9.9\\n')\n"
        "    return 'briefgen-9.9.9.dist-info'\n")
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "briefgen", cwd=repo)
    commit = git("rev-parse", "HEAD", cwd=repo)
    url = "https://github.com/news/briefgen"
    init_project(tmp_path / "site", Origin(f"briefgen @ git+{url}@{commit}", "from git"))
    proc = install_step(tmp_path / "site", GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0=f"url.{repo}.insteadOf",
                        GIT_CONFIG_VALUE_0=url)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"Resolved {url} to commit {commit}" in proc.stdout
    assert "Would install briefgen-9.9.9" in proc.stdout
