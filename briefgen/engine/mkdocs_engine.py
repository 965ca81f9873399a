"""MkDocs + Material settings: what briefgen reads from mkdocs.yml and adds to MkDocs' config
(the nav of briefings, our CSS and JavaScript, our theme overrides).

Pages reach MkDocs as generated files whose HTML we already rendered and escaped, so MkDocs
runs no Markdown on them (Python-Markdown would pass raw HTML and `javascript:` links through).
"""

from __future__ import annotations

import html
import logging
import os
import stat
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Pos, UserError
from ..loading.paths import fix_for, read_bounded, refusal
from ..oserrors import clip
from ..stages.render import ASSETS, Page, package_templates
from ..urls import Urls
from . import beside
from .navigation import NAV_LABELS, builds_its_own_nav

log = logging.getLogger("mkdocs.briefgen")


NAV_BRIEFINGS = 10  # newest briefings listed in the nav; all of them are on the index page


@dataclass(frozen=True)
class Settings:
    site_dir: Path
    docs_dir: Path | None  # the project's own pages, if it has any
    use_directory_urls: bool
    site_name: str
    site_url: str | None
    nav_briefings: int = NAV_BRIEFINGS
    docs_setting: Path | None = None  # docs_dir as configured, whether or not it exists
    engine: str | None = None  # extra.briefgen.engine: which engine builds the site
    raw: dict[str, Any] = field(default_factory=dict)  # the config as read, for another engine's adapter


def _raw_config(config_file: Path, shown: str) -> dict[str, Any]:
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load  # understands !ENV and !relative like MkDocs does

    _check_is_a_file(config_file, shown)
    try:
        with config_file.open("rb") as f:
            raw = yaml_load(f) or {}
    except ConfigurationError as exc:  # MkDocs wraps the YAML error; its position is on the cause
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, yaml.YAMLError):
            mark = getattr(cause, "problem_mark", None)
            where = f"{config_file.name}:{mark.line + 1}:{mark.column + 1}" if mark else f"{config_file.name}:1:1"
            problem = getattr(cause, "problem", None) or str(cause).splitlines()[0]
            raise UserError(f"invalid YAML: {problem}", where) from None
        raise UserError(f"{config_file.name}: {exc}") from None
    except FileNotFoundError:
        raise UserError(f"{config_file.name}: no such file; run briefgen in the project root "
                        "(the folder with mkdocs.yml), or create a project with `briefgen init <dir>`") from None
    if not isinstance(raw, dict):
        raise UserError("the configuration must be a mapping of settings (site_name: ...), "
                        f"not a {type(raw).__name__}", f"{config_file.name}:1:1")
    return raw


def _check_is_a_file(config_file: Path, shown: str) -> None:
    """-f names the config file: a folder (`-f /etc`) or a FIFO (which would hang the read) is
    a mistake on the command line, said before anything is opened."""
    try:
        mode = config_file.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # said by the open below, with the hint to run in the project root
    except OSError as exc:
        raise UserError(f"{shown}: cannot read it ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise UserError(f"{shown} is a folder; name the MkDocs config file with -f "
                        "(such as mkdocs.yml), or leave -f out")
    if not stat.S_ISREG(mode):
        raise UserError(f"{shown} is not a regular file; name the MkDocs config file with -f "
                        "(such as mkdocs.yml)")


def config_problem(config_file: Path, project: Path) -> tuple[Pos, str] | None:
    """Where the config file, or a file it names with `INHERIT:` (MkDocs reads those too),
    breaks the rule every file of the project follows (loading/paths.py); None if none does.

    Run before MkDocs reads them under `briefgen build`; under plain `mkdocs build` MkDocs has
    read them already, and the build fails before anything is written. A config file named on
    the command line outside the project is the user's choice; what it inherits is not."""
    project = project.resolve()
    path, seen, named_at = _real_folder(config_file), set(), None
    while path not in seen:
        seen.add(path)
        shown = _shown(path, project)
        if not path.is_relative_to(project):
            if named_at is not None:
                return named_at, f"INHERIT names {shown}, outside the project; keep the inherited config in the project"
        elif (why := refusal(path, project)) is not None:
            return Pos(shown), f"{path.name!r} {why}; {fix_for(why)}"
        inherit = _inherit_of(path, shown)
        if inherit is None:
            return None
        named_at, path = inherit[0], _real_folder(path.parent / inherit[1])
    return (named_at or Pos(_shown(path, project)),
            "INHERIT loops: this file is inherited by a file it inherits; MkDocs would never stop")


def _real_folder(path: Path) -> Path:
    """`path` normalised as MkDocs joins it, in its folder's real place; its own link kept."""
    path = Path(os.path.normpath(os.path.abspath(path)))
    return path.parent.resolve() / path.name


