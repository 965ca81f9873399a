"""How briefgen's pages fit beside other MkDocs plugins: what they read of a page, and where
its file sits in MkDocs' file list.

- Material's tags and search, and feed plugins, read a page's meta (pagemeta.py); the theme and
  tag listings print it unescaped, feeds escape it themselves (plugin.py hands them plain text).
- mkdocs-static-i18n rebuilds every file in its own on_files (run last): it makes each one again
  from `docs_dir` and `abs_src_path`, so a generated file without a source path crashes it and
  a page whose source lies outside `docs_dir` is dropped with a warning. Beside it, briefgen
  adds its files after it has run, and builds the pages of each other language into that
  language's folder, as i18n itself does with a page that has no translation.
- git-revision-date-localized dates a generated file by the build's clock. A page backed by the
  file it is made from (briefing.yml, a published source) is dated by that file's commits.
"""

from __future__ import annotations

import posixpath
from types import SimpleNamespace
from typing import Any

from mkdocs.structure.files import File

from .pagemeta import page_meta as page_meta  # one definition for both engines

I18N = "i18n"


def rebuilds_files(config: Any) -> bool:
    """Whether a plugin that makes every file anew in on_files runs in this build."""
    return I18N in config.plugins


def language_folder(config: Any) -> str:
    """The folder i18n builds the current language into: '' for the default language."""
    plugin = config.plugins.get(I18N)
    current = getattr(plugin, "current_language", None)
    return current if current and current != getattr(plugin, "default_language", None) else ""


def nav_path(config: Any, rel: str) -> str:
    """A page of docs_dir as a nav names it: under i18n without its language (`about.fr.md` or
    `fr/about.md` is `about.md`), which i18n resolves to each language's own file."""
    plugin = config.plugins.get(I18N)
    languages = set(getattr(plugin, "all_languages", None) or ())
    if not languages:
        return rel
    if plugin.config.docs_structure == "folder":
        head, _, rest = rel.partition("/")
        return rest if head in languages and rest else rel
    stem, ext = posixpath.splitext(rel)
    base, dot, language = stem.rpartition(".")
    return base + ext if dot and language in languages else rel


def page_file(config: Any, src: str, origin: str | None) -> File:
    """A page's File, backed by `origin` (the file it is made from) when it has one.

    MkDocs marks files a plugin makes with `generated_by`, and git-revision-date-localized dates
    those by the build's clock; a page made from briefing.yml or a source is dated by that file's
    commits instead, so the mark is taken off it. It has no file in docs_dir to edit."""
    file = File.generated(config, src, abs_src_path=origin or config.config_file_path)
    if origin is not None:
        file.generated_by = None
        file.edit_uri = None
    return file


def localized(file: File, config: Any) -> File:
    """Under i18n, `file` in the current language's folder, as i18n places a page that has no
    translation, and a page told where it is in each language, for Material's language menu
    (which i18n fills from a file's `alternates`)."""
    plugin = config.plugins.get(I18N)
    if getattr(plugin, "current_language", None) is None:
        return file
    folder = language_folder(config)
    if folder:
        file.dest_uri = posixpath.join(folder, file.dest_uri)
    if file.is_documentation_page():
        url = File(file.src_uri, None, config.site_dir, config.use_directory_urls).url
        file.locale = file.locale_alternate_of = plugin.current_language  # type: ignore[attr-defined]
        file.alternates = {  # type: ignore[attr-defined]
            lang: SimpleNamespace(url=url if lang == plugin.default_language else posixpath.join(lang, url))
            for lang in plugin.build_languages}
    return file
