"""Briefing versions from git: what changed, on the pages, in briefing.json and in `briefgen diff`.

The project is a real git repository in tmp_path with three commits (tests/gitrepo.py); the
expected changes below are written out by hand from those three versions.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SiteReader, build_ok, parse_html
from gitrepo import git, history_project

from briefgen.analysis.changes import Row, Snapshot, compare
from briefgen.cli import main
from briefgen.history.versions import read_history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("history") / "project"
    commits = history_project(root)
    build_ok(root)
    return root, commits


def _items(step: dict) -> set[tuple[str, str, str]]:
    return {(i["kind"], i["id"], i["change"]) for i in step["items"]}


def test_briefing_json_has_the_version_and_every_change(built):
    root, commits = built
    doc = json.loads((root / "site/velmor/briefing.json").read_text("utf-8"))
    assert doc["version"] == {"as_of": "2024-12-03", "commit": commits[2]}
    assert [(c["since"], c["as_of"], c["commit"]) for c in doc["changes"]] == [
        ("2024-12-02", "2024-12-03", commits[2]), ("2024-12-01", "2024-12-02", commits[1])]
    newest, older = doc["changes"]
    assert _items(newest) == {("question", "q-reopening", "changed"), ("evidence", "q-reopening-e2", "added"),
                              ("summary", "summary-2", "removed")}
    assert _items(older) == {("fact", "fact-cranes", "changed"), ("fact", "fact-repairs", "added"),
                             ("source", "courier", "added")}
    by_id = {i["id"]: i for step in doc["changes"] for i in step["items"]}
    assert by_id["q-reopening"]["before"]["status"] == "open"
    assert by_id["q-reopening"]["after"]["status"] == "leaning"
    assert by_id["q-reopening"]["after"]["tallies"]["weeks"] == [2, 0, 0]
    assert by_id["fact-cranes"]["before"] == {"value": "Two cranes damaged", "corroboration": "single-source"}
    assert by_id["fact-cranes"]["after"] == {"value": "Three cranes damaged", "corroboration": "corroborated"}
    assert by_id["summary-2"]["before"]["text"] == "Ships go to the northern harbour."
    assert by_id["summary-2"]["after"] is None


def test_summary_page_says_what_changed_and_links_each_change_to_its_row(built):
    root, _ = built
    site = SiteReader(root / "site")
    page = site.page("velmor/index.html")
    # One baseline, named: the previous version (changes.js may switch to the reader's last visit).
    assert page.ids["bg-whatchanged"] == "What changed since the previous version (2 Dec 2024)"
    html = (root / "site/velmor/index.html").read_text("utf-8")
    section = html.split('id="bg-whatchanged"', 1)[1].split("</section>", 1)[0]
    items = parse_html(section).links
    hrefs = [link.href for link in items if "bg-permalink" not in link.classes]
    targets = {site.resolve("velmor/index.html", h) for h in hrefs if "#" in h}
    assert ("velmor/questions/index.html", "q-reopening") in targets
    assert ("velmor/questions/index.html", "q-reopening-e2") in targets
    for href in hrefs:
        if "#" in href:
            site.target_text("velmor/index.html", href)  # the row exists
    # Grouped by kind, in words (hypotheses by label, never by id), old values struck, new marked.
    kinds = re.findall(r'<h3 class="bg-changes-kind">([^<]+)</h3>', section)
    assert kinds == ["Bottom line", "Questions", "Evidence"]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in re.findall(r"<li[^>]*>(.*?)</li>", section, re.S)]
    assert rows == [
        "withdrawn Ships go to the northern harbour.",
        ("When will the port reopen? status: was open → now leaning leans to: now In weeks "
         "evidence on “Within days”: was 0 for, 0 against → now 0 for, 1 against "
         "evidence on “In weeks”: was 1 for, 0 against → now 2 for, 0 against"),
        "new The port authority expects weeks of repairs."]
    assert "<del>open</del>" in section and "<ins>leaning</ins>" in section
    assert "<del>Ships go to the northern harbour.</del>" in section


def _badges(html: str) -> list[tuple[str, str, bool, str]]:
    """(word, version, shown without JS, the id of the row it sits in) for every badge."""
    out = []
    for m in re.finditer(r'<span class="bg-change bg-change--(\w+)"[^>]*data-bg-changed="([\d-]+)"[^>]*>', html):
        row = re.findall(r'id="([^"]+)"', html[: m.start()])[-1]
        out.append((m.group(1), m.group(2), " hidden" not in m.group(0), row))
    return out


def test_rows_changed_in_the_latest_version_carry_a_badge_on_every_page_kind(built):
    root, _ = built
    questions = _badges((root / "site/velmor/questions/index.html").read_text("utf-8"))
    assert ("updated", "2024-12-03", True, "q-reopening-h") in questions
    assert ("new", "2024-12-03", True, "q-reopening-e2") in questions
    facts = _badges((root / "site/velmor/facts/index.html").read_text("utf-8"))
    # changed in the version before: marked for readers whose last visit was older, hidden otherwise
    assert ("updated", "2024-12-02", False, "fact-cranes") in facts
    assert ("new", "2024-12-02", False, "fact-repairs") in facts
    source = _badges((root / "site/velmor/sources/courier/index.html").read_text("utf-8"))
    assert [(w, v, shown) for w, v, shown, _ in source] == [("new", "2024-12-02", False)]
    summary = (root / "site/velmor/index.html").read_text("utf-8")
    assert not [b for b in _badges(summary) if b[3] == "summary-1"]  # unchanged statement


def test_changes_page_lists_every_version_newest_first_with_permalinks(built):
    root, commits = built
    page = SiteReader(root / "site").page("velmor/changes/index.html")
    versions = [i for i in page.ids if re.fullmatch(r"v-\d{4}-\d\d-\d\d", i)]
    assert versions == ["v-2024-12-03", "v-2024-12-02", "v-2024-12-01"]
    # Dates and words, never bare commit ids (briefing.json keeps those for programs).
    assert not [c for c in commits if c[:7] in page.text]
    assert "What changed since the version of 1 Dec 2024" in " ".join(page.ids["v-2024-12-02"].split())
    assert "The first version" in page.ids["v-2024-12-01"]
    assert "new Northern Courier: Velmor cranes out of action" in page.ids["v-2024-12-02"]
    assert "corroboration: was single source → now corroborated" in " ".join(page.ids["v-2024-12-02"].split())
    assert any(link.href == "#v-2024-12-02" for link in page.links)


def test_versions_log_is_on_the_page_but_not_in_the_search_index(built):
    """A search lands on a row as it is now, not on each version's account of it."""
    root, _ = built
    logged = "new Northern Courier: Velmor cranes out of action"
    assert logged in SiteReader(root / "site").page("velmor/changes/index.html").text
    docs = json.loads((root / "site/search/search_index.json").read_text("utf-8"))["docs"]
    assert any(d["location"].startswith("velmor/changes/") for d in docs)  # the page is still found
    assert not [d["location"] for d in docs if "Velmor cranes out of action" in d["text"]
                and d["location"].startswith("velmor/changes/")]


