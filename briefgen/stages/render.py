"""Render stage: resolved briefings -> HTML fragments for the engine, via Jinja2 templates.

Templates come from the project's own `templates/` first, then the packaged ones, so a project
can override any page by name. Autoescape is on: article and annotation text is never markup.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from jinja2.loaders import split_template_path
from markupsafe import Markup

from ..diagnostics import Pos
from ..loading.paths import fix_for, refusal
from ..model import RELIABILITY, Briefing
from ..text import citeview
from ..text.direction import direction, language_of
from ..text.fragments import fragment_context, original_link
from ..text.markup import inline, plain
from .markers import day, page_markers
from .searchable import SearchEntry
from .versions_view import history_context

if TYPE_CHECKING:
    from ..analysis.changes import Story
from ..urls import Urls, page_of
from .check import Checked
from .resolve import Resolved

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def package_templates() -> Path:
    """Templates ship inside the wheel as briefgen/templates; a source checkout has them at the top."""
    package = Path(__file__).resolve().parent.parent
    return package / "templates" if (package / "templates").is_dir() else package.parent / "templates"


# The site's own stylesheets and scripts (templates/assets/), written to assets/briefgen/ and
# added to every page.
ASSETS = ("briefgen.css", "sources.css", "changes.css", "cite.css", "dom.js", "previews.js", "briefgen.js",
          "changes.js", "cite.js")


@dataclass(frozen=True)
class Page:
    name: str  # e.g. "khmeimim/facts"; the engine turns it into a path and URL
    title: str  # plain text; escaped where it is printed
    html: str
    description: str  # plain text, for link previews
    kind: str
    meta: dict[str, Any] = field(default_factory=dict)
    # Printed after `html` in the same article (templates/theme/main.html) but not handed to
    # MkDocs as the page's content, so the search indexer never parses it: the coverage matrix,
    # the preview data and the versions log; nothing a reader searches for, and a quarter of the
    # indexer's work.
    apparatus: str = ""
    # What a search finds on it: the page and each of its rows (stages/searchable.py).
    search: tuple[SearchEntry, ...] = ()


# A template writes this between a page's content and its apparatus. Text from content cannot
# forge it: autoescape turns its "<" into "&lt;".
APPARATUS = "<!-- bg-apparatus -->"


# Where the source page template printed `body`: the source's own HTML replaces it.
BODY = "<!-- bg-source-body -->"


def split_apparatus(html: str) -> tuple[str, str]:
    content, marker, apparatus = html.rpartition(APPARATUS)
    return (content, apparatus) if marker else (html, "")


class RefusedTemplate(TemplateError):
    """A project template that the path rule (loading/paths.py) refuses: an error at its path,
    never a quiet fall back to the packaged template of that name."""

    def __init__(self, pos: Pos, message: str) -> None:
        super().__init__(message)
        self.pos = pos

    def __reduce__(self) -> tuple[Any, ...]:  # raised in the render worker, re-raised here
        return RefusedTemplate, (self.pos, self.message)


class ProjectTemplates(FileSystemLoader):
    """The project's `templates/`. FileSystemLoader follows any link and opens any file: this
    one first asks the rule every file briefgen reads follows. (`briefgen check` already refused
    such files; this holds for a file that changed since, under `serve`.)"""

    def __init__(self, project: Path) -> None:
        self.project = project.resolve()
        super().__init__(str(self.project / "templates"))

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.project.joinpath("templates", *split_template_path(template))
        if os.path.lexists(path) and (why := refusal(path, self.project)) is not None:
            raise RefusedTemplate(Pos(path.relative_to(self.project).as_posix()),
                                  f"{path.name!r} {why}; {fix_for(why)}")
        return super().get_source(environment, template)


def template_problem(exc: TemplateError, project: Path) -> tuple[Pos, str]:
    """Where a template went wrong: a project's own template is the user's to fix."""
    if isinstance(exc, RefusedTemplate):
        return exc.pos, exc.message or ""
    frames = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith(".html")]
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        frames.append((exc.filename, exc.lineno))
    path, line = frames[-1] if frames else ("templates", 1)
    try:
        path = Path(path).resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        pass
    return Pos(str(path), line or 1, 1), f"template error: {exc.message or type(exc).__name__}"


class Renderer:
    def __init__(self, project: Path, urls: Urls, md: MarkdownIt, site_name: str = "",
                 bytecode_cache: Any = None):
        self.urls, self.md, self.site_name = urls, md, site_name
        loaders = [ProjectTemplates(project), FileSystemLoader(str(package_templates()))]
        self.env = Environment(loader=ChoiceLoader(loaders), autoescape=True, trim_blocks=True,
                               lstrip_blocks=True, undefined=StrictUndefined,
                               bytecode_cache=bytecode_cache)
        self.env.filters["md"] = lambda text: inline(self.md, text)
        self.env.filters["plain"] = lambda text: plain(self.md, text)  # Markdown as the words a reader sees
        self.env.filters["day"] = day
        # A name the stylesheet sets in capitals is capitalised by its language's rules: Greek
        # capitals drop the accents ("ΚΑΘΗΜΕΡΙΝΗ", not "ΚΑΘΗΜΕΡΙΝΉ"), but only under lang="el".
        # Other scripts' capitals do not depend on the language, so no other language is claimed.
        self.env.filters["caps_lang"] = lambda text: "el" if not text.isascii() and language_of(None, text) == "el" \
            else ""
        self.env.globals.update(reliability=RELIABILITY)

    def page_html(self, template: str, **ctx: Any) -> str:
        """One of our templates rendered with `ctx` (the context of a page, made by `context`)."""
        return self.env.get_template(template).render(**ctx)

    # -- helpers handed to templates ----------------------------------------------------------
    def linker(self, here: str, b: Briefing) -> Callable[..., str]:
        """`link(kind, fragment, source)`: the URL of a page of briefing `b`, relative to `here`."""
        def link(kind: str, fragment: str = "", source: str | None = None) -> str:
            target = "index" if kind == "home" else page_of(b.id, kind, source)
            return self.urls.rel(here, target, fragment)
        return link

    def context(self, r: Resolved, here: str, kind: str, story: Story | None) -> dict[str, Any]:
        """What every page template of a briefing is handed: the briefing, its links, markers and
        previews, its numbers and directions, and what history says (earlier_view.py adds to it)."""
        b = r.briefing
        link = self.linker(here, b)
        # Numbers kept across committed versions when history was read, else this version's own.
        numbers = story.numbers if story is not None and story.numbers else citeview.source_numbers(b)
        shown = page_markers(self.urls, self.md, r, here, kind, numbers)
        return {"b": b, "r": r, "analysis": r.analysis, "here": here, "link": link,
                "markers": shown.of, "previews": lambda: shown.previews,
                "numbers": numbers, "site_name": self.site_name,
                # the sources list and the matrix's columns, in number order
                "numbered": sorted(b.sources.values(), key=lambda src: numbers.get(src.id, 0)),
                # writing directions: of the analyst's text, and of each source's
                "bdir": direction(b.lang, b.title), "dirs": r.directions,
                **history_context(self.env, story, link)}

    # -- pages ----------------------------------------------------------------------------------
    def briefing_pages(self, r: Resolved, story: Story | None = None, earlier: frozenset[str] = frozenset()
                       ) -> list[Page]:
        """Every page of one briefing; `story`: its versions and changes, when history was read;
        `earlier`: the as_of of each earlier version whose page was made (earlier_view.py)."""
        b = r.briefing
        pages = []
        for kind, template, title in (("summary", "summary.html", b.title),
                                      ("facts", "facts.html", f"Key facts · {b.title}"),
                                      ("questions", "questions.html", f"Questions · {b.title}")):
            here = page_of(b.id, kind)
            ctx = {**self.context(r, here, kind, story), "earlier": earlier}
            # Links shared from earlier versions to rows of this page that moved or were removed.
            ctx["moved"] = story.moves.get(kind, {}) if story is not None else {}
            html, apparatus = split_apparatus(self.page_html(template, **ctx))
            pages.append(Page(here, title, html, self.description(b, kind), kind,
                              {"briefing": b.id, "as_of": b.as_of.isoformat(),
                               # no facts or no questions: the page exists, but no tab or nav entry leads there
                               "empty": kind != "summary" and not getattr(b, kind)}, apparatus))
        if story is not None and story.steps:
            here = page_of(b.id, "changes")
            ctx = {**self.context(r, here, "changes", story), "earlier": earlier}
            html, apparatus = split_apparatus(self.page_html("changes.html", **ctx))
            pages.append(Page(here, f"Versions · {b.title}", html, f"What changed in “{b.title}”, version by version",
                              "changes", {"briefing": b.id}, apparatus))
        for sid in b.sources:
            pages.append(self.source_page(r, sid, story))
        return pages

    def description(self, b: Briefing, kind: str) -> str:
        """What a link preview says: the bottom line, the facts, or the questions."""
        if kind == "facts" and b.facts:
            text = "; ".join(f"{f.fact}: {plain(self.md, f.value)}" for f in b.facts)
        elif kind == "questions" and b.questions:
            text = " ".join(f"{q.question} ({q.status})" for q in b.questions)
        else:
            text = plain(self.md, b.summary[0].text) if b.summary else b.title
        return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"

    def source_page(self, r: Resolved, sid: str, story: Story | None = None) -> Page:
        b, doc = r.briefing, r.docs[sid]
        here = page_of(b.id, "source", sid)
        ctx = self.context(r, here, "source", story)
        link = ctx["link"]
        macros: Any = self.env.get_template("_macros.html").module  # its macros are its attributes
        keys: dict[tuple[str, bool], citeview.BackLink] = {}  # one preview per statement and relation

        def cited_by(meta: dict[str, Any]) -> Markup:
            p = r.passage(sid, meta["anchor"])
            backs = [citeview.backlink(st, link(st.page, st.anchor), citeview.disputing(st, sid, p.anchor, r.anchor_of),
                                       lambda text: plain(self.md, text), day) for st in p.cited_by]
            backs = [keys.setdefault((x.href, x.disputes), replace(x, key=f"b{len(keys) + 1}")) for x in backs]
            around = fragment_context(doc.blocks[p.block].text, meta["words"], doc.blocks)
            return Markup(macros.cited_by(meta["anchor"], backs, original_link(doc.source, meta["words"], around),
                                   ctx["bdir"]))

        if doc.source.publish == "excerpts":
            body = self.page_html("_excerpts.html", passages=r.passages[sid], cited_by=cited_by)
        else:
            env = {"bg_cited_by": lambda meta: cited_by(meta)}
            body = self.md.renderer.render(r.tokens(sid), self.md.options, env)
        # The body goes in after the template ran: printed by the template, it would be copied
        # into a Markup, copied again by autoescape and once more into the page (a 20 MB source:
        # 120 MB more at once). Content cannot forge the placeholder: autoescape turns its "<"
        # into "&lt;".
        page = self.page_html("source.html", s=doc.source, body=Markup(BODY), passages=r.passages[sid],
                          backlinks=list(keys.values()), **ctx)
        html = page.replace(BODY, body)
        return Page(here, f"{doc.source.outlet}: {doc.source.title}", html,
                    f"Source of the briefing “{b.title}”: {doc.source.title} ({doc.source.outlet})",
                    "source", {"briefing": b.id})

    def index_page(self, checked: Sequence[Checked]) -> Page:
        """Every briefing, newest first; made from the checked briefings alone, so it needs none
        resolved again (a build may have kept their pages)."""
        ordered = sorted(checked, key=lambda c: (c.briefing.as_of, c.briefing.id), reverse=True)
        items = [{"b": c.briefing, "href": self.urls.rel("index", page_of(c.briefing.id, "summary")),
                  "first": next((s for s in c.briefing.summary), None),
                  "sources": len(c.briefing.sources), "citations": c.analysis.citations,
                  "open": c.analysis.open_questions} for c in ordered]
        html = self.page_html("index.html", items=items, site_name=self.site_name)
        return Page("index", self.site_name or "Briefings", html,
                    f"{len(items)} briefing{'s' if len(items) != 1 else ''}", "index")
