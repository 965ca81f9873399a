"""Both engines side by side (#26): briefgen with MkDocs against its (Markdown) twin built by
MkDocs, and briefgen with Zensical against the same twin built by Zensical, in the same run.

Each engine is compared with its own build of that twin, so the ratio says what briefgen costs
on that engine; the two engines' times say what choosing one costs. Zensical keeps a cache in the
project it builds (`.cache/`): its twin is timed cold (`zensical build --clean`) and again from
the cache that build left. briefgen stages a fresh project for Zensical on every build, so its
builds are cold; the twin's cold time is its fair baseline.
"""

from __future__ import annotations

import importlib.util
import math
import shutil
import sys
from pathlib import Path

from drive import Driver, Series, bg_build, say, twin_build
from report import W, num


def available() -> bool:
    return importlib.util.find_spec("zensical") is not None


def zensical_twin(project: Path, clean: bool) -> list[str]:
    clean_cache = ["--clean"] if clean else []
    return [sys.executable, "-m", "zensical", "build", "-f", str(project / "mkdocs.yml"), *clean_cache]


def measure_engines(drv: Driver, bg: Path, twin: Path, repeat: int) -> dict[str, Series]:
    """`repeat` interleaved rounds: briefgen and twin on MkDocs, briefgen and twin (cold, then
    from its cache) on Zensical. The Zensical twin builds into a copy, so MkDocs' twin is as it was."""
    ztwin = twin.parent / f"{twin.name}-zensical"
    shutil.rmtree(ztwin, ignore_errors=True)
    shutil.copytree(twin, ztwin, ignore=shutil.ignore_patterns("site"))
    out = {k: Series() for k in ("bg_mkdocs", "twin_mkdocs", "bg_zensical", "twin_zensical", "twin_zensical_cached")}
    for i in range(repeat):
        out["bg_mkdocs"].runs.append(drv.run(bg_build(bg)))
        out["twin_mkdocs"].runs.append(drv.run(twin_build(twin)))
        out["bg_zensical"].runs.append(drv.run([*bg_build(bg), "--engine", "zensical"]))
        out["twin_zensical"].runs.append(drv.run(zensical_twin(ztwin, clean=True), cwd=ztwin))
        out["twin_zensical_cached"].runs.append(drv.run(zensical_twin(ztwin, clean=False), cwd=ztwin))
        say(f"  run {i + 1}/{repeat}: " + ", ".join(f"{k} {s.runs[-1].wall:.2f} s" for k, s in out.items()))
    shutil.rmtree(ztwin, ignore_errors=True)
    return out


def engine_lines(m: dict[str, Series], n_sources: int, repeat: int) -> tuple[list[str], dict[str, float]]:
    def ratio(a: str, b: str) -> float:
        x, y = m[a].median(), m[b].median()
        return x / y if y and not math.isnan(y) else float("nan")

    rows = [("MkDocs + Material", "bg_mkdocs", "twin_mkdocs"), ("Zensical", "bg_zensical", "twin_zensical")]
    lines = ["", f"engines, {n_sources} sources, median of {repeat} (wall, CPU user+sys):",
             f"  {'engine':<20} {'briefgen':>16} {'twin':>16} {'ratio':>7}"]
    for label, b, t in rows:
        lines.append(f"  {label:<20} {num(m[b].median(), 6, ' s')} {num(m[b].median('cpu'), 5, ' s')}"
                     f" {num(m[t].median(), 6, ' s')} {num(m[t].median('cpu'), 5, ' s')} {num(ratio(b, t), 6, 'x')}")
    lines.append(f"  {'Zensical twin from its cache':<{W - 4}}{num(m['twin_zensical_cached'].median(), 7, ' s')}")
    lines.append(f"  {'briefgen: Zensical / MkDocs':<{W - 4}}{num(ratio('bg_zensical', 'bg_mkdocs'), 7, 'x')}")
    results = {"ratio_mkdocs": ratio("bg_mkdocs", "twin_mkdocs"),
               "ratio_zensical": ratio("bg_zensical", "twin_zensical"),
               "zensical_over_mkdocs": ratio("bg_zensical", "bg_mkdocs")}
    return lines, results
