"""The one way cache files are kept (briefgen/caches/sealed.py): what was sealed reads back as it
was written, and anything else (missing, another stamp, one byte changed, cut short, a body of
the wrong shape) reads as a miss, never as an error."""

from __future__ import annotations

import unicodedata

import pytest

from briefgen.caches.sealed import pack, read_sealed, unpack, write_sealed

TEXTS = ["Ταρτούς — Тартус", "ميناء طرطوس", unicodedata.normalize("NFD", "Café Kharkiv"), "", "<p>\"a\" & b</p>\n"]


def test_what_is_sealed_reads_back_as_written(tmp_path):
    path = tmp_path / "c" / "one.page"
    assert write_sealed(path, "stamp/1", *pack({"entries": ["Ελλάδα"]}, TEXTS))
    body = read_sealed(path, "stamp/1")
    assert body is not None
    assert unpack(body) == ({"entries": ["Ελλάδα"]}, TEXTS)
    assert [p.name for p in path.parent.iterdir()] == ["one.page"]  # no temporary file left


@pytest.mark.parametrize("damage", ["missing", "stamp", "flipped", "cut", "header"])
def test_anything_else_reads_as_a_miss(tmp_path, damage):
    path = tmp_path / "one.page"
    write_sealed(path, "stamp/1", *pack(None, TEXTS))
    data = path.read_bytes()
    if damage == "missing":
        path.unlink()
    elif damage == "flipped":
        at = len(data) - 3
        path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    elif damage == "cut":
        path.write_bytes(data[:-5])
    elif damage == "header":
        path.write_bytes(b"{not json\n" + data.split(b"\n", 1)[1])
    stamp = "stamp/2" if damage == "stamp" else "stamp/1"
    assert read_sealed(path, stamp) is None


@pytest.mark.parametrize("body", [b"", b"no line", b'{"sizes": [3]}\nab', b'{"sizes": [-1]}\n', b'{"sizes": "3"}\nabc',
                                  b'[1]\nabc', b'{"sizes": [2]}\n\xff\xfe'])
def test_a_body_of_another_shape_is_not_unpacked(body):
    assert unpack(memoryview(body)) is None


def test_a_place_it_cannot_write_is_no_error(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder would be")
    assert write_sealed(blocker / "pages" / "one.page", "s", b"x") is False
    assert blocker.read_text() == "a file where the folder would be"


def test_a_fifo_or_a_folder_under_a_cache_files_name_is_a_miss_without_waiting(tmp_path):
    """Opened without waiting: a FIFO planted as a cache file (site.json, sources/<key>.json)
    had held a build until someone wrote to it. In a process of its own, so a regression fails
    by its time limit instead of hanging the suite."""
    import os
    import subprocess
    import sys

    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "folder.json").mkdir()
    code = ("import sys; from pathlib import Path; from briefgen.caches.sealed import read_sealed; "
            "print([read_sealed(Path(sys.argv[1]) / n, 's') for n in ('fifo.json', 'folder.json')])")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[None, None]"