def test_pages_link_the_feeds_from_their_head(built):
    root, _ = built
    html = (root / "site/velmor/facts/index.html").read_text("utf-8")
    # rel is a list of words to feed readers; not exactly "alternate", which Material takes for
    # another language of the site and fetches a sitemap.xml beside (a 404 in a briefing folder)
    feeds = re.findall(r'<link rel="alternate feed" type="application/atom\+xml"[^>]*href="([^"]+)"', html)
    assert '<link rel="alternate"' not in html
    # from velmor/facts/: the site's feed and velmor/feed.xml (and both files exist)
    assert sorted(feeds) == ["../../feed.xml", "../feed.xml"]
    assert all((root / "site/velmor/facts" / f).resolve().is_file() for f in feeds)


def test_uncommitted_edits_are_the_current_version(tmp_path):
    root = tmp_path / "p"
    commits = history_project(root, commits=2)  # the third version only in the working tree
    history = read_history(root, ["velmor"], None)
    assert [(s.as_of, c) for s, c in history.of("velmor")] == [("2024-12-01", commits[0]),
                                                               ("2024-12-02", commits[1])]
    result = CliRunner().invoke(main, ["-C", str(root), "diff"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "content/velmor: 2024-12-02 -> 2024-12-03: 3 changes"
    assert any(re.match(r"\s+changed\s+question\s+Question “When will the port reopen\?”: status moved "
                        r"from open to leaning", x) for x in lines)
    since = CliRunner().invoke(main, ["-C", str(root), "diff", "velmor", "--since", "2024-12-01"])
    assert since.output.splitlines()[0] == "content/velmor: 2024-12-01 -> 2024-12-03: 6 changes"


def _build(root: Path) -> list[str]:
    """`briefgen build` as a user runs it; returns its log lines (it must pass)."""
    done = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(root), "build"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stderr.splitlines()


def test_no_git_builds_and_says_history_is_not_available(tmp_path):
    root = tmp_path / "p"
    history_project(root)
    shutil.rmtree(root / ".git")
    log = _build(root)
    assert any(x.startswith("INFO") and "History not available: the project is not in a git repository" in x
               for x in log), log
    doc = json.loads((root / "site/velmor/briefing.json").read_text("utf-8"))
    assert doc["version"] == {"as_of": "2024-12-03", "commit": None} and doc["changes"] == []
    assert not (root / "site/velmor/changes").exists()
    assert 'id="bg-whatchanged"' not in (root / "site/velmor/index.html").read_text("utf-8")
    result = CliRunner().invoke(main, ["-C", str(root), "diff"])
    assert result.exit_code == 0 and "History not available" in result.output


def test_shallow_clone_builds_and_says_history_is_not_available(tmp_path):
    origin = tmp_path / "origin"
    history_project(origin)
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(tmp_path / "clone")],
                   check=True, capture_output=True)
    log = _build(tmp_path / "clone")
    assert any(x.startswith("INFO") and "History not available: this is a shallow clone" in x for x in log), log
    doc = json.loads((tmp_path / "clone/site/velmor/briefing.json").read_text("utf-8"))
    assert doc["changes"] == []


