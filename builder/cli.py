"""The `course` command: options mapped onto calls, nothing more."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__

if TYPE_CHECKING:
    from .build import BuildReport
    from .errors import Issue

# Each command imports what it uses: the builder (about 200 ms with Markdown, Jinja and YAML) is not
# needed for --help, `course new`, `course schema` or `course translate`.

def _default_source() -> str:
    """course_src, or this folder when it is a course folder (a trainer working inside it)."""
    return "." if Path("course.yaml").is_file() and not Path("course_src").is_dir() else "course_src"


SOURCE = click.argument("source", type=click.Path(path_type=Path), default=_default_source, required=False)
OUT = click.option("--out", type=click.Path(path_type=Path), default="dist", show_default=True,
                   help="Folder for the built course and packages.")
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
CLEAN = click.option("--clean", is_flag=True,
                     help="Render every page afresh, ignoring the pages earlier builds kept in your cache folder.")


def _kept_to_the_end(report: BuildReport) -> BuildReport:
    """A build's report, whose objects live until the command ends when `run` ends it (exiting without
    freeing them): the collector is then told to leave them alone. Paused while the build ran, it
    would otherwise walk them all on the first allocation after it, to find nothing (17 ms after
    editing one lesson of 1,000). Called from Python (tests, tools), the process goes on: nothing is frozen."""
    if _ENDS_WITH_COMMAND:
        import gc

        gc.freeze()
    return report


_ENDS_WITH_COMMAND = False  # set by `run`: the process ends when the command does


def _print_warnings(warnings: list[Issue], source: Path) -> None:
    from .errors import root_label

    for issue in warnings:
        click.echo(issue.format(root_label(source)), err=True)


def _progress() -> object:
    """A progress callback that shows itself only when a build takes longer than a moment."""
    import time

    started = time.perf_counter()
    count = [0]

    interactive = sys.stderr.isatty()

    def tick() -> None:
        count[0] += 1
        if interactive and time.perf_counter() - started > 1.0:
            click.echo(f"\r  rendering module {count[0]}…\033[K", nl=False, err=True)

    return tick


def _clear_progress() -> None:
    if sys.stderr.isatty():
        click.echo("\r\033[K", nl=False, err=True)


class _Commands(click.Group):
    """The command group: a refusal from the computer (disk full, read-only, no permission) is one clear line."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as error:
            from .errors import os_failure

            raise os_failure(error) from None


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="course")
def main() -> None:
    """Build e-learning courses from Markdown and YAML."""


@main.command("build")
@SOURCE
@OUT
@STRICT
@CLEAN
@click.option("--facilitator", is_flag=True,
              help="Also write the facilitator guide and the learner handout: print-ready HTML in OUT.")
@click.option("--start", default="09:00", show_default=True, metavar="HH:MM",
              help="When the session starts, for the guide's timed lesson plan.")
@click.option("--break", "breaks", multiple=True, metavar="AFTER=MINUTES",
              help="A break in the lesson plan after a module or page id, e.g. understanding-trafficking=15. "
                   "Repeatable.")
@click.option("--pdf", is_flag=True, help="Also print the guide and the handout to PDF (implies --facilitator; "
                                          "needs Chromium).")
@click.option("--single-file", is_flag=True,
              help="Also write the course as one HTML file with everything inlined: OUT/<id>-<version>.html.")
@click.option("--max-media-kb", type=click.IntRange(min=1), default=2048, show_default=True,
              help="The largest file the single-file edition and the documents will inline, in KB.")
