"""The same lessons as an MkDocs site: the reference point the targets are set against."""
from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

_LINK = re.compile(r"\]\((?:\.\./([^/)]+)/)?([^/)#]+\.md)")


def installed() -> bool:
    return importlib.util.find_spec("mkdocs") is not None


def write_site(source: Path, folder: Path) -> Path:
    """Copy the lessons flat (front matter kept) into folder/docs with the media, and write a
    mkdocs.yml with the default theme and search on. Links and images are re-pointed at the flat
    copies, so MkDocs resolves them as our builder does. Returns the mkdocs.yml path."""
    docs = folder / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    shutil.copytree(source / "media", docs / "media")
    for path in sorted((source / "modules").glob("*/*.md")):
        module = path.parent.name
        text = _LINK.sub(lambda m: f"]({m.group(1) or module}--{m.group(2)}", path.read_text(encoding="utf-8"))
        text = text.replace("](../../media/", "](media/")
        (docs / f"{module}--{path.name}").write_text(text, encoding="utf-8")
    (docs / "index.md").write_text("# Benchmark course\n\nThe lessons, flat.\n", encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text("site_name: Benchmark course\ndocs_dir: docs\ntheme:\n  name: mkdocs\nplugins:\n  - search\n",
                      encoding="utf-8")
    return config
