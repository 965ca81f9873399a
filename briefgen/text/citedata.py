"""What select-to-cite needs of a source page (templates/assets/cite.js): the text of each block
a quote may be matched in, normalised as `check` normalises it, and the rules it did that by.

A page cannot run Python. So that the script's verdict is `check`'s, it is handed the very
strings `check` searches (one per block, in order, joined as SourceIndex joins them) and the
tables of normalise.py; it then only has to normalise the reader's selection, by those rules.
Emitted only when a build asks for it (serve, or the plugin's `select_to_cite`), never for a
source published as excerpts, whose other words must appear nowhere.
"""

from __future__ import annotations

import json

from .normalise import rules
from .sourcetext import SourceDoc

SCRIPT_ID = "bg-cite-data"


def cite_data(doc: SourceDoc) -> dict[str, object]:
    """Blocks as [element id, normalised text, whether a dropped block came just before it]."""
    blocks = doc.blocks
    after_drop = set()
    for d in doc.dropped:  # the first block below a dropped one (lines are the file's)
        after_drop.add(next((k for k, b in enumerate(blocks) if b.line > d.line), len(blocks)))
    return {"source": doc.source.id, "rules": rules(),
            "blocks": [[b.anchor, doc.index.part(k), k in after_drop] for k, b in enumerate(blocks)]}


def cite_script(doc: SourceDoc) -> str:
    """The data as an inert JSON script element. `<`, `>` and `&` are escaped, so no text of
    the source can close the element or open a comment."""
    data = json.dumps(cite_data(doc), ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{SCRIPT_ID}">{data}</script>'
