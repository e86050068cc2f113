"""Themes are data: templates, static files and a theme.yaml, possibly extending another theme."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import jinja2
import jinja2.meta
import jinja2.sandbox

from . import schema
from .errors import Issues, SourceRef, did_you_mean
from .loader import LANGUAGE_TAG
from .offline import check_stylesheet
from .sources import inside, resolve_inside
from .yamlio import LList, LMap, load_yaml

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"
COURSE_THEME_DIR = "theme"  # course_src/theme/: single-template overrides and extra CSS
LOGO_OPTION = "logo"  # the one option naming a file: resolved in the course and copied into the output

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_COLOUR = re.compile(_HEX.pattern + r"|[a-zA-Z]+"
                     r"|(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\([^;{}<>()]*\)")


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
    files: dict[str, Path] = field(default_factory=dict)  # output path → course file (the logo)
    overrides: Path | None = None  # the course's theme/templates/, when it has one
    parts: dict[str, list[Path]] = field(default_factory=dict)  # runtime parts loaded when needed, by name
    templates: tuple[tuple[str, int], ...] = ()  # every template file and its time (`template_stamps`)

    @property
    def static_dirs(self) -> list[Path]:
        """Static folders, base theme first so a derived theme's files win."""
        return [f / "static" for f in reversed(self.folders) if (f / "static").is_dir()]

    def static_files(self, issues: Issues) -> dict[str, Path]:
        """Each theme's static/ files by their path under assets/; a link leading out of its theme is an error."""
        found: dict[str, Path] = {}
        real: dict[str, str] = {}  # real paths of the folders met, for inside()
        for folder in reversed(self.folders):
            static = folder / "static"
            if not static.is_dir():
                continue
            if inside(static, folder) is None:
                issues.error(SourceRef(_theme_ref(folder)), f"{folder.name}/static/ is a link to a folder outside "
                             "the theme", "copy the files into the theme's static/ folder")
                continue
            for path in sorted(static.rglob("*")):
                if path.name.startswith(".") or not path.is_file():
                    continue
                rel = path.relative_to(static).as_posix()
                if inside(path, folder, real) is None:
                    issues.error(SourceRef(str(path)), f"theme file 'static/{rel}' is a link to a file outside "
                                 "the theme", "copy the file into the theme instead of linking to it")
                else:
                    found["assets/" + rel] = path
        return found

    @property
    def chain(self) -> str:
        """Where templates come from, in the order they are looked for (for messages)."""
        names = " → ".join(f"'{f.name}'" for f in self.folders)
        themes = f"theme {names}" if len(self.folders) == 1 else f"themes {names}"
        return f"the course's {COURSE_THEME_DIR}/templates/, then {themes}" if self.overrides else themes


class _CourseYaml:
    """Positions of `theme:` and `theme_options:` in course.yaml, read again only when a message needs one."""

    def __init__(self, root: Path, ref: SourceRef, options: Mapping[str, Any]) -> None:
        self.root, self.ref, self.options = root, ref, options
        self._data: LMap | None | bool = False

    def _course(self) -> LMap | None:
        if self._data is False:
            path = Path(self.ref.path) if Path(self.ref.path).is_absolute() else self.root / self.ref.path
            try:
                data = load_yaml(path.read_text(encoding="utf-8"), self.ref.path, Issues())
            except (OSError, UnicodeDecodeError):
                data = None
            self._data = data if isinstance(data, LMap) else None
        return self._data or None

    def _options(self) -> LMap | None:
        if isinstance(self.options, LMap):
            return self.options
        course = self._course()
        found = course.get("theme_options") if course else None
        return found if isinstance(found, LMap) else None

    def theme(self) -> SourceRef:
        course = self._course()
        return course.value_ref("theme") if course and "theme" in course else self.ref

    def key(self, name: str) -> SourceRef:
        options = self._options()
        return options.key_ref(name) if options is not None else self.ref

    def value(self, name: str) -> SourceRef:
        options = self._options()
        return options.value_ref(name) if options is not None else self.ref


def _find_theme(name: str, course_root: Path) -> Path | None:
    candidates = [course_root / name, course_root.parent / "themes" / name, BUILTIN_THEMES / name]
    return next((c.resolve() for c in candidates if (c / "theme.yaml").is_file()), None)


