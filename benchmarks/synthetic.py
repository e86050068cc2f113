"""A deterministic synthetic course in the source format, of any size, for the benchmarks.

`write_course(folder, lessons)` writes `lessons` lessons of about 750 words each, in modules of
20 lessons; every module has a quiz (five questions of mixed types) and a branching scenario (three
endings). Lessons use headings, lists, a table, an image, glossary and legal references and links to
other lessons, so every part of the builder does its share of the work. The same arguments always give
the same bytes: the text comes from fixed word lists and a seeded random generator.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

from words import (ADJECTIVES, ADVERBS, FIGURES, INSTRUMENTS, NOUNS, OPENERS, PLACES, PLURALS, TERMS,
                   VERBS, VERBS_S)

LESSONS_PER_MODULE = 20
WORDS_PER_LESSON = 750
SEED = 20240611

_TERM_REF = re.compile(r"\[\[(?!@)([^\]|]+)(?:\|([^\]]+))?\]\]")


def without_term_refs(text: str) -> str:
    """The same text with every `[[term]]` / `[[term|shown]]` reduced to its plain words."""
    return _TERM_REF.sub(lambda m: m.group(2) or m.group(1), text)


class Prose:
    """Real-looking sentences from fixed word lists: varied, grammatical enough, reproducible."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, words: tuple[str, ...]) -> str:
        return self.rng.choice(words)

    def phrase(self) -> str:
        r = self.rng
        return f"the {self.pick(ADJECTIVES)} {self.pick(NOUNS)}" if r.random() < 0.6 else f"the {self.pick(NOUNS)}"

    def sentence(self) -> str:
        r = self.rng
        form = r.randrange(7)
        if form == 0:
            text = f"{self.phrase()} {self.pick(VERBS_S)} {self.phrase()} {self.pick(PLACES)}"
        elif form == 1:
            text = (f"when {self.phrase()} {self.pick(VERBS_S)} {self.phrase()}, {self.pick(PLURALS)} "
                    f"should {self.pick(VERBS)} it {self.pick(ADVERBS)}")
        elif form == 2:
            text = (f"{self.pick(OPENERS)}, {self.pick(PLURALS)} {self.pick(VERBS)} {self.phrase()} "
                    f"and {self.pick(VERBS)} {self.phrase()} {self.pick(PLACES)}")
        elif form == 3:
            text = (f"{self.phrase()} is {self.pick(ADVERBS)} {self.pick(ADJECTIVES)}, so {self.pick(PLURALS)} "
                    f"{self.pick(VERBS)} {self.phrase()} before they {self.pick(VERBS)} {self.phrase()}")
        elif form == 4:
            adjective = self.pick(ADJECTIVES)
            text = (f"{'an' if adjective[0] in 'aeiou' else 'a'} {adjective} {self.pick(NOUNS)} helps {self.pick(PLURALS)} "
                    f"{self.pick(VERBS)} {self.phrase()} without delay")
        elif form == 5:
            text = (f"{self.pick(PLURALS)} who {self.pick(VERBS)} {self.phrase()} {self.pick(PLACES)} "
                    f"rarely {self.pick(VERBS)} {self.phrase()}")
        else:
            text = (f"if {self.phrase()} is {self.pick(ADJECTIVES)}, {self.pick(VERBS)} {self.phrase()} "
                    f"and note why {self.pick(PLACES)}")
        words = (text[0].upper() + text[1:]).split()
        if r.random() < 0.15:
            i = r.randrange(1, len(words))
            words[i] = f"**{words[i]}**" if r.random() < 0.5 else f"*{words[i]}*"
        return " ".join(words) + "."

    def sentences(self, count: int) -> str:
        return " ".join(self.sentence() for _ in range(count))

    def title(self) -> str:
        r = self.rng
        form = r.randrange(3)
        if form == 0:
            text = f"{self.pick(ADJECTIVES)} {self.pick(PLURALS)} {self.pick(PLACES)}"
        elif form == 1:
            text = f"how to {self.pick(VERBS)} the {self.pick(NOUNS)}"
        else:
            text = f"the {self.pick(NOUNS)} and the {self.pick(NOUNS)}"
        return text[0].upper() + text[1:]


