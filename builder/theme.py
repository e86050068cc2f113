"""Themes are data: templates, static files and a theme.yaml, possibly extending another theme."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import schema
from .errors import Issues, SourceRef, did_you_mean
from .yamlio import LList, LMap, load_yaml

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"
COURSE_THEME_DIR = "theme"  # course_src/theme/: single-template overrides and extra CSS


@dataclass
class Theme:
    """A resolved theme chain, most derived first, with one Jinja environment."""

    name: str
    folders: list[Path]
    stylesheets: list[Path]
    scripts: list[Path]
    options: dict[str, Any]
    env: jinja2.Environment
    strings: dict[str, str] = field(default_factory=dict)

    @property
    def static_dirs(self) -> list[Path]:
        """Static folders, base theme first so a derived theme's files win."""
        return [f / "static" for f in reversed(self.folders) if (f / "static").is_dir()]



def _find_theme(name: str, course_root: Path) -> Path | None:
    candidates = [course_root / name, course_root.parent / "themes" / name, BUILTIN_THEMES / name]
    return next((c.resolve() for c in candidates if (c / "theme.yaml").is_file()), None)


def _theme_ref(folder: Path) -> str:
    return str(folder / "theme.yaml")


def _read_theme_yaml(folder: Path, issues: Issues) -> LMap | None:
    label = _theme_ref(folder)
    data = load_yaml((folder / "theme.yaml").read_text(encoding="utf-8"), label, issues)
    if data is None or not schema.check(data, "theme", issues, SourceRef(label)):
        return None
    return data if isinstance(data, LMap) else None


def _files(folder: Path, names: Any, meta: LMap, key: str, issues: Issues) -> list[Path]:
    found = []
    for index, name in enumerate(names or ()):
        path = (folder / str(name)).resolve()
        if not path.is_relative_to(folder) or not path.is_file():
            where = names.item_ref(index) if isinstance(names, LList) else meta.value_ref(key)
            issues.error(where, f"theme file '{name}' not found in {folder.name}/",
                         "paths in stylesheets and scripts are relative to the theme folder")
        else:
            found.append(path)
    return found


def load_theme(name: str, course_root: Path, course_options: dict[str, Any], options_ref: SourceRef,
               language: str, issues: Issues) -> Theme | None:
    """Resolve a theme and its `extends` chain; check the course's options against it."""
    folders: list[Path] = []
    metas: list[LMap] = []
    current: str | None = name
    while current:
        folder = _find_theme(current, course_root)
        if folder is None:
            where = options_ref if not folders else SourceRef(_theme_ref(folders[-1]))
            known = [p.name for p in BUILTIN_THEMES.iterdir() if (p / "theme.yaml").is_file()]
            issues.error(where, f"theme '{current}' not found", did_you_mean(current, known)
                         or f"themes are folders with a theme.yaml; built-in: {', '.join(sorted(known))}")
            return None
        if folder in folders:
            issues.error(SourceRef(_theme_ref(folder)), f"theme '{current}' extends itself in a loop")
            return None
        meta = _read_theme_yaml(folder, issues)
        if meta is None:
            return None
        folders.append(folder)
        metas.append(meta)
        current = meta.get("extends") or None

    stylesheets: list[Path] = []
    scripts: list[Path] = []
    options: dict[str, Any] = {}
    for folder, meta in zip(reversed(folders), reversed(metas)):
        stylesheets += _files(folder, meta.get("stylesheets"), meta, "stylesheets", issues)
        scripts += _files(folder, meta.get("scripts"), meta, "scripts", issues)
        options.update(meta.get("options") or {})
    for key, value in course_options.items():
        if key not in options:
            issues.error(options_ref, f"theme '{name}' has no option '{key}'",
                         did_you_mean(key, options) or f"its options are: {', '.join(sorted(options))}")
        else:
            options[key] = value

    override = course_root / COURSE_THEME_DIR
    stylesheets += sorted(override.glob("*.css")) if override.is_dir() else []
    template_dirs = [override / "templates"] if (override / "templates").is_dir() else []
    template_dirs += [f / "templates" for f in folders]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fmt"] = _fmt
    theme = Theme(name, folders, stylesheets, scripts, options, env)
    theme.strings = load_strings(folders, language, issues)
    return theme


def _fmt(text: str, **values: Any) -> str:
    """Fill `{placeholders}` of an interface string."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def load_strings(folders: list[Path], language: str, issues: Issues) -> dict[str, str]:
    """The interface catalogue: English underneath, the course language on top, derived themes last."""
    strings: dict[str, str] = {}
    wanted = ["en"]
    base = language.split("-")[0].lower()
    for tag in (base, language):
        if tag not in wanted:
            wanted.append(tag)
    for tag in wanted:
        for folder in reversed(folders):
            path = folder / "locales" / f"{tag}.yaml"
            if path.is_file():
                data = load_yaml(path.read_text(encoding="utf-8"), str(path), issues)
                if isinstance(data, dict):
                    strings.update({str(k): str(v) for k, v in data.items()})
    return strings


def template_issue(exc: jinja2.TemplateError, theme: Theme, issues: Issues) -> None:
    """Report a template failure at the template's file and line."""
    filename = getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None) or 1
    if not filename:  # runtime errors: Jinja maps template lines into the traceback
        tb = exc.__traceback__
        while tb is not None:
            code_file = tb.tb_frame.f_code.co_filename
            if code_file.endswith((".html", ".xml", ".txt")) and Path(code_file).is_file():
                filename, line = code_file, tb.tb_lineno
            tb = tb.tb_next
    path = str(Path(filename).resolve()) if filename else str(theme.folders[0] / "templates")
    if isinstance(exc, jinja2.TemplateNotFound):
        issues.error(SourceRef(_theme_ref(theme.folders[0])), f"template '{exc.name}' not found in theme "
                     f"'{theme.name}' or the themes it extends", "add the template or fix its name")
    else:
        issues.error(SourceRef(path, line, 1), f"template error: {exc.message or exc}")
