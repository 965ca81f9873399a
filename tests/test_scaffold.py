"""What `briefgen init` writes: a Pages workflow that deploys as written, the requirements file
it installs from, and a mkdocs.yml that takes its address from the workflow."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from packaging.requirements import Requirement

from briefgen.cli import main
from briefgen.commands.installed import Origin, content_format_url, origin
from briefgen.commands.scaffold import init_project

# Current major versions, looked up in each action's repository (tags) in November 2026.
CURRENT_ACTIONS = {
    "actions/checkout": "v7",
    "actions/configure-pages": "v5",
    "actions/setup-python": "v7",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
    "actions/cache": "v5",
}
SHA = "0123456789abcdef0123456789abcdef01234567"


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="briefgen")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("init") / "newsroom"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def workflow(project: Path) -> dict:
    return yaml.safe_load((project / ".github/workflows/pages.yml").read_text(encoding="utf-8"))


def steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]


def test_only_the_deploy_job_may_write_pages_or_mint_tokens(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # configure-pages needs to read the Pages site; the job that runs pip gets nothing more.
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["needs"] == "build" and jobs["deploy"]["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]


def test_a_newer_push_never_cancels_a_deploy_half_way(workflow):
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow[True]["push"] == {"branches": ["main", "master"]}  # YAML 1.1 reads the key `on` as true


def test_actions_are_at_their_current_major_versions(workflow):
    used = {s["uses"].split("@")[0]: s["uses"].split("@")[1]
            for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s}
    assert used == CURRENT_ACTIONS


def test_build_job_installs_from_requirements_with_a_pip_cache_and_full_history(workflow, project):
    build = workflow["jobs"]["build"]
    (checkout,) = steps_using(build, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0
    (python,) = steps_using(build, "actions/setup-python")
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"] == "requirements.txt"
    assert (project / "requirements.txt").is_file()
    runs = [s.get("run", "") for s in build["steps"]]
    assert any("pip install -r requirements.txt" in r for r in runs)
    assert not any(re.search(r"pip install (?!-r)", r) for r in runs), "installs something unnamed"
    (upload,) = steps_using(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"


def test_configure_pages_fills_site_url(workflow, project):
    build = workflow["jobs"]["build"]
    (pages,) = steps_using(build, "actions/configure-pages")
    builds = [s for s in build["steps"] if s.get("run", "").startswith("briefgen build")]
    assert len(builds) == 1
    assert builds[0]["env"]["SITE_URL"] == "${{ steps." + pages["id"] + ".outputs.base_url }}"
    assert "site_url: !ENV [SITE_URL, \"\"]" in (project / "mkdocs.yml").read_text(encoding="utf-8")


def test_install_step_stops_with_a_pointer_when_requirements_name_no_briefgen(workflow, tmp_path):
    (step,) = [s for s in workflow["jobs"]["build"]["steps"] if "requirements.txt" in s.get("run", "")]
    init_project(tmp_path / "site", Origin(None, "briefgen is installed from a local file or folder"))
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path / "site",
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout.startswith("::error file=requirements.txt::")


# -- requirements.txt: the briefgen that made the project ----------------------------------------

def fake_install(tmp_path: Path, direct_url: dict | None, version: str = "1.2.3") -> metadata.Distribution:
    """A real dist-info folder, as pip writes one, for an install made some other way."""
    info = tmp_path / f"briefgen-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.4\nName: briefgen\nVersion: {version}\n")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))
    return metadata.PathDistribution(info)


@pytest.mark.parametrize("direct_url, expected", [
    (None, "briefgen==1.2.3"),
    ({"url": "https://github.com/news/briefgen", "vcs_info": {"vcs": "git", "commit_id": SHA,
                                                               "requested_revision": "main"}},
     f"briefgen @ git+https://github.com/news/briefgen@{SHA}"),
    ({"url": "https://x-access-token:secret@github.com/news/briefgen.git",
      "vcs_info": {"vcs": "git", "commit_id": SHA}, "subdirectory": "pkg"},
     f"briefgen @ git+https://github.com/news/briefgen.git@{SHA}#subdirectory=pkg"),
    ({"url": "https://files.example.org/briefgen-1.2.3.tar.gz", "archive_info": {}},
     "briefgen @ https://files.example.org/briefgen-1.2.3.tar.gz"),
])
def test_a_reachable_install_becomes_a_pinned_requirement(tmp_path, direct_url, expected):
    found = origin(fake_install(tmp_path, direct_url))
    assert found.requirement == expected
    assert Requirement(found.requirement).name == "briefgen"  # pip can read it
    assert "secret" not in found.requirement + found.why


@pytest.mark.parametrize("direct_url, words", [
    ({"url": "file:///home/me/briefgen", "dir_info": {"editable": True}}, "editable"),
    ({"url": "file:///home/me/briefgen", "dir_info": {}}, "local"),
    ({"url": "file:///tmp/briefgen-1.2.3.tar.gz", "archive_info": {}}, "local"),
    ({"url": "ssh://git@github.com/news/briefgen.git", "vcs_info": {"vcs": "git", "commit_id": SHA}},
     "cannot reach"),
])
def test_an_unreachable_install_is_said_plainly(tmp_path, direct_url, words):
    found = origin(fake_install(tmp_path, direct_url))
    assert found.requirement is None and words in found.why
    init_project(tmp_path / "site", found)
    text = (tmp_path / "site" / "requirements.txt").read_text(encoding="utf-8")
    assert "EDIT THIS BEFORE YOU PUSH" in text and found.why in text
    assert not re.search(r"^briefgen", text, re.M), "no line the workflow would take for a requirement"
    assert "briefgen @ git+https://github.com/<owner>/briefgen@<commit>" in text


def test_a_known_install_is_written_as_the_only_requirement(tmp_path):
    init_project(tmp_path / "site", Origin(f"briefgen @ git+https://github.com/news/briefgen@{SHA}", "x"))
    lines = [ln for ln in (tmp_path / "site" / "requirements.txt").read_text().splitlines()
             if ln and not ln.startswith("#")]
    assert lines == [f"briefgen @ git+https://github.com/news/briefgen@{SHA}"]


def test_init_tells_the_terminal_when_it_cannot_name_the_install(tmp_path):
    """This checkout's own install decides which case runs here; both must agree with the file."""
    result = run("init", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "site" / "requirements.txt").read_text(encoding="utf-8")
    if origin().requirement is None:
        assert "requirements.txt cannot say where GitHub gets briefgen" in result.stderr
        assert "EDIT THIS BEFORE YOU PUSH" in text
    else:
        assert result.stderr == "" and origin().requirement in text.splitlines()