def q(text: str) -> str:
    """A YAML scalar for any text: a JSON string is a valid double-quoted YAML scalar."""
    return json.dumps(text, ensure_ascii=False)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _wrap(text: str, width: int = 100) -> str:
    """Lines of at most `width` characters, never breaking inside a `[[reference]]`."""
    text = re.sub(r"\[\[[^\]]*\]\]", lambda m: m.group(0).replace(" ", "\0"), text)
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line]).replace("\0", " ")


def _plan(lessons: int, prose: Prose) -> list[tuple[str, list[tuple[str, str]]]]:
    """Module folders and their lesson (file name, title) pairs."""
    count = -(-lessons // LESSONS_PER_MODULE)
    width = max(2, len(str(count)))
    modules = []
    for m in range(count):
        size = min(LESSONS_PER_MODULE, lessons - m * LESSONS_PER_MODULE)
        folder = f"{m + 1:0{width}d}-{_slug(prose.title())}-{m + 1}"
        pages, seen = [], set()
        for i in range(size):
            title = prose.title()
            slug = _slug(title)
            while slug in seen:
                slug += "-b"
            seen.add(slug)
            pages.append((f"{i + 1:02d}-{slug}.md", title))
        modules.append((folder, pages))
    return modules


def _term_ref(prose: Prose) -> str:
    term, aliases = prose.rng.choice(TERMS)[:2]
    form = prose.rng.randrange(3)
    if form == 0:
        return f"[[{term}]]"
    if form == 1:
        return f"[[{aliases[0]}]]"
    return f"[[{term}|{aliases[0]}]]"


def _legal_ref(prose: Prose) -> str:
    ident, _short, _level, articles = prose.rng.choice(INSTRUMENTS)[:4]
    return f"[[@{ident}]]" if prose.rng.random() < 0.25 else f"[[@{ident}:{prose.rng.choice(articles)[0]}]]"


def _paragraph(prose: Prose, count: int, refs: list[str]) -> str:
    """A paragraph of `count` sentences with the given references worked into it."""
    parts = [prose.sentence() for _ in range(count)]
    for ref in refs:
        i = prose.rng.randrange(len(parts))
        parts[i] = parts[i][:-1] + f", as {ref} shows."
    return _wrap(" ".join(parts))


def _lesson(prose: Prose, title: str, index: int, links: list[tuple[str, str]]) -> str:
    """One lesson of about WORDS_PER_LESSON words."""
    r = prose.rng
    objectives = "".join(f"\n  - {q(prose.sentence()[:-1])}" for _ in range(r.randint(2, 3)))
    figure, alt = FIGURES[index % len(FIGURES)]
    headings = [prose.title() for _ in range(3)]
    table_rows = "\n".join(f"| {prose.pick(NOUNS).capitalize()} | {prose.sentence()} | {prose.sentence()} |"
                           for _ in range(4))
    body = [
        _paragraph(prose, 5, [_term_ref(prose), _term_ref(prose)]),
        f"## {headings[0]}",
        _paragraph(prose, 5, [_term_ref(prose)]),
        "\n".join(f"- {prose.sentence()}" for _ in range(5)),
        _paragraph(prose, 4, [_legal_ref(prose)]),
        f"![{alt}](../../media/{figure})",
        f"## {headings[1]}",
        _paragraph(prose, 5, [_legal_ref(prose)]),
        f"| {prose.pick(NOUNS).capitalize()} | What to look for | What to do |\n|---|---|---|\n{table_rows}",
        _paragraph(prose, 4, [_term_ref(prose)]),
        f"### {headings[2]}",
        "\n".join(f"{n}. {prose.sentence()}" for n in range(1, 5)),
        _wrap(prose.sentences(2) + " " + " ".join(
            f"See [{text}]({href})." for href, text in links)),
        "## Key points",
        _paragraph(prose, 4, [_term_ref(prose)]),
        "\n".join(f"- {prose.sentence()}" for _ in range(3)),
    ]
    words = sum(len(block.split()) for block in body)
    if words < WORDS_PER_LESSON:
        body.insert(3, _paragraph(prose, max(1, (WORDS_PER_LESSON - words) // 14), []))
    return (f"---\ntitle: {q(title)}\nobjectives:{objectives}\nduration: {r.randint(5, 15)}\n"
            f"summary: {q(prose.sentence())}\n---\n\n" + "\n\n".join(body) + "\n")


def _quiz(prose: Prose, module: int, assessment: bool) -> str:
    p, s = prose.pick, lambda: q(prose.sentence())
    if module % 2:
        last = ("  - id: order\n    type: ordering\n    prompt: Put the steps in order.\n    items:\n"
                + "".join(f"      - {s()}\n" for _ in range(4)))
    else:
        last = ("  - id: match\n    type: matching\n    prompt: Match each item to its use.\n    pairs:\n"
                + "".join(f"      - {{left: {q(p(NOUNS).capitalize() + f' {n}')}, right: {s()}}}\n"
                          for n in range(1, 4)))
    kind = "assessment\npass_mark: 80" if assessment else "knowledge-check"
    return f"""title: Check module {module}
kind: {kind}
feedback: immediate
attempts: 0
shuffle: true
duration: 5
questions:
  - id: best
    type: single
    prompt: {q(prose.sentence()[:-1] + "?")}
    options:
      - text: {s()}
        correct: true
        feedback: {s()}
      - text: {s()}
        feedback: {s()}
      - text: {s()}
    explanation: {s()}
  - id: all-that-apply
    type: multiple
    prompt: Which of these apply? Choose all that do.
    options:
      - text: {s()}
        correct: true
      - text: {s()}
        correct: true
      - text: {s()}
        feedback: {s()}
  - id: true-or-false
    type: true-false
    prompt: {s()}
    answer: {str(prose.rng.random() < 0.5).lower()}
    feedback: {{correct: {s()}, incorrect: {s()}}}
  - id: name-it
    type: fill-in
    prompt: Name the record kept at the counter.
    answers: [{p(NOUNS)}, {p(NOUNS)} log]
{last}"""


def _scenario(prose: Prose, module: int) -> str:
    s = lambda: q(prose.sentence())  # noqa: E731
    return f"""title: A case at the counter, module {module}
kind: practice
duration: 8
intro: {s()}
start: arrival
nodes:
  arrival:
    text: {q(prose.sentence() + " What do you do first?")}
    image: ../../media/{FIGURES[0][0]}
    alt: {q(FIGURES[0][1])}
    choices:
      - text: {s()}
        goto: handled
        points: 2
        feedback: {s()}
      - text: {s()}
        goto: follow-up
        points: 1
  follow-up:
    text: {q(prose.sentence() + " What now?")}
    choices:
      - text: {s()}
        goto: partly
        points: 1
      - text: {s()}
        goto: missed
        points: 0
        feedback: {s()}
  handled:
    ending: good
    text: {s()}
    debrief: {s()}
  partly:
    ending: neutral
    text: {s()}
    debrief: {s()}
  missed:
    ending: poor
    text: {s()}
    debrief: {s()}
"""


def _glossary(prose: Prose) -> str:
    out = ["# Terms of the synthetic benchmark course.\n"]
    for term, aliases, source in TERMS:
        src = f"\n  source: {q(source)}" if source else ""
        out.append(f"- term: {q(term)}\n  aliases: [{', '.join(q(a) for a in aliases)}]\n"
                   f"  definition: {q(prose.sentences(2))}{src}\n")
    return "\n".join(out)


def _frameworks(prose: Prose) -> str:
    out = []
    for ident, short, level, articles, adopted in INSTRUMENTS:
        arts = "".join(f'    - number: "{n}"\n      title: {q(t)}\n      summary: {q(prose.sentence())}\n'
                       for n, t in articles)
        out.append(f"- id: {ident}\n  title: {q(f'The {short} on counter services')}\n  short: {q(short)}\n"
                   f"  level: {level}\n  jurisdiction: Everywhere the course is used\n"
                   f'  adopted: "{adopted}"\n  summary: {q(prose.sentence())}\n  articles:\n{arts}')
    return "\n".join(out)


def _svg(alt: str, hue: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 120" role="img">'
            f"<title>{alt}</title><rect width=\"320\" height=\"120\" fill=\"hsl({hue},40%,90%)\"/>"
            f'<circle cx="60" cy="60" r="40" fill="hsl({hue},50%,45%)"/></svg>\n')


def write_course(folder: Path, lessons: int, *, terms: bool = True, seed: int = SEED) -> Path:
    """Write the course into `folder` (created; must not hold another course) and return it."""
    prose = Prose(random.Random(seed))
    plan = _plan(lessons, prose)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yaml").write_text(
        f"id: bench-{lessons}\ntitle: Counter services, a benchmark course of {lessons} lessons\n"
        "description: Generated text for measuring build speed.\nlanguage: en\nversion: \"1.0.0\"\n"
        "theme: default\ncompletion:\n  pages: all\n  assessments: all\n  pass_mark: 80\n"
        "tracking:\n  scorm: [\"1.2\", \"2004\"]\n", encoding="utf-8")
    (folder / "glossary.yaml").write_text(_glossary(prose), encoding="utf-8")
    (folder / "frameworks.yaml").write_text(_frameworks(prose), encoding="utf-8")
    (folder / "media").mkdir(exist_ok=True)
    for i, (name, alt) in enumerate(FIGURES[: max(1, min(len(FIGURES), lessons))]):
        (folder / "media" / name).write_text(_svg(alt, 40 * i), encoding="utf-8")
    flat = [(m, f, t) for m, (_folder, pages) in enumerate(plan) for f, t in pages]
    index = 0
    for m, (mod_folder, pages) in enumerate(plan):
        target = folder / "modules" / mod_folder
        target.mkdir(parents=True, exist_ok=True)
        (target / "module.yaml").write_text(
            f"title: {q(prose.title())}\ndescription: {q(prose.sentences(2))}\n"
            f"objectives:\n  - {q(prose.sentence()[:-1])}\n  - {q(prose.sentence()[:-1])}\n", encoding="utf-8")
        for i, (name, title) in enumerate(pages):
            links = []
            if i > 0:
                links.append((pages[i - 1][0], pages[i - 1][1]))
            if i + 1 < len(pages):
                links.append((pages[i + 1][0], pages[i + 1][1]))
            other_m, other_f, other_t = flat[(index * 7 + 13) % len(flat)]
            if other_m != m:
                links.append((f"../{plan[other_m][0]}/{other_f}#key-points", f"the key points of {other_t}"))
            text = _lesson(prose, title, index, links)
            (target / name).write_text(text if terms else without_term_refs(text), encoding="utf-8")
            index += 1
        n = len(pages)
        (target / f"{n + 1:02d}-check.quiz.yaml").write_text(
            _quiz(prose, m + 1, assessment=m == len(plan) - 1), encoding="utf-8")
        (target / f"{n + 2:02d}-case.scenario.yaml").write_text(_scenario(prose, m + 1), encoding="utf-8")
    return folder


def lesson_files(folder: Path) -> list[Path]:
    """The lesson sources of a course folder, in reading order."""
    return sorted((folder / "modules").glob("*/*.md"))
