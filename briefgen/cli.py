"""The `briefgen` command. Domain errors become messages here, at the edge, never tracebacks."""

from __future__ import annotations

import datetime
import logging
import os
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .commands.guarded import guard as _guard
from .commands.oneshot import one_shot_process
from .commands.oneshot import run as run_once
from .commands.output import FORMATS, print_report, say, setup_logging
from .diagnostics import Report, UserError

if TYPE_CHECKING:
    from .pipeline import Outcome

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])  # a click command function


def _existing_project(ctx: click.Context) -> Path:
    """The project folder of a command that writes into content/ or reads its history: a folder
    without mkdocs.yml is no project, and `new` would quietly create content/ anywhere."""
    from .commands.configfile import present

    project = _project(ctx)
    if not any((project / name).is_file() for name in present(project)):
        raise UserError(f"{project} has no mkdocs.yml (or properdocs.yml), so it is not a briefgen project: "
                        "run this in the project root, pass -C <project folder>, or create one with "
                        "`briefgen init <dir>`")
    return project


def _project(ctx: click.Context) -> Path:
    # Absolute from here on: MkDocs resolves a relative docs_dir against the config file's folder,
    # so a relative project (`-C news`) made the staging folder `news/news/.briefgen-build`.
    project = Path(os.path.abspath(ctx.obj["project"]))
    try:
        project.resolve()
    except (RuntimeError, OSError):  # a link that leads to itself, however it goes round
        raise UserError(f"-C {project}: a symlink that loops, not a folder") from None
    return project


def _config(ctx: click.Context, given: str | None) -> str:
    from .commands.configfile import config_file

    return config_file(_project(ctx), given)


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> None:
    """-C, --quiet and --debug work before or after the command name; the last one given wins."""
    if value is None or value is False:
        return
    ctx.ensure_object(dict)
    ctx.obj[param.name] = value
    if param.name == "quiet":
        setup_logging(True)


def _shared_options(project: bool = True, at_top: bool = False) -> Callable[[F], F]:
    """The options every command takes, as `briefgen -C dir build` or `briefgen build -C dir`."""
    options = [
        click.option("--debug", is_flag=True, expose_value=False, callback=_remember,
                     help="Show tracebacks of internal errors."),
        click.option("--quiet", "-q", is_flag=True, expose_value=False, callback=_remember,
                     help="Only print warnings and errors."),
    ]
    if project:
        options.insert(0, click.option(
            "--project", "-C", type=click.Path(file_okay=False, path_type=Path),
            default="." if at_top else None, expose_value=False, callback=_remember,
            help="The site project folder (default: the current folder)."))

    def decorate(f: F) -> F:
        for option in reversed(options):
            f = option(f)
        return f
    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="briefgen")
@_shared_options(at_top=True)
@click.pass_context
def main(ctx: click.Context) -> None:
    """briefgen: news briefings where every statement links to the passage it rests on."""
    ctx.ensure_object(dict)
    setup_logging(bool(ctx.obj.get("quiet")))


_NO_CACHE = click.option("--no-cache", is_flag=True,
                         help="Neither read nor write .briefgen-cache/: parse, render and theme everything again.")
# As MkDocs has them; paths are relative to the project folder (-C), like everything else.
_CONFIG_FILE = click.option("--config-file", "-f", default=None, metavar="FILE",
                            help="The MkDocs config file, relative to the project folder "
                                 "[default: mkdocs.yml, else properdocs.yml].")
_ENGINE = click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default=None,
                        help="The engine that builds the pages (default: extra.briefgen.engine in the config, "
                             'else mkdocs); zensical needs pip install "briefgen[zensical]".')
_FORMAT = click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                       help="How problems are printed: text lines, GitHub Actions annotations, or JSON lines "
                            "(the last two on standard output).")
_SITE_DIR = click.option("--site-dir", "-d", default=None, metavar="DIR",
                         help="Build into DIR (relative to the project folder) instead of the config's site_dir.")


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@_NO_CACHE
@_CONFIG_FILE
@_SITE_DIR
@_FORMAT
@_ENGINE
@_shared_options()
@click.pass_context
def build(ctx: click.Context, strict: bool, no_cache: bool, config_file: str | None, site_dir: str | None,
          fmt: str, engine: str | None) -> None:
    """Check everything, then build the site into site/ (left untouched on failure)."""
    from .caches.parallel import jobs_for_this_machine
    from .commands.ahead import checked_ahead
    from .strategy import Strategy

    def run() -> Outcome:
        project, config = _project(ctx), _config(ctx, config_file)
        strategy = Strategy(parse_cache=not no_cache, jobs=jobs_for_this_machine())
        with checked_ahead(project, config, strategy) as ahead:
            from .engine.site import build_site  # after the fork: MkDocs is imported while the content is checked

            return build_site(project, strict, config, ahead, site_dir, engine)

    with one_shot_process():
        outcome = _guard(ctx, run)
        print_report(outcome.report, strict, fmt=fmt)  # a stop once the site is in place is only noted
    ctx.exit(1 if outcome.report.failed(strict) else 0)


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@_NO_CACHE
@_FORMAT
@_shared_options()
@click.pass_context
def check(ctx: click.Context, strict: bool, no_cache: bool, fmt: str) -> None:
    """Check everything and build nothing."""
    from .caches.parallel import jobs_for_this_machine
    from .pipeline import check as run
    from .strategy import Strategy

    strategy = Strategy(parse_cache=not no_cache, jobs=jobs_for_this_machine())  # parses in two, as build
    with one_shot_process():
        outcome = _guard(ctx, lambda: run(_project(ctx), strategy))
    if not outcome.report.failed(strict):
        logging.getLogger("briefgen").info(f"Checked {outcome.counts()}")
    print_report(outcome.report, strict, always=not ctx.obj.get("quiet"), fmt=fmt)
    ctx.exit(1 if outcome.report.failed(strict) else 0)


