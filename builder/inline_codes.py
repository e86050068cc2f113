"""Markdown text split into words to translate and codes to keep, for translation tools.

A translator sees `Read the [definition](01-what-is.md#elements) of [[@palermo-protocol:3]].` as
`Read the <pc>definition</pc> of <ph/>.`: links, references, emphasis, code, line-start markers
(headings, lists, quotes, tables) and heading ids are inline codes (XLIFF 2.0 `<ph>` and `<pc>`),
which OmegaT, Weblate and other tools show as tags. Only the text between them can change; the
codes are put back from the source, so a translation cannot change a link, a reference or an id.

A lesson body is split into blocks first: paragraphs and the like are texts, fenced code and
structure lines are kept as they are, and each `::: check` block is a question whose texts are
translated one by one (its id, type, answers and points never reach the translator).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .markdown_directives import CALLOUTS

TITLED = (*CALLOUTS, "reveal", "tab", "item", "column", "flipcard", "quote")  # opening lines with a title to translate
MARKUP_AS_TEXT = ("[[", "]]", "](", "{#", "`")  # in a target's text: markup written by hand
_CONTINUATION = set(" \t>")  # what a wrapped line of a list item or quotation starts with


@dataclass
class Code:
    """A protected piece: `ph` (a standalone code) or `pc` (a code pair around translatable text)."""

    kind: str
    id: str
    start: str
    end: str = ""
    inner: list[Piece] = field(default_factory=list)


Piece = str | Code


@dataclass
class Split:
    pieces: list[Piece]
    codes: dict[str, Code]


def split(text: str) -> Split:
    """Text and codes, in order; codes numbered from 1 in reading order."""
    codes: dict[str, Code] = {}
    pieces = _Scanner(text, codes).run()
    return Split(pieces, codes)


def same_source(a: list[Piece], b: list[Piece]) -> bool:
    """Whether two splits are of the same text: the same words and the same codes (`[[term]]` and
    `[[term|term]]` are the same reference)."""
    return text_parts(a) == text_parts(b) and signature(a) == signature(b)


def join(pieces: list[Piece]) -> str:
    """The Markdown the pieces stand for."""
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif piece.kind == "ph":
            out.append(piece.start)
        else:
            out.append(piece.start + join(piece.inner) + piece.end)
    return "".join(out)


def signature(pieces: list[Piece]) -> list[tuple[str, str]]:
    """The codes used, as (kind, id), sorted: what a translation must keep."""
    found: list[tuple[str, str]] = []
    for piece in pieces:
        if isinstance(piece, Code):
            found.append((piece.kind, piece.id))
            found.extend(signature(piece.inner))
    return sorted(found)


def text_parts(pieces: list[Piece]) -> list[str]:
    """The translatable text of the pieces."""
    found: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            found.append(piece)
        else:
            found.extend(text_parts(piece.inner))
    return found


class _Scanner:
    """A small scanner over one text: Markdown's inline syntax and its line-start markers."""

    def __init__(self, text: str, codes: dict[str, Code]) -> None:
        self.text, self.codes = text, codes

    def code(self, kind: str, start: str, end: str = "", inner: list[Piece] | None = None) -> Code:
        made = Code(kind, str(len(self.codes) + 1), start, end, inner or [])
        self.codes[made.id] = made
        return made

    def run(self) -> list[Piece]:
        pieces: list[Piece] = []
        lines = self.text.split("\n")
        open_paragraph = False
        for n, line in enumerate(lines):
            marker = _line_marker(line)
            rest = line[len(marker):]
            if n > 0:
                if open_paragraph and rest.strip() and set(marker) <= _CONTINUATION:
                    # A wrapped line of a list item or quotation: a soft line break, as in a plain
                    # paragraph. Markdown continues the paragraph without the indent or '>' (a lazy
                    # continuation line), so a translation may wrap its lines anywhere.
                    pieces.append("\n")
                elif marker or not pieces:
                    pieces.append(self.code("ph", "\n" + marker))
                else:
                    pieces.append("\n")
            elif marker:
                pieces.append(self.code("ph", marker))
            open_paragraph = bool(rest.strip()) and not marker.lstrip(" \t>").startswith("#")
            if _is_table_rule(rest):
                pieces.append(self.code("ph", rest))
                continue
            body, heading_id = _heading_id(rest) if marker.lstrip().startswith("#") else (rest, "")
            pieces.extend(self.inline(body, table=rest.lstrip().startswith("|")))
            if heading_id:
                pieces.append(self.code("ph", heading_id))
        return merged(pieces)

    def inline(self, text: str, table: bool = False) -> list[Piece]:
        pieces: list[Piece] = []
        i, plain = 0, []

        def flush() -> None:
            if plain:
                pieces.append("".join(plain))
                plain.clear()

        while i < len(text):
            found = self.construct(text, i, table)
            if found is None:
                step = 2 if text[i] == "\\" and i + 1 < len(text) else 1
                plain.append(text[i:i + step])
                i += step
                continue
            piece, i = found
            flush()
            pieces.append(piece)
        flush()
        return pieces

    def construct(self, text: str, i: int, table: bool) -> tuple[Piece, int] | None:
        """A code starting at `i`, and where it ends; or None."""
        ch = text[i]
        if table and ch == "|":
            return self.code("ph", "|"), i + 1
        if ch == "`":
            run = _run(text, i, "`")
            close = text.find("`" * run, i + run)
            if close > 0:
                return self.code("ph", text[i:close + run]), close + run
        if text.startswith("[[", i):
            close = text.find("]]", i + 2)
            if close > 0:
                inside = text[i + 2:close]
                if inside.startswith("@") or not inside.strip():
                    return self.code("ph", text[i:close + 2]), close + 2
                # [[term]] and [[term|shown text]]: the term is kept (the build knows the source's names),
                # the words shown are translated.
                bar = "\\|" if table else "|"  # in a table cell the bar is escaped
                name, found, shown = inside.partition(bar)
                return self.code("pc", f"[[{name}{bar}", "]]", self.inline(shown if found else name)), close + 2
        if text.startswith("[^", i):
            close = text.find("]", i)
            if close > 0:
                return self.code("ph", text[i:close + 1]), close + 1
        if ch == "[" or text.startswith("![", i):
            opener = "![" if ch == "!" else "["
            link = _link(text, i + len(opener))
            if link is not None:
                label_end, end = link
                return self.code("pc", opener, text[label_end:end], self.inline(text[i + len(opener):label_end])), end
        if ch == "{" and text.startswith("{#", i):
            close = text.find("}", i)
            if close > 0:
                return self.code("ph", text[i:close + 1]), close + 1
        if ch == "<":
            close = text.find(">", i)
            if close > 0 and (text[i + 1:i + 2].isalpha() or text[i + 1:i + 2] in ("/", "!")):
                return self.code("ph", text[i:close + 1]), close + 1
        if ch in "*_~":
            run = _run(text, i, ch)
            if ch == "~" and run != 2:
                return None
            if ch == "_" and i > 0 and text[i - 1].isalnum():
                return None
            delimiter = ch * min(run, 3)
            close = _closing(text, i + len(delimiter), delimiter)
            if close is not None:
                inner = self.inline(text[i + len(delimiter):close])
                return self.code("pc", delimiter, delimiter, inner), close + len(delimiter)
        return None


