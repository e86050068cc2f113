"""The bare Python floor: what any builder of these lessons must at least do, with nothing more.

Read each lesson, parse its front matter with PyYAML, render its Markdown with markdown-it-py
(CommonMark and tables), lay it out with one small Jinja template and write one HTML file per lesson.
With `--processes 2` the files are split in halves between this process and one forked child.

    python benchmarks/floor.py SOURCE OUT [--processes 1|2]
"""
from __future__ import annotations

import argparse
import multiprocessing
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TEMPLATE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<main>
<h1>{{ title }}</h1>
{{ body }}
</main>
</body>
</html>
"""


def split_front_matter(text: str) -> tuple[dict, str]:
    """`---` YAML `---` then Markdown."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return yaml.load(text[4:end], Loader=Loader) or {}, text[end + 5:]
    return {}, text


def render(paths: list[Path], out: Path) -> None:
    """Render and write `paths` into `out`, one HTML file each."""
    md = MarkdownIt("commonmark").enable("table")
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    for path in paths:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        html = template.render(title=meta.get("title", path.stem), body=Markup(md.render(body)))
        (out / f"{path.parent.name}--{path.stem}.html").write_text(html, encoding="utf-8")


def build(source: Path, out: Path, processes: int) -> int:
    """Build every lesson under source/modules into out; returns the number of lessons."""
    paths = sorted((source / "modules").glob("*/*.md"))
    out.mkdir(parents=True, exist_ok=True)
    if processes < 2 or len(paths) < 2:
        render(paths, out)
        return len(paths)
    half = len(paths) // 2
    child = multiprocessing.get_context("fork").Process(target=render, args=(paths[half:], out))
    child.start()
    render(paths[:half], out)
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"worker failed with exit code {child.exitcode}")
    return len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--processes", type=int, default=1, choices=(1, 2))
    args = parser.parse_args()
    count = build(args.source, args.out, args.processes)
    print(f"floor: {count} lessons written to {args.out}")


if __name__ == "__main__":
    main()