def _shown(path: Path, project: Path) -> str:
    return path.relative_to(project).as_posix() if path.is_relative_to(project) else path.as_posix()


def _inherit_of(path: Path, shown: str) -> tuple[Pos, str] | None:
    """The `INHERIT:` of a config file (where it is written, what it names); None if it has none
    or cannot be read (MkDocs reports that). Composed, never constructed: no tag runs here."""
    data = read_bounded(path.resolve(), 1 << 24)  # a link inside the project is followed
    try:
        node = yaml.compose(data.decode("utf-8-sig"), Loader=yaml.SafeLoader) if data else None
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if key.value == "INHERIT" and isinstance(value, yaml.ScalarNode):
            return Pos(shown, key.start_mark.line + 1, key.start_mark.column + 1), str(value.value)
    return None


def read_settings(project: Path, config_file: str = "mkdocs.yml") -> Settings:
    # -f naming a folder or a FIFO is a mistake on the command line, said as such first.
    _check_is_a_file(project / config_file, clip(config_file))
    problem = config_problem(project / config_file, project)
    if problem is not None:
        raise UserError(problem[1], str(problem[0]))
    raw = _raw_config(project / config_file, clip(config_file))
    docs = project.resolve() / str(raw.get("docs_dir") or "docs")
    # MkDocs is handed a folder of briefgen's own when docs_dir is no folder: a docs/ that is a
    # link leading nowhere (or a FIFO) would be skipped without a word. It is refused instead.
    if os.path.lexists(docs) and not docs.is_dir() and (why := refusal(docs, project.resolve())):
        shown = _shown(docs, project.resolve())
        raise UserError(f"{docs.name!r} {why}; {fix_for(why)}", f"{shown}:1:1")
    limit = nav_limit(raw.get("extra"), config_file)
    return Settings(site_dir=project.resolve() / str(raw.get("site_dir") or "site"),
                    docs_dir=docs if docs.is_dir() else None, docs_setting=docs,
                    use_directory_urls=bool(raw.get("use_directory_urls", True)),
                    site_name=str(raw.get("site_name") or "Briefings"),
                    site_url=str(raw["site_url"]) if raw.get("site_url") else None,
                    nav_briefings=limit, engine=engine_setting(raw.get("extra"), config_file), raw=raw)


ENGINES = ("mkdocs", "zensical")