def _run(text: str, i: int, ch: str) -> int:
    n = i
    while n < len(text) and text[n] == ch:
        n += 1
    return n - i


def _closing(text: str, start: int, delimiter: str) -> int | None:
    """Where an emphasis delimiter run closes: not after a space, not at the very start."""
    at = text.find(delimiter, start)
    while at > start:
        if not text[at - 1].isspace() and _run(text, at, delimiter[0]) == len(delimiter):
            return at
        at = text.find(delimiter, at + len(delimiter))
    return None


def _link(text: str, start: int) -> tuple[int, int] | None:
    """`label](target)` from `start`: (where `]` is, where the link ends), or None."""
    depth, i = 1, start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                break
        i += 1
    if depth or not text.startswith("](", i):
        return None
    parens, j = 0, i + 2
    while j < len(text):
        if text[j] == "(":
            parens += 1
        elif text[j] == ")":
            if parens == 0:
                return i, j + 1
            parens -= 1
        j += 1
    return None


def _line_marker(line: str) -> str:
    """Indentation and the markers a line starts with (quote, list, heading, footnote, definition)."""
    i = len(line) - len(line.lstrip(" \t"))
    while True:
        rest = line[i:]
        if rest.startswith("> ") or rest == ">":
            i += 2 if rest.startswith("> ") else 1
        elif rest[:2] in ("- ", "* ", "+ ", ": "):
            i += 2
        elif rest[:1].isdigit() and (dot := _ordinal(rest)):
            i += dot
        elif rest.startswith("#") and (hashes := _run(rest, 0, "#")) <= 6 and rest[hashes:hashes + 1] in (" ", ""):
            i += hashes + (1 if rest[hashes:hashes + 1] == " " else 0)
            break
        elif rest.startswith("[^") and "]: " in rest:
            i += rest.index("]: ") + 3
            break
        elif rest.startswith("- [ ] ") or rest.startswith("- [x] "):
            i += 6
        else:
            break
        i += len(line[i:]) - len(line[i:].lstrip(" \t"))
    return line[:i]