def _known_themes(course_root: Path) -> list[str]:
    places = [course_root.parent / "themes", BUILTIN_THEMES]
    return sorted({p.name for place in places if place.is_dir() for p in place.iterdir()
                   if (p / "theme.yaml").is_file()})


def _theme_ref(folder: Path) -> str:
    return str(folder / "theme.yaml")


def _read_theme_yaml(folder: Path, issues: Issues) -> LMap | None:
    label = _theme_ref(folder)
    if inside(folder / "theme.yaml", folder) is None:
        issues.error(SourceRef(label), "theme.yaml is a link to a file outside the theme folder",
                     "copy the file into the theme instead of linking to it")
        return None
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


PART_NAME = re.compile(r"[a-z][a-z0-9-]*")


def _parts(folder: Path, meta: LMap, issues: Issues) -> dict[str, list[Path]]:
    """`parts:` of a theme.yaml: scripts by part name, which a course whose pages load on demand loads
    only when a page needs them (assets/course-<name>.js); the single-file edition carries them all."""
    given = meta.get("parts") or {}
    if not isinstance(given, dict):
        issues.error(meta.value_ref("parts"), "'parts' must be a mapping of part names to lists of scripts",
                     "for example  parts: {quiz: [runtime/quiz.js]}")
        return {}
    found: dict[str, list[Path]] = {}
    for name, names in given.items():
        if not PART_NAME.fullmatch(str(name)):
            issues.error(meta.value_ref("parts"), f"part name '{name}' is not a lowercase word",
                         "use lowercase letters, digits and hyphens, e.g. quiz")
            continue
        found[str(name)] = _files(folder, names if isinstance(names, list) else [names], given, str(name), issues)
    return found


def _chain(name: str, course_root: Path, course: _CourseYaml,
           issues: Issues) -> tuple[list[Path], list[LMap]] | None:
    """The theme folders from the one the course names to the base, and their theme.yaml."""
    folders: list[Path] = []
    metas: list[LMap] = []
    current: str | None = name
    while current:
        folder = _find_theme(current, course_root)
        if folder is None:
            known = _known_themes(course_root)
            where = course.theme() if not folders else metas[-1].value_ref("extends")
            issues.error(where, f"theme '{current}' not found", did_you_mean(current, known)
                         or f"themes are folders with a theme.yaml; built-in: {', '.join(known)}")
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
    return folders, metas


def _yaml_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value is not None else "null"


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a mapping"


def _wanted(default: Any) -> str:
    """What a value must be, said for trainers."""
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, str):
        return "text"
    return "a list" if isinstance(default, list) else "a mapping"


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    for kind in (str, list, dict):
        if isinstance(default, kind):
            return isinstance(value, kind)
    return True


def option_problem(key: str, value: Any, default: Any) -> tuple[str, str] | None:
    """Why a course's value cannot replace a theme option's default, as (message, hint); None if it can.

    The default's type is the option's type; a default written as a hex colour makes the option a colour.
    """
    if default is None:  # an option with no default (a logo, say) takes any single value
        if isinstance(value, (list, dict)):
            return f"theme option '{key}' must be a single value, not {_kind(value)}", ""
        return None
    colour = isinstance(default, str) and _HEX.fullmatch(default) is not None
    example = f"{key}: {_yaml_text(default)}"
    if value is None:
        hint = (f"in YAML a # starts a comment: put the colour in quotes, {example}" if colour
                else f"give it a value like the theme's default, {example}, or leave it out")
        return f"theme option '{key}' is empty", hint
    if colour:
        if not isinstance(value, str) or not _COLOUR.fullmatch(value.strip()):
            shown = f"'{value}'" if isinstance(value, str) else _kind(value)
            hex_digits = re.fullmatch(r"[0-9a-fA-F]{3,8}", str(value)) is not None
            hint = (f'did you mean "#{value}"? Put it in quotes: {key}: "#{value}"' if hex_digits
                    else f"write it in quotes as #rrggbb, e.g. {example}")
            return f"theme option '{key}' must be a colour such as \"{default}\", not {shown}", hint
        return None
    if not _same_type(value, default):
        return (f"theme option '{key}' must be {_wanted(default)}, not {_kind(value)}",
                f"the theme's default is {example}")
    if isinstance(value, str):
        return _css_value_problem(key, value, default, example)
    return None


