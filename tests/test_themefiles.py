"""The theme's files are listed without walking dot folders (engine/themefiles.py): the site
still gets every static file MkDocs would copy, and none it would not."""

from __future__ import annotations

from pathlib import Path

import jinja2
import material
import mkdocs
from conftest import build_ok, make_project
from test_build import small_files

from briefgen.engine.themefiles import _Listing, list_without_dot_folders

MATERIAL = Path(material.__file__).parent / "templates"
MKDOCS = Path(mkdocs.__file__).parent / "templates"


def _mkdocs_keeps(name: str) -> bool:
    # MkDocs 1.6's rule for a theme file, as its documentation and Files.add_files_from_theme say:
    # no part starting with a dot, no templates, no Python, no Markdown, no translations.
    parts = name.lower().split("/")
    return not (any(p.startswith(".") for p in parts) or name.endswith((".html", ".py", ".pyc", ".md"))
                or "readme" in parts[-1] or name == "mkdocs_theme.yml" or name.startswith("locales/"))


def test_the_listing_skips_dot_folders_and_keeps_every_file_mkdocs_copies(tmp_path):
    theme = tmp_path / "theme"
    for name in ("extra/kept.css", "extra/deeper/kept.js", ".hidden/secret.css", "extra/.nested/x.css",
                 "extra/.dotfile.css", "top.svg"):
        (theme / name).parent.mkdir(parents=True, exist_ok=True)
        (theme / name).write_text("x", encoding="utf-8")
    dirs = [str(theme), str(MATERIAL), str(MKDOCS)]
    plain = jinja2.FileSystemLoader(dirs).list_templates()
    listed = _Listing(dirs).list_templates()
    assert not [n for n in listed if any(p.startswith(".") for p in n.split("/")[:-1])]  # no dot folder walked
    assert len(plain) > 14000 > len(listed)  # Material's icons were in the plain listing
    assert [n for n in listed if _mkdocs_keeps(n)] == [n for n in plain if _mkdocs_keeps(n)]
    assert {"extra/kept.css", "extra/deeper/kept.js", "top.svg", "extra/.dotfile.css"} <= set(listed)


def test_an_icon_still_loads_by_its_dot_folder_name():
    class Theme:
        def get_env(self) -> jinja2.Environment:
            return jinja2.Environment(loader=jinja2.FileSystemLoader([str(MATERIAL)]))

    theme = Theme()
    list_without_dot_folders(theme)
    list_without_dot_folders(theme)  # a second call (serve's next build) wraps nothing twice
    env = theme.get_env()
    assert type(env.loader) is _Listing
    assert "<svg" in env.get_template(".icons/material/magnify.svg").render()


def test_a_site_gets_the_theme_s_static_files_and_not_its_dot_folders(tmp_path):
    files = small_files()
    files["templates/theme/extra/kept.css"] = "p { color: teal }\n"
    files["templates/theme/.hidden/secret.css"] = "p { color: red }\n"
    files["templates/theme/extra/.nested/x.css"] = "p { color: red }\n"
    project = make_project(tmp_path, files)
    build_ok(project)
    site = project / "site"
    assert (site / "extra/kept.css").read_text(encoding="utf-8") == "p { color: teal }\n"
    assert not (site / ".hidden").exists() and not (site / "extra/.nested").exists()
    assert list((site / "assets/javascripts").glob("bundle.*.min.js"))  # Material's own, from its folder
    assert "<svg" in (site / "harbour/index.html").read_text(encoding="utf-8")  # icons from .icons/