def _ordinal(rest: str) -> int:
    digits = _run_digits(rest)
    return digits + 2 if digits <= 9 and rest[digits:digits + 2] in (". ", ") ") else 0


def _run_digits(text: str) -> int:
    n = 0
    while n < len(text) and text[n].isdigit():
        n += 1
    return n


def _is_table_rule(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) > 2 and "-" in stripped and "|" in stripped and set(stripped) <= set("|:- ")


def _heading_id(text: str) -> tuple[str, str]:
    """A heading's text and its trailing ` {#id}`, apart."""
    stripped = text.rstrip()
    at = stripped.rfind(" {#")
    if at >= 0 and stripped.endswith("}") and "}" not in stripped[at:-1]:
        return text[:at], text[at:]
    return text, ""


def merged(pieces: list[Piece]) -> list[Piece]:
    """Adjacent texts as one; no empty texts."""
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] += piece
        elif piece != "":
            out.append(piece)
    return out


# -- lesson bodies as blocks ---------------------------------------------------------------------

def body_blocks(body: str) -> list[dict]:
    """A lesson body as blocks: {"keep": markup} kept as it is, {"text": markdown} translated as one
    text, {"open", "check", "close"} a `::: check` block whose YAML is translated text by text."""
    blocks: list[dict] = []
    lines = body.split("\n")
    i, run = 0, []

    def keep(text: str) -> None:
        if blocks and "keep" in blocks[-1]:
            blocks[-1]["keep"] += text
        else:
            blocks.append({"keep": text})

    def flush() -> None:
        if run:
            blocks.append({"text": "\n".join(run)})
            keep("\n")
            run.clear()

    while i < len(lines):
        line, last = lines[i], i == len(lines) - 1
        end = "" if last else "\n"
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            flush()
            fence, j = stripped[:3], i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence):
                j += 1
            chunk = lines[i:j + 1]
            keep("\n".join(chunk) + ("" if j >= len(lines) - 1 else "\n"))
            i = j + 1
            continue
        if stripped.startswith(":::"):
            flush()
            colons = _run(stripped, 0, ":")
            words = stripped[colons:].strip().split(None, 1)
            name = words[0] if words else ""
            if name == "check":
                j = i + 1
                while j < len(lines) and lines[j].strip() != ":" * colons:
                    j += 1
                blocks.append({"open": line + "\n", "check": "\n".join(lines[i + 1:j]) + "\n",
                               "close": (lines[j] if j < len(lines) else "") + ("" if j >= len(lines) - 1 else "\n")})
                i = j + 1
                continue
            if name in TITLED and len(words) > 1:
                at = line.index(words[1], line.index(name) + len(name))
                keep(line[:at])
                blocks.append({"text": line[at:]})
                keep(end)
            else:
                keep(line + end)
            i += 1
            continue
        if not stripped:
            flush()
            keep(end)
            i += 1
            continue
        run.append(line)
        i += 1
    if run:
        blocks.append({"text": "\n".join(run)})
    return [b for b in blocks if b != {"keep": ""}]


def body_text(blocks: list[dict], dump_check: object = None) -> str:
    """The body the blocks stand for; `dump_check` turns a check's data back into YAML text."""
    out = []
    for block in blocks:
        if "keep" in block:
            out.append(block["keep"])
        elif "text" in block:
            out.append(block["text"])
        else:
            check = block["check"]
            out.append(block["open"] + (check if isinstance(check, str) else dump_check(check)) + block["close"])
    return "".join(out)