# Options reach the course's CSS (`<html style="--font: …">`), so their text is held to its type: a value
# that could end the declaration or fetch something (url(), @import, image-set("…")) is refused.
_LENGTH = re.compile(r"0|-?(?:\d+(?:\.\d+)?|\.\d+)(?:px|rem|em|ch|ex|vw|vh|vmin|vmax|pt|cm|mm|in|%)")
_FAMILY = r"""(?:"[^"\\;{}<>()]*"|'[^'\\;{}<>()]*'|-?[A-Za-z_][\w-]*(?:\s+-?[A-Za-z_][\w-]*)*)"""
_FONT_LIST = re.compile(rf"\s*{_FAMILY}(?:\s*,\s*{_FAMILY})*\s*")
_REACHES_OUT = re.compile(r"url\(|image-set\(|image\(|@import|expression\(|://|\\", re.IGNORECASE)


def _css_value_problem(key: str, value: str, default: Any, example: str) -> tuple[str, str] | None:
    """A font option must be a font list, a length option a CSS length; no text option may reach out."""
    if key == "font" or key.endswith("_font"):
        if not _FONT_LIST.fullmatch(value):
            return (f"theme option '{key}' must be a list of font names such as 'Georgia, serif', not '{value}'",
                    "font names separated by commas; put names with spaces in quotes")
        return None
    if isinstance(default, str) and _LENGTH.fullmatch(default.strip()):
        if not _LENGTH.fullmatch(value.strip()):
            return (f"theme option '{key}' must be a length such as '{default}', not '{value}'",
                    "a number with a unit: px, rem, em, ch or %")
        return None
    if _REACHES_OUT.search(value):
        return (f"theme option '{key}' must not contain URLs, url(), @import or backslashes",
                "the course works offline: put files in the course folder and name them in the theme")
    return None


def _options(name: str, metas: list[LMap], course_options: Mapping[str, Any], course: _CourseYaml,
             issues: Issues) -> dict[str, Any]:
    """The theme chain's defaults (the base first), with the course's values checked and laid over them."""
    defaults: dict[str, Any] = {}
    for meta in reversed(metas):
        defaults.update(meta.get("options") or {})
    for meta in metas:
        for key, value in (meta.get("options") or {}).items():
            problem = _css_value_problem(key, value, value, "") if isinstance(value, str) else None
            if problem and isinstance(meta.get("options"), LMap):
                issues.error(meta["options"].value_ref(key), problem[0].replace("theme option", "option"),
                             problem[1])
    options = dict(defaults)
    for key, value in course_options.items():
        if key not in defaults:
            issues.error(course.key(key), f"theme '{name}' has no option '{key}'",
                         did_you_mean(key, defaults) or f"its options are: {', '.join(sorted(defaults))}")
            continue
        problem = option_problem(key, value, defaults[key])
        if problem:
            issues.error(course.value(key), *problem)
        else:
            options[key] = value
    return options