def test_a_briefing_never_committed_builds_and_says_so(tmp_path):
    root = tmp_path / "p"
    history_project(root, commits=0)
    git(root, "add", "mkdocs.yml")
    git(root, "commit", "-q", "-m", "settings only")
    log = _build(root)
    assert any(x.startswith("INFO") and "content/velmor: never committed" in x for x in log), log
    assert json.loads((root / "site/velmor/briefing.json").read_text("utf-8"))["changes"] == []


def test_history_reads_from_a_worktree_and_a_project_below_the_repository_root(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    commits = history_project(repo / "site-project")  # its own repo: nest it in a bigger one
    shutil.rmtree(repo / "site-project/.git")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "all at once")
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"))
    assert (tmp_path / "wt/.git").is_file()
    history = read_history(tmp_path / "wt/site-project", ["velmor"], None)
    assert history.unavailable is None
    assert [s.as_of for s, _ in history.of("velmor")] == ["2024-12-03"]
    assert len(commits) == 3


def test_history_cache_gives_the_same_snapshots(tmp_path):
    root = tmp_path / "p"
    history_project(root)
    cold = read_history(root, ["velmor"], root / ".briefgen-cache")
    assert (root / ".briefgen-cache/history.json").is_file()
    warm = read_history(root, ["velmor"], root / ".briefgen-cache")
    assert warm == cold and len(cold.of("velmor")) == 3


def test_a_commit_after_a_cached_build_is_a_new_version(tmp_path):
    """The cache keeps the versions found at one HEAD; a new commit must still be read."""
    root = tmp_path / "p"
    commits = history_project(root, commits=2)  # version 3 waits in the working tree
    cache = root / ".briefgen-cache"
    assert [s.as_of for s, _ in read_history(root, ["velmor"], cache).of("velmor")] == ["2024-12-01", "2024-12-02"]
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "version 3")
    third = git(root, "rev-parse", "HEAD").strip()
    warm = read_history(root, ["velmor"], cache)
    assert [(s.as_of, c) for s, c in warm.of("velmor")] == [("2024-12-01", commits[0]), ("2024-12-02", commits[1]),
                                                            ("2024-12-03", third)]
    assert warm == read_history(root, ["velmor"], None)  # the same as reading without a cache