def build_command(source: Path, out: Path, strict: bool, clean: bool, facilitator: bool, start: str, breaks: tuple[str, ...],
                  pdf: bool, single_file: bool, max_media_kb: int) -> None:
    """Build the web course into OUT/web (and, on request, the guide, handout, PDFs and single file)."""
    seen: dict = {}  # what the up-to-date check found of the course's files, for the build to record
    if not (clean or facilitator or pdf or single_file) and _up_to_date(source, out, strict, seen):
        return
    from .build import build

    report = _kept_to_the_end(build(source, out, strict=strict, progress=_progress(), remember=True, clean=clean,
                                    keep_output=True, seen=seen))
    _clear_progress()
    _print_warnings(report.warnings, source)
    click.echo(f"built {report.web_dir}/index.html: {report.summary()}")
    if facilitator or pdf or single_file:
        from .documents import write_editions

        for path in write_editions(report, source, out, documents=facilitator, pdf=pdf, single_file=single_file,
                                   start=start, breaks=breaks, max_media_kb=max_media_kb):
            click.echo(f"wrote {path} ({path.stat().st_size // 1024} KB)")


def _up_to_date(source: Path, out: Path, strict: bool, seen: dict) -> bool:
    """Say the last build's result when nothing it read or wrote has changed since (`uptodate`)."""
    import time

    from .uptodate import last_result, summary

    started = time.perf_counter()
    last = last_result(source, out, strict, seen)
    if last is None:
        return False
    _print_warnings(last.warnings, source)
    click.echo(f"{out / 'web'}/index.html is up to date: {summary(last.counts, time.perf_counter() - started)} "
               "(nothing changed since the last build)")
    return True


@main.command("package")
@SOURCE
@OUT
@STRICT
@CLEAN
@click.option("--scorm", "scorm", type=click.Choice(["1.2", "2004", "all"]), default=None,
              help="Which SCORM packages to make (default: course.yaml's tracking.scorm).")
@click.option("--cmi5", "cmi5", is_flag=True,
              help="Make the cmi5 package (alone, unless --scorm is given too).")
def package_command(source: Path, out: Path, strict: bool, clean: bool, scorm: str | None, cmi5: bool) -> None:
    """Build the course, then write its SCORM and cmi5 zips into OUT."""
    import time

    from .build import build
    from .package import package_course

    report = _kept_to_the_end(build(source, out, strict=strict, progress=_progress(), remember=True, clean=clean))
    _clear_progress()
    _print_warnings(report.warnings, source)
    tracking = report.course.tracking
    versions = ("1.2", "2004") if scorm == "all" else (scorm,) if scorm else () if cmi5 else tracking.scorm
    make_cmi5 = cmi5 or (scorm is None and tracking.cmi5 is not None)
    started = time.perf_counter()
    written = package_course(report, source, out, versions, strict, cmi5=make_cmi5)
    click.echo(f"built {report.web_dir}/index.html: {report.summary()}")
    for path in written:
        click.echo(f"packaged {path} ({path.stat().st_size // 1024} KB)")
    click.echo(f"packaging took {time.perf_counter() - started:.2f} s")


@main.group("translate")
def translate_group() -> None:
    """Work with translations under translations/<lang>/."""


@translate_group.command("mark")
@click.option("--lang", required=True, help="The translation's language tag, e.g. es.")
@click.argument("args", nargs=-1, metavar="[SOURCE] [FILES]...")
def translate_mark_command(lang: str, args: tuple[str, ...]) -> None:
    """Record that translated FILES (default: all) are up to date with their source.

    SOURCE is the course folder (default: this folder when it has a course.yaml, else course_src).
    """
    from .build import root_label
    from .errors import BuildError, Issues
    from .sources import read_sources
    from .translations import mark, mark_arguments, mark_issues

    source, files = mark_arguments(args, Path.cwd())
    if not (source / "course.yaml").is_file():
        raise click.UsageError(f"{source} is not a course folder (it has no course.yaml): run this in the course "
                               "folder, or name the folder first")
    issues = Issues()
    tree = read_sources(source, issues)
    mark_issues(tree, lang, files, issues)
    if issues.errors:
        raise BuildError(issues.sorted(), root_label(source).rstrip("/"), action="nothing marked")
    marked = mark(tree, lang, files or None)
    click.echo(f"marked {len(marked)} '{lang}' translated file{'s' if len(marked) != 1 else ''} as up to date")