@main.command()
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT",
              help="Address to serve on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser once it is served.")
@click.option("--no-livereload", is_flag=True, help="Build once and serve that: watch nothing, reload nothing.")
@click.option("--strict", is_flag=True, help="Fail on warnings too: the first build stops serve, a later one "
              "keeps the last good site.")
@_CONFIG_FILE
@_ENGINE
@_shared_options()
@click.pass_context
def serve(ctx: click.Context, dev_addr: str, open_browser: bool, no_livereload: bool, strict: bool,
          config_file: str | None, engine: str | None) -> None:
    """Build, serve locally and rebuild + reload the browser when content changes."""
    from .commands.serve import serve as run

    _guard(ctx, lambda: run(_project(ctx), dev_addr, print_report, config_file=_config(ctx, config_file), strict=strict,
                            livereload=not no_livereload, open_browser=open_browser, engine=engine))


@main.command()
@click.argument("briefing_id")
@click.option("--title", default=None, help="The briefing's title.")
@_shared_options()
@click.pass_context
def new(ctx: click.Context, briefing_id: str, title: str | None) -> None:
    """Scaffold content/BRIEFING_ID/ with a commented briefing.yml (never overwrites)."""
    from .commands.scaffold import new_briefing

    path = _guard(ctx, lambda: new_briefing(_existing_project(ctx), briefing_id, title))
    click.echo(f"Created {path}/ - edit briefing.yml, add articles to sources/, then `briefgen check`.")


@main.command()
@click.argument("kind", type=click.Choice(["briefing", "front-matter"]), default="briefing")
@_shared_options()
def schema(kind: str) -> None:
    """Print the JSON Schema of briefing.yml (or of a source's front matter) for editors."""
    from .commands.schema import schema_text

    click.echo(schema_text(kind), nl=False)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", show_default=True,
              help="The engine the project and its Pages workflow build with.")
@_shared_options()
@click.pass_context
def init(ctx: click.Context, directory: Path, engine: str) -> None:
    """Create a new site project in DIRECTORY (never overwrites)."""
    from .commands.installed import Origin
    from .commands.scaffold import init_project

    directory = Path(ctx.obj["project"]) / directory  # as `git -C news init x` makes news/x

    def make() -> Origin:
        _project(ctx)  # -C names a folder, not a link that loops
        return init_project(directory, engine=engine)

    installed = _guard(ctx, make)
    click.echo(f"Created a briefgen site in {directory}/. Next: cd {shlex.quote(str(directory))} && briefgen build")
    if installed.wheel is not None:
        click.echo(f"requirements.txt installs {installed.requirement}, a copy of the wheel this briefgen was "
                   "installed from: commit it with the project")
    if installed.requirement is None:
        say(f"warning: {installed.why}, so {directory}/requirements.txt cannot say where GitHub "
            "gets briefgen: edit it before you push (it says how)")


MAX_TIMEOUT = 86400  # a day; longer is no timeout, and past ~9e9 s Python's waits overflow


def _seconds(timeout: float) -> float:
    if not 0 < timeout <= MAX_TIMEOUT:  # false for NaN too
        raise UserError(f"--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT}, "
                        f"such as 20, not {timeout:g}")
    return timeout


@main.command("add-source")
@click.argument("briefing_id")
@click.argument("target")
@click.option("--id", "source_id", default=None, help="The source id (default: from outlet and title).")
@click.option("--outlet", default=None, help="The outlet, when the page does not say.")
@click.option("--title", default=None,
              help="The headline, when the page does not say (a .txt file's lines are then all text).")
@click.option("--url", default=None, help="The original URL, for a saved page or text file.")
@click.option("--timeout", default=20.0, show_default=True, type=float,
              help=f"Seconds a URL's whole download may take (above 0, at most {MAX_TIMEOUT}).")
@_shared_options()
@click.pass_context
def add_source(ctx: click.Context, briefing_id: str, target: str, source_id: str | None,
               outlet: str | None, title: str | None, url: str | None, timeout: float) -> None:
    """Import an article (saved .html, .txt or a URL) into content/BRIEFING_ID/sources/.

    HTML pages and URLs need the import extra: pip install "briefgen[import]"."""
    from .importer import add_source as run

    seconds = _guard(ctx, lambda: _seconds(timeout))  # a mistake on the command line, said first
    project = _guard(ctx, lambda: _existing_project(ctx))
    path = _guard(ctx, lambda: run(project, briefing_id, target, source_id, timeout=seconds,
                                   outlet=outlet, title=title, url=url))
    click.echo(f"Wrote {path.relative_to(project.resolve()) if path.is_absolute() else path}")


@main.command()
@click.argument("briefing_id", required=False)
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Compare with the version as of this date (or the last one before it) "
                   "instead of the previous version.")
@_shared_options()
@click.pass_context
def diff(ctx: click.Context, briefing_id: str | None, since: datetime.datetime | None) -> None:
    """Print what changed in each briefing (or BRIEFING_ID) since its previous version."""
    from .commands.diff import diff_lines

    report = Report()
    lines = _guard(ctx, lambda: diff_lines(_existing_project(ctx), report, briefing_id,
                                           since.date().isoformat() if since else None))
    if report.errors:
        print_report(report, False)
        ctx.exit(1)
    for line in lines:
        click.echo(line)



def run() -> None:
    """The console script: main, then the process ends without tearing the interpreter down."""
    run_once(main)