def _as_ofs(history) -> list[str]:
    return [s.as_of for s, _ in history.of("velmor")]


def _amend(root: Path) -> None:  # the second version rewritten with another date
    text = (root / "content/velmor/briefing.yml").read_text("utf-8")
    (root / "content/velmor/briefing.yml").write_text(text.replace("as_of: 2024-12-03", "as_of: 2024-12-05"), "utf-8")
    git(root, "commit", "-q", "-a", "--amend", "-m", "third version, redated")


def _merge_branch(root: Path) -> None:  # the cached HEAD becomes the second parent of a merge
    git(root, "checkout", "-q", "-b", "other", "HEAD~1")
    (root / "notes.txt").write_text("not a briefing\n", "utf-8")
    git(root, "add", "notes.txt")
    git(root, "commit", "-q", "-m", "elsewhere")
    git(root, "merge", "-q", "--no-ff", "-m", "merge", "main")


def _source_only(root: Path) -> None:  # a commit that keeps as_of: it becomes that date's version
    (root / "content/velmor/sources/wire.md").write_text(
        (root / "content/velmor/sources/wire.md").read_text("utf-8") + "\nA late paragraph.\n", "utf-8")
    git(root, "commit", "-q", "-a", "-m", "a source corrected")


@pytest.mark.parametrize("change, expected", [
    (lambda root: git(root, "reset", "-q", "--hard", "HEAD~1"), ["2024-12-01", "2024-12-02"]),
    (_amend, ["2024-12-01", "2024-12-02", "2024-12-05"]),
    (_merge_branch, ["2024-12-01", "2024-12-02", "2024-12-03"]),
    (_source_only, ["2024-12-01", "2024-12-02", "2024-12-03"]),
], ids=["reset", "amend", "merge", "source-only"])
def test_history_after_head_moves_equals_a_read_without_cache(tmp_path, change, expected):
    """The cache reads only the commits since its HEAD when that HEAD is on the first-parent line
    of the new one, and everything again when it is not; either way the same as no cache."""
    root = tmp_path / "p"
    history_project(root)
    git(root, "branch", "-q", "-M", "main")
    cache = root / ".briefgen-cache"
    assert _as_ofs(read_history(root, ["velmor"], cache)) == ["2024-12-01", "2024-12-02", "2024-12-03"]
    change(root)
    warm = read_history(root, ["velmor"], cache)
    assert _as_ofs(warm) == expected
    assert warm == read_history(root, ["velmor"], None)
    head = git(root, "rev-parse", "HEAD").strip()
    if change is _source_only:  # the newest version is now the commit that corrected the source
        assert warm.of("velmor")[-1][1] == head


def _forge(path: Path, edit) -> None:
    """Edit history.json's entries and seal them again, as someone who read the code could."""
    from briefgen.caches.parsecache import digest

    header, _, body = path.read_bytes().partition(b"\n")
    stamp = json.loads(header)["stamp"]
    doc = json.loads(body)
    edit(doc)
    body = json.dumps(doc).encode()
    path.write_bytes(json.dumps({"stamp": stamp, "digest": digest(stamp, body)}).encode() + b"\n" + body)


def _option_head(doc):  # a HEAD that git would read as an option writing a file
    doc["head"][0] = "--output=written-by-git"


def _option_commit(doc):
    doc["head"][2][0][2] = "--output=written-by-git"


def _second_request(doc):  # a tree id that would be two requests on cat-file's stdin
    doc["head"][2][0][3] += "\nHEAD"


def _foreign_kind(doc):
    doc["rows"][0][1] = "no-such-kind"


def _not_a_date(doc):
    for shot in doc["snapshots"].values():
        shot[0] = "yesterday"


def _impossible_date(doc):
    for shot in doc["snapshots"].values():
        shot[0] = "2024-02-30"


def _odd_fields(doc):  # what describe() and the templates would trip on
    for row in doc["rows"]:
        if row[1] == "question":
            row[3]["hypotheses"] = ["a", "list"]
            row[3]["tallies"] = {"soon": "many"}