def _logo(options: dict[str, Any], course_options: Mapping[str, Any], root: Path, course: _CourseYaml,
          folders: list[Path], metas: list[LMap], issues: Issues) -> dict[str, Path]:
    """A logo the course names is a file in the course, copied like media; a theme's own is in its static/."""
    logo = options.get(LOGO_OPTION)
    if not logo or not isinstance(logo, str):
        return {}
    if LOGO_OPTION not in course_options:
        name = logo.removeprefix("assets/")
        if logo.startswith("assets/") and any((f / "static" / name).is_file() for f in folders):
            return {}
        where = next((m["options"].value_ref(LOGO_OPTION) for m in metas
                      if isinstance(m.get("options"), LMap) and LOGO_OPTION in m["options"]), SourceRef("theme.yaml"))
        issues.error(where, f"logo '{logo}' not found in the theme's static/ folder",
                     "a theme's logo is assets/<file> for a file in its static/ folder")
        return {}
    where = course.value(LOGO_OPTION)
    if logo.startswith(("http://", "https://", "//")):
        issues.error(where, f"logo '{logo}' is on the network; the course must work offline",
                     "download the file into the course folder, e.g. media/logo.svg, and name it there")
        return {}
    target, reason = resolve_inside(root, ".", logo)
    if target is None:
        issues.error(where, f"logo '{logo}' not found: {reason}",
                     "give a path relative to the course folder, e.g. media/logo.svg")
        return {}
    rel = target.relative_to(root).as_posix()
    url = rel if rel.startswith("media/") else f"media/{rel}"
    options[LOGO_OPTION] = url
    return {url: target}


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled once, kept in the user's temporary folder: recompiling the theme costs ~60 ms a build.

    Jinja checks every cached template against its source's checksum; one that cannot be written is skipped.
    """

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


@functools.cache
def _compiled_templates() -> jinja2.BytecodeCache | None:
    # Compiled code depends on the filters it was compiled against (a filter that takes the context
    # is called differently), so a new builder or Jinja never reuses an older one's templates.
    this_module = hashlib.sha256(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()[:16]
    try:
        return _CompiledTemplates(pattern=f"coursewright-sandboxed-{this_module}-%s.cache")
    except (OSError, RuntimeError):  # no safe temporary folder: compile every time
        return None


# What a layout needs from Jinja, and nothing that reaches further: themes are shared as files, so a
# template is untrusted and renders in Jinja's immutable sandbox with these filters and globals only.
LAYOUT_FILTERS = (
    "abs", "batch", "capitalize", "count", "default", "d", "dictsort", "e", "escape", "first", "float",
    "forceescape", "groupby", "indent", "int", "items", "join", "last", "length", "list", "lower", "map",
    "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr",
    "slice", "sort", "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper",
    "urlencode", "wordcount", "wordwrap",
)
LAYOUT_GLOBALS = ("range", "dict", "namespace")


class ThemeTemplates(jinja2.FileSystemLoader):
    """Templates of one or more folders, each template a regular file inside its folder.

    A template that is a link to a file elsewhere (or inside a linked folder leading out) is not found:
    a theme copied from someone else cannot make the build read another file of this computer.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        folders = self.__dict__.setdefault("real_folders", {})  # each folder's real path, looked up once
        if not any(inside(filename, folder, folders) for folder in self.searchpath):
            raise jinja2.TemplateSyntaxError("the template is a link to a file outside its theme folder", 1,
                                             template, filename)
        return source, filename, uptodate


class _Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """The immutable sandbox, remembering its answer to "may a template read this attribute?" by the
    object's type and the attribute's name, which are all the answer depends on: the templates read
    the same few attributes of the same views tens of thousands of times in a large course's build."""

    KNOWN_MAX = 4096  # attribute names a template makes up as it runs must not grow it without end

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.known_safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self.known_safe.get(key)
        if safe is None:
            if len(self.known_safe) >= self.KNOWN_MAX:
                self.known_safe.clear()
            safe = self.known_safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe


def template_stamps(folders: list[Path], overrides: Path | None) -> tuple[tuple[str, int], ...]:
    """Every template of the theme chain and of the course's overrides, with its modification time."""
    return tuple((str(f), f.stat().st_mtime_ns)
                 for folder in [*(f / "templates" for f in folders), *([overrides] if overrides else [])]
                 for f in sorted(folder.rglob("*.html")))


_kept_environment: dict[tuple, jinja2.Environment] = {}  # the last one made, by what it was made of


def _environment(template_dirs: list[Path], folders: list[Path], metas: list[LMap],
                 templates: tuple[tuple[str, int], ...]) -> jinja2.Environment:
    """One sandboxed environment: the course's overrides, then each theme of the chain.

    `<theme name>/<template>` names a template as that theme has it, before any override, so a template
    that replaces another can include or extend the one it replaces. The same folders with the same
    `templates` (no template added, removed or saved since) give the environment made last, its
    templates loaded: `course serve` loads the theme at every rebuild.
    """
    key = (tuple(template_dirs), tuple(folders), tuple(str(meta.get("name")) for meta in metas), templates)
    kept = _kept_environment.get(key)
    if kept is None:
        _kept_environment.clear()
        kept = _kept_environment[key] = _new_environment(template_dirs, folders, metas)
    return kept