# -- mkdocs.yml and briefing.yml -------------------------------------------------------------------

def test_site_url_comes_from_the_environment_and_may_be_empty(project, tmp_path, monkeypatch):
    site = tmp_path / "copy"
    shutil.copytree(project, site)
    monkeypatch.delenv("SITE_URL", raising=False)
    assert run("-C", str(site), "build", "-q").exit_code == 0
    assert 'rel="canonical"' not in (site / "site/index.html").read_text(encoding="utf-8")

    monkeypatch.setenv("SITE_URL", "https://news.github.io/room")  # configure-pages: no trailing /
    result = run("-C", str(site), "build", "-q")
    assert result.exit_code == 0, result.stderr
    page = (site / "site/first-briefing/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://news.github.io/room/first-briefing/">' in page


def test_pages_ask_no_font_service(project, tmp_path):
    """font: false keeps readers' browsers from asking Google Fonts; without it Material does."""
    assert run("-C", str(project), "build", "-q").exit_code == 0
    assert "fonts.googleapis.com" not in (project / "site/index.html").read_text(encoding="utf-8")
    control = tmp_path / "control"
    shutil.copytree(project, control)
    cfg = control / "mkdocs.yml"
    cfg.write_text(re.sub(r"^  font: false.*\n", "", cfg.read_text(encoding="utf-8"), flags=re.M))
    assert run("-C", str(control), "build", "-q").exit_code == 0
    assert "fonts.googleapis.com" in (control / "site/index.html").read_text(encoding="utf-8")


def test_briefing_yml_points_to_the_format_online_not_to_a_missing_readme(project):
    text = (project / "content/first-briefing/briefing.yml").read_text(encoding="utf-8")
    assert "README" not in text and not (project / "README.md").exists()
    assert content_format_url().startswith("https://") and content_format_url().endswith("CONTENT-FORMAT.md")
    assert f"The whole format: {content_format_url()}" in text


# -- names from the user are YAML strings --------------------------------------------------------

HOSTILE_NAMES = [
    "ops: 2024", "a # b", "'quoted'", '"double"', "- x", "{x}", "[x]", "yes", "null", "~", "2024-01-01",
    "1e3", "*alias", "&anchor", "!tag", "%directive", "@at", "`tick", "| pipe", "> fold", "? key",
    "tab\there", "new\nline", "back\\slash", "{{ today }}", " lead", "trail ", "del\x7f", "nel\x85",
    "Ελληνικά — δελτίο", "报道 🗞", "\u202eevil",
]


def mkdocs_reads(path: Path) -> dict:
    """mkdocs.yml as MkDocs loads it (its loader knows !ENV)."""
    from mkdocs.utils.yaml import yaml_load

    with path.open("rb") as f:
        return yaml_load(f)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_init_writes_the_folder_name_as_one_yaml_string(tmp_path, name):
    """A folder name is any bytes but '/' and NUL: written bare, `ops: 2024` was a mapping."""
    init_project(tmp_path / name, Origin("briefgen==1.0", "a release"))
    config = mkdocs_reads(tmp_path / name / "mkdocs.yml")
    assert config["site_name"] == name + " briefings"
    assert config["plugins"] == ["search", "briefgen"]  # nothing after the name was swallowed


def test_a_folder_name_that_is_not_utf8_becomes_a_replacement_character(tmp_path):
    """Python keeps such a byte as a lone surrogate, which no page could print."""
    target = tmp_path / os.fsdecode(b"caf\xe9 desk")
    init_project(target, Origin("briefgen==1.0", "a release"))
    assert mkdocs_reads(target / "mkdocs.yml")["site_name"] == "caf\ufffd desk briefings"


def test_a_project_with_a_hostile_name_builds(tmp_path):
    target = tmp_path / "ops: 2024 # {x} 'q'"
    assert run("init", str(target)).exit_code == 0
    result = run("-C", str(target), "build", "-q")
    assert result.exit_code == 0, result.stderr
    assert "ops: 2024 # {x}" in (target / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("title", ["ops: 2024", "{{ today }}", "del\x7f", "nel\x85", "a # b", "'q' \"qq\""])
def test_new_writes_the_title_as_one_yaml_string(tmp_path, title):
    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: P\ntheme: material\n", encoding="utf-8")
    assert run("-C", str(project), "new", "harbour", "--title", title).exit_code == 0
    data = yaml.safe_load((project / "content/harbour/briefing.yml").read_text(encoding="utf-8"))
    assert data["title"] == title


def test_init_says_how_to_cd_into_a_folder_with_spaces(tmp_path):
    target = tmp_path / "ops room"
    result = run("init", str(target))
    assert result.exit_code == 0
    assert f"Next: cd '{target}' && briefgen build" in result.output


def test_init_turns_on_no_theme_feature_that_briefgen_turns_off(project):
    """README says content.tooltips is off (it copies titles into the page as HTML); init's own
    mkdocs.yml turned it on, and every build said so."""
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert config["theme"]["features"] == ["navigation.top", "search.highlight"]
    result = run("-C", str(project), "build")
    assert result.exit_code == 0 and "tooltips" not in result.output


def test_init_makes_its_folder_inside_the_c_folder_before_or_after_the_command(tmp_path, monkeypatch):
    # As `git -C news init x` makes news/x; -C after the command's name was a usage error, and
    # before it was ignored without a word.
    monkeypatch.chdir(tmp_path)
    for args, made in ((["-C", "news", "init", "x"], "news/x"), (["init", "y", "-C", "news"], "news/y"),
                       (["init", "z"], "z")):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"Created a briefgen site in {made}/. Next: cd {made} && briefgen build\n")
        assert (tmp_path / made / "mkdocs.yml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news", "z"]