@translate_group.command("export")
@SOURCE
@click.option("--lang", required=True, help="The language to translate into, e.g. ar.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="The XLIFF file to write, or a folder for it [default: <id>-<version>.<source>-<lang>.xlf here].")
def translate_export_command(source: Path, lang: str, out: Path | None) -> None:
    """Write the course's texts to one XLIFF 2.0 file.

    Every text of every source file, with the translations translations/<lang>/ already has,
    for translators to open in their translation tool.
    """
    from .build import root_label
    from .xliff import export_xliff

    report = export_xliff(source, lang, out)
    for issue in report.warnings:
        click.echo(issue.format(root_label(source)), err=True)
    click.echo(f"wrote {report.path}: {report.units} texts in {report.files} files, "
               f"{report.translated} already translated")


@translate_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@SOURCE
def translate_import_command(file: Path, source: Path) -> None:
    """Write translations/<lang>/ from an XLIFF file.

    FILE is an XLIFF 2.0 file from 'course translate export', translated; the files it writes are
    then marked up to date with their source.
    """
    from .xliff import import_xliff

    report = import_xliff(file, source)
    for issue in report.warnings:
        click.echo(issue.format(), err=True)
    click.echo(f"imported {report.texts} translated texts into {len(report.written)} files of "
               f"translations/{report.lang}/; {len(report.marked)} marked up to date")


@main.command("check")
@SOURCE
@STRICT
def check_command(source: Path, strict: bool) -> None:
    """Check the course for mistakes without writing anything."""
    from .build import check, root_label

    report = _kept_to_the_end(check(source, strict=strict))
    _print_warnings(report.warnings, source)
    warnings = len(report.warnings)
    click.echo(f"{root_label(source)}: no errors"
               + (f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
               + f" ({report.summary()})")


@main.command("new")
@click.argument("directory", type=click.Path(path_type=Path))
def new_command(directory: Path) -> None:
    """Start a course in DIRECTORY from a small example that shows every feature."""
    from .starter import create_starter

    create_starter(directory)
    click.echo(f"created {directory}: edit it, then run 'course serve {directory}' or 'course build {directory}'")


@main.command("schema")
@click.argument("directory", type=click.Path(path_type=Path))
def schema_command(directory: Path) -> None:
    """Write the JSON Schemas of every source file kind into DIRECTORY, for editors."""
    from .schema import write_schemas

    if directory.exists() and not directory.is_dir():
        raise click.ClickException(f"{directory} is a file: give a folder for the schemas")
    written = write_schemas(directory)
    click.echo(f"wrote {len(written)} schemas to {directory} (see docs/editor-setup.md)")


@main.command("serve")
@SOURCE
@OUT
@STRICT
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to serve on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any other than 127.0.0.1 makes the course visible on your network.")
@click.option("--open/--no-open", "open_browser", default=False, show_default=True,
              help="Open the course in the web browser once it is served.")
def serve_command(source: Path, out: Path, strict: bool, port: int, host: str, open_browser: bool) -> None:
    """Build the course, serve it on this computer, and rebuild and reload it whenever a file is saved."""
    from .project import Project
    from .serve import serve

    serve(Project(source, out, strict=strict), host=host, port=port, open_browser=open_browser)


GC_YOUNG_THRESHOLD = 20_000


def run() -> None:
    """The `course` command: `main`, then an exit that skips freeing every object one by one.

    A large build leaves hundreds of megabytes of objects behind; freeing them at exit costs ~100 ms for
    1,000 lessons. Exit handlers still run (temporary folders are removed) and output is flushed first.
    """
    import atexit
    import gc
    import os

    # A build allocates millions of short-lived objects (Markdown tokens) beside a large model that lives
    # to the end: collecting every 700 allocations spends ~100 ms per 1,000 lessons in each process
    # re-examining the model. Collecting less often keeps the same memory within a few MB.
    gc.set_threshold(GC_YOUNG_THRESHOLD, 10, 10)
    global _ENDS_WITH_COMMAND
    _ENDS_WITH_COMMAND = True
    try:
        main.main(prog_name="course")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # `python -m builder.cli check ...` is the same command as `course check ...`
    run()