def _new_environment(template_dirs: list[Path], folders: list[Path], metas: list[LMap]) -> jinja2.Environment:
    parents: dict[str, jinja2.BaseLoader] = {}
    for index, meta in enumerate(metas):
        parents.setdefault(str(meta.get("name")), ThemeTemplates(
            [str(f / "templates") for f in folders[index:]]))
    env = _Sandbox(
        loader=jinja2.ChoiceLoader([ThemeTemplates([str(d) for d in template_dirs]),
                                    jinja2.PrefixLoader(parents)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_compiled_templates(),
        # A template saved since makes another environment (`_environment`'s key): this one's templates
        # need no look at their files' times, which Jinja takes at every use (each page's every include).
        auto_reload=False,
    )
    env.filters = {name: env.filters[name] for name in LAYOUT_FILTERS}
    env.filters["fmt"] = _fmt_filter
    env.globals = {name: env.globals[name] for name in LAYOUT_GLOBALS}
    return env


def _template_names(folders: list[Path]) -> set[str]:
    return {p.relative_to(f / "templates").as_posix() for f in folders for p in (f / "templates").rglob("*.html")}


def _similar_template(name: str, known: set[str]) -> str:
    """'did you mean' among the templates of the same folder, compared by file name."""
    folder, _, base = name.rpartition("/")
    stems = {k.rpartition("/")[2].removesuffix(".html"): k for k in known if k.rpartition("/")[0] == folder}
    hint = did_you_mean(base.removesuffix(".html"), stems)
    for stem, full in stems.items():
        hint = hint.replace(f"'{stem}'", f"'{full}'")
    return hint


def _check_overrides(theme: Theme, issues: Issues) -> None:
    """A course template that replaces nothing and that no other template uses is most likely misnamed."""
    if theme.overrides is None:
        return
    theirs = _template_names(theme.folders)
    ours = {p.relative_to(theme.overrides).as_posix(): p for p in sorted(theme.overrides.rglob("*.html"))}
    used: set[str] = set()
    for path in ours.values():
        if inside(path, theme.overrides) is None:
            continue  # reported when it is rendered
        try:
            used |= {n for n in jinja2.meta.find_referenced_templates(theme.env.parse(path.read_text("utf-8"))) if n}
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
            continue  # reported with its line when the template renders
    for name in sorted(set(ours) - theirs - used):
        issues.warning(SourceRef(f"{COURSE_THEME_DIR}/templates/{name}"),
                       f"template '{name}' replaces no template of theme '{theme.name}', and no template uses it",
                       _similar_template(name, theirs) or "name it after the template it replaces, e.g. partials/page.html")


def _inside_course(paths: list[Path], root: Path, issues: Issues) -> list[Path]:
    """The course's own theme files that stay in the course folder; a link leading out is an error."""
    kept = []
    for path in paths:
        if inside(path, root) is None:
            issues.error(SourceRef(path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)),
                         "a link to a file or folder outside the course folder",
                         "copy it into the course folder instead of linking to it")
        else:
            kept.append(path)
    return kept


def load_theme(name: str, course_root: Path, course_options: dict[str, Any], options_ref: SourceRef,
               language: str, issues: Issues) -> Theme | None:
    """Resolve a theme and its `extends` chain; check the course's options against it."""
    root = course_root.resolve()
    course = _CourseYaml(root, options_ref, course_options)
    found = _chain(name, course_root, course, issues)
    if found is None:
        return None
    folders, metas = found
    stylesheets: list[Path] = []
    scripts: list[Path] = []
    parts: dict[str, list[Path]] = {}
    for folder, meta in zip(reversed(folders), reversed(metas)):
        stylesheets += _files(folder, meta.get("stylesheets"), meta, "stylesheets", issues)
        scripts += _files(folder, meta.get("scripts"), meta, "scripts", issues)
        for part, names in _parts(folder, meta, issues).items():
            parts[part] = parts.get(part, []) + names
    options = _options(name, metas, course_options, course, issues)
    files = _logo(options, course_options, root, course, folders, metas, issues)

    override = course_root / COURSE_THEME_DIR
    stylesheets += _inside_course(sorted(override.glob("*.css")) if override.is_dir() else [], root, issues)
    templates = override / "templates"
    overrides = templates.resolve() if templates.is_dir() and _inside_course([templates], root, issues) else None
    template_dirs = ([overrides] if overrides else []) + [f / "templates" for f in folders]
    for sheet in stylesheets + [p for f in folders for p in sorted((f / "documents").glob("*.css")) if inside(p, f)]:
        if sheet.is_relative_to(BUILTIN_THEMES):  # the tool's own, tested to name nothing else (test_themes)
            continue
        rel = sheet.relative_to(root).as_posix() if sheet.is_relative_to(root) else str(sheet)
        check_stylesheet(sheet, rel, issues)
    templates = template_stamps(folders, overrides)
    env = _environment(template_dirs, folders, metas, templates)
    theme = Theme(name, folders, stylesheets, scripts, options, env, files=files, overrides=overrides, parts=parts,
                  templates=templates)
    _check_overrides(theme, issues)
    theme.strings = load_strings(folders, language, issues)
    return theme


def fmt(text: str, digits: str = "", **values: Any) -> str:
    """Fill `{placeholders}` of an interface string; whole numbers in the language's own `digits`
    (a locale's ten digits, as Persian writes ۱۲), so no page mixes two sets of numerals."""
    for key, value in values.items():
        shown = str(value)
        if len(digits) == 10 and isinstance(value, int) and not isinstance(value, bool):
            shown = shown.translate(str.maketrans("0123456789", digits))
        text = text.replace("{" + key + "}", shown)
    return text


@jinja2.pass_context
def _fmt_filter(context: jinja2.runtime.Context, text: str, **values: Any) -> str:
    """`fmt` in templates, with the digits of the page's interface catalogue."""
    strings = context.get("strings")
    digits = strings.get("digits", "") if isinstance(strings, dict) else ""
    return fmt(text, str(digits), **values)


_catalogues: dict[tuple, dict[str, str]] = {}  # by the files read and their versions: rebuilds ask again


def load_strings(folders: list[Path], language: str, issues: Issues) -> dict[str, str]:
    """The interface catalogue: English underneath, the course language on top, derived themes last.

    Read once per version of its files (`course serve` asks for every language on each save)."""
    stamps = []
    for folder in folders:
        for path in sorted((folder / "locales").glob("*.yaml")) if (folder / "locales").is_dir() else ():
            stat = path.lstat()  # a link is told from the file it replaced (and refused when read)
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    key = (tuple(str(f) for f in folders), language, tuple(stamps))
    known = _catalogues.get(key)
    if known is not None:
        return dict(known)
    found = Issues()
    strings = _load_strings(folders, language, found)
    issues.extend(found.items)
    if not found.items:
        if len(_catalogues) >= 64:
            _catalogues.clear()
        _catalogues[key] = strings
    return dict(strings)


def _load_strings(folders: list[Path], language: str, issues: Issues) -> dict[str, str]:
    strings: dict[str, str] = {}
    wanted = ["en"]
    base = language.split("-")[0].lower()
    for tag in (base, language):
        if tag not in wanted and LANGUAGE_TAG.fullmatch(tag):  # a tag names a file: never a path
            wanted.append(tag)
    for tag in wanted:
        for folder in reversed(folders):
            path = folder / "locales" / f"{tag}.yaml"
            if path.is_file() and inside(path, folder) is None:
                issues.error(SourceRef(str(path)), "a link to a file outside the theme folder",
                             "copy the file into the theme instead of linking to it")
            elif path.is_file():
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
    path = os.path.abspath(filename) if filename else str(theme.folders[0] / "templates")  # a link as named
    if isinstance(exc, jinja2.TemplateNotFound):
        # Named by an include or extends: report it there; the page template itself: at the theme.
        where = SourceRef(path, line, 1) if filename else SourceRef(_theme_ref(theme.folders[0]))
        known = _template_names(theme.folders + ([theme.overrides.parent] if theme.overrides else []))
        issues.error(where, f"template '{exc.name}' not found in {theme.chain}",
                     _similar_template(str(exc.name), known) or "add the template to one of their templates/ "
                     "folders, or fix its name")
    elif isinstance(exc, jinja2.sandbox.SecurityError):
        reason = str(exc.message or exc).rstrip(".")
        issues.error(SourceRef(path, line, 1), f"template reaches for Python internals and was stopped: {reason}",
                     "a template lays out the course and runs no code; see docs/security.md")
    else:
        issues.error(SourceRef(path, line, 1), f"template error: {exc.message or exc}")