@pytest.mark.parametrize("edit", [_option_head, _option_commit, _second_request, _foreign_kind, _not_a_date,
                                  _impossible_date, _odd_fields])
def test_a_forged_history_cache_reads_as_no_cache(tmp_path, edit):
    root = tmp_path / "p"
    history_project(root, commits=2)
    cache = root / ".briefgen-cache"
    read_history(root, ["velmor"], cache)
    git(root, "commit", "-q", "-a", "-m", "version 3")  # HEAD moves: the cached HEAD is read
    _forge(cache / "history.json", edit)
    assert read_history(root, ["velmor"], cache) == read_history(root, ["velmor"], None)
    assert not list(root.glob("written-by-git*"))


def test_a_damaged_history_cache_is_ignored(tmp_path):
    root = tmp_path / "p"
    history_project(root)
    cache = root / ".briefgen-cache"
    read_history(root, ["velmor"], cache)
    data = bytearray((cache / "history.json").read_bytes())
    data[len(data) // 2] ^= 0x20  # one flipped bit in the entries
    (cache / "history.json").write_bytes(bytes(data))
    assert read_history(root, ["velmor"], cache) == read_history(root, ["velmor"], None)
    header = json.loads((cache / "history.json").read_bytes().partition(b"\n")[0])
    assert set(header) == {"stamp", "digest"}  # rewritten, sealed


def test_the_example_briefing_has_a_history_in_this_repository():
    history = read_history(REPO, ["khmeimim"], None)
    if history.unavailable:
        pytest.skip(f"this checkout has no history: {history.unavailable}")
    dates = [s.as_of for s, _ in history.of("khmeimim")]
    assert "2024-12-13" in dates and "2024-12-14" in dates
    assert all(d.startswith("2024-12") for d in dates)


# -- matching rows between versions (pure) ---------------------------------------------------------

def _snap(*rows: tuple[str, str, str]) -> Snapshot:
    return Snapshot("2024-01-01", tuple(Row(i, k, text, {"text": text}) for k, i, text in rows))


def test_statements_without_id_match_by_text_before_position():
    old = _snap(("summary", "summary-1", "A"), ("summary", "summary-2", "B"))
    new = _snap(("summary", "summary-1", "New first"), ("summary", "summary-2", "A"), ("summary", "summary-3", "B"))
    assert [(c.id, c.change) for c in compare(old, new)] == [("summary-1", "added")]


def test_statements_without_id_at_the_same_place_with_new_text_changed():
    old = _snap(("summary", "summary-1", "A"), ("summary", "summary-2", "B"))
    new = _snap(("summary", "summary-1", "A"), ("summary", "summary-2", "B, reworded"))
    changes = compare(old, new)
    assert [(c.id, c.change, c.before, c.after) for c in changes] == [
        ("summary-2", "changed", {"text": "B"}, {"text": "B, reworded"})]


def test_statements_with_an_id_match_exactly():
    old = _snap(("summary", "exit", "Russia leaves"), ("fact", "fact-x", "one"))
    new = _snap(("summary", "exit", "Russia stays"), ("fact", "fact-y", "one"))
    assert sorted((c.id, c.change) for c in compare(old, new)) == [
        ("exit", "changed"), ("fact-x", "removed"), ("fact-y", "added")]


@pytest.mark.parametrize("line", [b"as_of: 2024-12-14", b"as_of: 2024-12-14T09:30Z",
                                  b"as_of: '2024-12-14T09:30:00+02:00'  # morning",
                                  b"as_of: 2024-12-14 09:30:00"])
def test_a_committed_as_of_with_a_time_of_day_is_still_its_day(line: bytes):
    """The loader reads a date-time `as_of` as its day; history must date that version the same,
    or the commit is never found as a version."""
    from briefgen.history.versions import _as_of

    assert _as_of(b"title: T\n" + line + b"\nsummary: []\n") == "2024-12-14"
    assert _as_of(b"{title: T, " + line.split(b"  #")[0] + b"}\n") == "2024-12-14"
