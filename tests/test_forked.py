"""Rendering shared with a forked child (briefgen/forked.py): the same results in the same
order, errors raised in this process, and a multi-briefing build byte-for-byte the build
BRIEFGEN_JOBS=1 makes.

briefgen only forks from a process with no other thread, and the browser tests leave server
threads running in this one, so each case runs in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from briefgen import forked
from conftest import REPO, tree_hash

pytestmark = pytest.mark.skipif(not (sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2),
                                reason="briefgen forks only on Linux with two or more CPUs")


def fresh(code: str, **env: str) -> dict:
    """Run code in a new interpreter (one thread) and return the JSON it prints last."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                            env={**os.environ, **env}, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_results_come_back_in_order_and_half_of_them_from_the_child():
    out = fresh("""
        import json, os
        from briefgen import forked
        out = forked.map_shared(lambda x: (x * x, os.getpid()), list(range(7)))
        print(json.dumps({"values": [v for v, _ in out], "here": os.getpid(),
                          "pids": [p for _, p in out], "split": forked.last_split}))
    """)
    assert out["values"] == [x * x for x in range(7)]
    assert set(out["pids"][0::2]) == {out["here"]}
    assert out["here"] not in out["pids"][1::2]
    assert out["split"] == [4, 3]


def test_an_error_in_the_childs_share_is_raised_here_and_the_child_is_reaped():
    out = fresh("""
        import json, os
        from briefgen import forked
        def fn(x):
            if x == 3:
                raise ValueError(f"item 3 is bad (in {os.getpid()})")
            return x
        try:
            forked.map_shared(fn, list(range(6)))
            raised = None
        except ValueError as exc:
            raised = str(exc)
        children = open(f"/proc/self/task/{os.getpid()}/children").read().split()
        print(json.dumps({"raised": raised, "here": os.getpid(), "children": children}))
    """)
    assert out["raised"] == f"item 3 is bad (in {out['here']})"  # raised by this process
    assert out["children"] == []  # no zombie


def test_jobs_1_or_another_thread_turns_it_off(monkeypatch):
    monkeypatch.setenv("BRIEFGEN_JOBS", "1")
    assert not forked.can_fork()
    assert forked.map_shared(lambda x: x + 1, [1, 2, 3]) == [2, 3, 4]
    assert forked.last_split == (3, 0)
    out = fresh("""
        import json, threading, time
        from briefgen import forked
        threading.Thread(target=time.sleep, args=(2,), daemon=True).start()
        forked.map_shared(lambda x: x, [1, 2, 3, 4])
        print(json.dumps({"split": forked.last_split}))
    """)
    assert out["split"] == [4, 0]


def _three_briefings(root):
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for copy in ("second", "third"):
        shutil.copytree(root / "content/khmeimim", root / "content" / copy)
    return root


BUILD = """
    import json, sys
    from pathlib import Path
    from briefgen import forked
    from briefgen.engine.site import build_site
    outcome = build_site(Path(sys.argv[1]) if len(sys.argv) > 1 else Path({root!r}))
    print(json.dumps({{"split": forked.last_split, "problems": [str(p) for p in outcome.report.sorted()],
                      "anchors": [sorted(r.anchor_of.values()) for r in outcome.resolved],
                      "same_checked": all(r.checked is c for r, c in zip(outcome.resolved, outcome.checked))}}))
"""


def test_a_shared_build_is_byte_for_byte_a_single_process_build(tmp_path):
    shared_root = _three_briefings(tmp_path / "shared")
    single_root = _three_briefings(tmp_path / "single")
    shared = fresh(BUILD.format(root=str(shared_root)))
    single = fresh(BUILD.format(root=str(single_root)), BRIEFGEN_JOBS="1")
    assert (shared["split"], single["split"]) == ([2, 1], [3, 0])
    assert tree_hash(shared_root / "site") == tree_hash(single_root / "site")
    assert shared["problems"] == single["problems"] and shared["anchors"] == single["anchors"]
    assert shared["same_checked"]


def test_a_template_error_in_a_shared_build_is_reported_at_its_line(tmp_path):
    root = _three_briefings(tmp_path / "p")
    (root / "templates").mkdir()
    facts = (REPO / "templates/facts.html").read_text()
    (root / "templates/facts.html").write_text(facts + "\n{{ b.no_such_field.x }}\n")
    shared = fresh(BUILD.format(root=str(root)))["problems"]
    single = fresh(BUILD.format(root=str(root)), BRIEFGEN_JOBS="1")["problems"]
    assert shared == single
    errors = [p for p in shared if ": error: " in p]
    assert len(errors) == 1 and errors[0].startswith("templates/facts.html:")
