"""A small briefing in English, Greek and Arabic (and an accent written decomposed, NFD), for the
search tests: its index entries are written out by hand in tests/test_search.py."""

from __future__ import annotations

from pathlib import Path

CAFE_NFD = "cafe\u0301"  # "café" as e + a combining acute accent

BRIEFING = f"""\
title: Harbour closes
as_of: 2024-12-14
summary:
  - text: The port has been *closed* since Monday.
    cite:
      - greek: "το λιμάνι παραμένει κλειστό από τη Δευτέρα"
  - text: Οι αρχές λένε ότι το λιμάνι είναι κλειστό.
    cite:
      - greek: "Οι λιμενικές αρχές ανακοίνωσαν"
  - text: توقفت الرافعات عن العمل منذ يوم الاثنين.
    cite:
      - arabic: "الرافعات توقفت عن العمل منذ يوم الاثنين"
facts:
  - id: port
    fact: Λιμάνι
    value: Κλειστό από τη *Δευτέρα*
    cite:
      - greek: "ανακοίνωσαν ότι"
  - id: ships
    fact: Ships
    value: Left the port before the weekend
    cite:
      - arabic: "السفن غادرت الميناء"
      - wire: "two ships were still moored at the quay"
        disputes: true
questions:
  - id: reopen
    question: Will the port reopen this week?
    hypotheses:
      - id: reopens
        label: It reopens by Friday
      - id: stays
        label: It stays closed
    evidence:
      - text: قالت السلطات إن الرافعات متوقفة
        cite:
          - arabic: "قالت السلطات"
        bears: {{reopens: against, stays: for}}
timeline:
  - date: 2024-12-09
    text: A {CAFE_NFD} owner sees the cranes at work.
    cite: [{{wire: "the cranes still worked on Tuesday"}}]
"""

GREEK = """\
---
title: Το λιμάνι κλείνει
outlet: Ελληνικό Πρακτορείο
published: 2024-12-12
url: https://gr.example/limani
lang: el
---

Οι λιμενικές αρχές ανακοίνωσαν ότι το λιμάνι παραμένει κλειστό από τη Δευτέρα.
"""

ARABIC = """\
---
title: إغلاق الميناء
outlet: وكالة الأنباء
published: 2024-12-13
url: https://ar.example/port
lang: ar
---

قالت السلطات إن الرافعات توقفت عن العمل منذ يوم الاثنين. وأضافت أن السفن غادرت الميناء.
"""

WIRE = f"""\
---
title: Cranes still working
outlet: Harbour Wire
published: 2024-12-10
url: https://wire.example/cranes
---

A {CAFE_NFD} owner said the cranes still worked on Tuesday, and two ships were still moored at the quay.
"""

FILES = {
    "content/harbour/briefing.yml": BRIEFING,
    "content/harbour/sources/greek.md": GREEK,
    "content/harbour/sources/arabic.md": ARABIC,
    "content/harbour/sources/wire.md": WIRE,
}

MKDOCS = "site_name: Search test\ntheme:\n  name: material\n  font: false\nplugins: [search]\n"


def fill(project: Path) -> None:
    """Write the project (with a mkdocs.yml for the browser: system fonts, nothing fetched)."""
    for name, text in {**FILES, "mkdocs.yml": MKDOCS}.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