def engine_setting(extra: Any, config_file: str) -> str | None:
    ours = (extra.get("briefgen") or {}) if hasattr(extra, "get") else {}
    engine = ours.get("engine") if isinstance(ours, dict) else None
    if engine is not None and engine not in ENGINES:
        raise UserError(f"{config_file}: extra.briefgen.engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    return engine


def nav_limit(extra: Any, config_file: str) -> int:
    ours = (extra.get("briefgen") or {}) if hasattr(extra, "get") else {}
    limit = ours.get("nav_briefings", NAV_BRIEFINGS) if isinstance(ours, dict) else NAV_BRIEFINGS
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise UserError(f"{config_file}: extra.briefgen.nav_briefings must be a whole number, not {limit!r}")
    return limit


def settings_of(config: Any, nav_briefings: int = NAV_BRIEFINGS) -> Settings:
    """The same settings, read from MkDocs' loaded config (the plugin's view, which knows its
    own options)."""
    docs = Path(config.docs_dir)
    return Settings(site_dir=Path(config.site_dir), docs_dir=docs if docs.is_dir() else None,
                    use_directory_urls=bool(config.use_directory_urls), site_name=str(config.site_name),
                    site_url=config.site_url or None,
                    nav_briefings=nav_briefings)


def configure(config: Any, project: Path, settings: Settings, pages: list[Page], urls: Urls,
              languages: Collection[str] = ()) -> None:
    """Add what a briefing site needs to MkDocs' config: nav, our CSS and JS, theme overrides,
    and the content's languages to Material's search."""
    if not builds_its_own_nav(config):
        excluded = config.exclude_docs  # a pathspec, or None when mkdocs.yml sets none
        config.nav = site_nav(settings, config.nav, pages, urls,
                              lambda path: bool(excluded and excluded.match_file(path)),
                              lambda rel: beside.nav_path(config, rel))
    _search_languages(config, languages)
    for css in (f"assets/briefgen/{name}" for name in ASSETS if name.endswith(".css")):
        if css not in config.extra_css:
            config.extra_css.append(css)
    for js in (f"assets/briefgen/{name}" for name in ASSETS if name.endswith(".js")):
        if js not in [str(j) for j in config.extra_javascript]:
            config.extra_javascript.append(js)
    _theme_dirs(project, config.theme.dirs)
    _without_unsafe_features(config.theme)
    config.validation.nav.omitted_files = logging.DEBUG  # sources are reached from briefings


def site_nav(settings: Settings, user_nav: list[str | dict[str, object]] | None, pages: list[Page], urls: Urls,
             excluded: Callable[[str], bool] = lambda path: False,
             nav_path: Callable[[str], str] = str) -> list[str | dict[str, object]]:
    """User nav (or the user's pages, each named as `nav_path` says), then the newest briefings,
    each with its own three pages. A nav this made before (i18n builds each language with the
    same config) is the user's nav with our entries, which are left out of it here.

    Material renders the whole nav into every page, so a nav that grows with the content makes
    the build quadratic (design.md: 21.5 s for 1,000 pages with a flat nav). The index lists all
    briefings; the nav lists a fixed number."""
    nav: list[str | dict[str, object]] = [{"Briefings": urls.src("index")}]
    ours = {urls.src(p.name) for p in pages}
    if user_nav:
        nav += [item for item in user_nav if item != "index.md" and not _only_ours(item, ours)]
    elif settings.docs_dir:
        # A page exclude_docs leaves out of the site is left out of the nav too (MkDocs would say
        # the nav names a file it excluded).
        mine = (p.relative_to(settings.docs_dir).as_posix() for p in settings.docs_dir.rglob("*.md")
                if p.name != "index.md" or p.parent != settings.docs_dir)
        nav += sorted({nav_path(path) for path in mine if not excluded(path)} - {"index.md"})
    labels = NAV_LABELS
    newest = sorted((p for p in pages if p.kind == "summary"), key=lambda p: (p.meta["as_of"], p.name),
                    reverse=True)[: settings.nav_briefings]
    for p in newest:
        if p.kind == "summary":
            bid = p.meta["briefing"]
            own = [{labels[q.kind]: urls.src(q.name)} for q in pages
                   if q.meta.get("briefing") == bid and q.kind in labels and not q.meta.get("empty")]
            nav.append({html.escape(p.title): own})
    return nav


def _only_ours(item: Any, ours: set[str]) -> bool:
    """Whether a nav entry leads to briefgen's pages alone (one that an earlier build added)."""
    if isinstance(item, str):
        return item in ours
    if isinstance(item, dict):
        return bool(item) and all(_only_ours(v, ours) for v in item.values())
    return isinstance(item, list) and bool(item) and all(_only_ours(v, ours) for v in item)


def _search_languages(config: Any, languages: Collection[str]) -> None:
    """Material's search splits, trims and stems words per language (lunr): with English alone, a
    Russian, Greek or Arabic word is trimmed to nothing and never found. Each language it ships
    support for is added to the search plugin's `lang`, after the ones the user set."""
    plugin = next((p for name, p in config.plugins.items() if name in ("material/search", "search")), None)
    lang = getattr(getattr(plugin, "config", None), "lang", None)
    if plugin is None or not isinstance(lang, list):
        return
    if not lang:  # its own on_config has not run yet (it is listed after briefgen): its default first
        lang.append(str(config.theme.get("language") or "en").split("-")[0])
    supported = _lunr_languages()
    for code in sorted(set(languages) - set(lang)):
        if code in supported:
            lang.append(code)


def _lunr_languages() -> set[str]:
    import material

    found = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr" / "min"
    return {"en"} | {p.name.split(".")[1] for p in found.glob("lunr.*.min.js")}


# Material features that parse text of the page as HTML. content.tooltips turns `title` attributes
# into tooltips with innerHTML, and Material itself titles every cut-off navigation or header label
# with its text, which here is a briefing's or article's title: text from content would run.
UNSAFE_FEATURES = ("content.tooltips",)


def _without_unsafe_features(theme: Any) -> None:
    features = theme.get("features") or []
    unsafe = [f for f in features if f in UNSAFE_FEATURES]
    if unsafe:
        theme["features"] = [f for f in features if f not in UNSAFE_FEATURES]
        logging.getLogger("mkdocs.briefgen").info(
            f"theme feature {', '.join(unsafe)} is left off: it would show titles from articles as HTML")


def _theme_dirs(project: Path, dirs: list[str]) -> None:
    """Our theme overrides (link-preview tags) go before Material's, after the user's own."""
    ours = [str(d) for d in (project / "templates" / "theme", package_templates() / "theme") if d.is_dir()]
    material = next((i for i, d in enumerate(dirs) if Path(d).name == "material"
                     or Path(d).parent.name == "material"), 0)
    for d in reversed(ours):
        if d not in dirs:
            dirs.insert(material, d)
