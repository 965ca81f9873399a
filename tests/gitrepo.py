"""A site project in a temporary git repository with three versions of one briefing.

Version 1 (2024-12-01): two statements, a fact, an open question, one source.
Version 2 (2024-12-02): the fact's value changes (and, with a second source, its
corroboration), a fact is added, a source is added.
Version 3 (2024-12-03): the question moves from open to leaning and gains evidence (its tally
moves), the second statement is removed.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

WIRE = """\
---
title: Port shut after strike
outlet: Harbour Times
published: 2024-12-01
---
Officials said the port of Velmor was closed on Monday.

Two cranes were damaged in the strike, engineers reported.

Ships were diverted to the northern harbour, the coast guard said.
"""

COURIER = """\
---
title: Velmor cranes out of action
outlet: Northern Courier
---
The Northern Courier saw three damaged cranes at the quay.

Repairs could take weeks, according to the port authority.
"""

V1 = """\
title: Port closure at Velmor
as_of: 2024-12-01
summary:
  - text: The port of Velmor is closed.
    cite: [{wire: "the port of Velmor was closed"}]
  - text: Ships go to the northern harbour.
    cite: [{wire: "diverted to the northern harbour"}]
facts:
  - id: cranes
    fact: Damaged cranes
    value: Two cranes damaged
    cite: [{wire: "Two cranes were damaged"}]
questions:
  - id: reopening
    question: When will the port reopen?
    status: open
    hypotheses:
      - {id: soon, label: Within days}
      - {id: weeks, label: In weeks}
    evidence:
      - text: Ships are being sent elsewhere.
        cite: [{wire: "the coast guard said"}]
        bears: {weeks: for}
"""

V2 = V1.replace("as_of: 2024-12-01", "as_of: 2024-12-02").replace(
    """    value: Two cranes damaged
    cite: [{wire: "Two cranes were damaged"}]
""", """    value: Three cranes damaged
    cite: [{wire: "Two cranes were damaged"}, {courier: "three damaged cranes"}]
  - id: repairs
    fact: Repair time
    value: Weeks
    cite: [{courier: "Repairs could take weeks"}]
""")

V3 = V2.replace("as_of: 2024-12-02", "as_of: 2024-12-03").replace(
    """  - text: Ships go to the northern harbour.
    cite: [{wire: "diverted to the northern harbour"}]
""", "").replace("    status: open\n", "    status: leaning\n") + """\
      - text: The port authority expects weeks of repairs.
        cite: [{courier: "according to the port authority"}]
        bears: {weeks: for, soon: against}
"""

VERSIONS = [  # (message, files written in that commit)
    ("first version", {"content/velmor/briefing.yml": V1, "content/velmor/sources/wire.md": WIRE}),
    ("second version", {"content/velmor/briefing.yml": V2, "content/velmor/sources/courier.md": COURIER}),
    ("third version", {"content/velmor/briefing.yml": V3}),
]

MKDOCS = "site_name: Test briefings\ntheme: material\nplugins: [search]\n"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=root, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def history_project(root: Path, commits: int = 3, mkdocs: str = MKDOCS) -> list[str]:
    """Write the project under root, committing the first `commits` versions (the rest are
    written to the working tree only). Returns the commit ids, oldest first."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    write(root, {"mkdocs.yml": mkdocs, ".gitignore": "site/\n.briefgen-cache/\n"})
    ids = []
    for n, (message, files) in enumerate(VERSIONS):
        write(root, files)
        if n < commits:
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", message)
            ids.append(git(root, "rev-parse", "HEAD"))
    return ids
