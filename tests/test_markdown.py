"""The Markdown stage: fixture pairs for every extension, and the exact issues it reports."""
from __future__ import annotations

import dataclasses
import html
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from markdown_it.utils import read_fixture_file

from builder.errors import Issues, SourceRef
from builder.markdown import (
    InstrumentTarget,
    MarkdownEnv,
    TermTarget,
    render_inline,
    render_markdown,
    slugify,
)

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
PATH = "modules/01-understanding/01-what-is.md"

TRAFFICKING = TermTarget("trafficking-in-persons", "Trafficking in persons")
SMUGGLING = TermTarget("smuggling-of-migrants", "Smuggling of migrants")
TERMS = {
    "trafficking in persons": TRAFFICKING,
    "human trafficking": TRAFFICKING,
    "smuggling of migrants": SMUGGLING,
    "migrant smuggling": SMUGGLING,
    "consent": TermTarget("consent", "Consent"),
}
INSTRUMENTS = {
    "palermo-protocol": InstrumentTarget(
        "palermo-protocol", "Palermo Protocol", {"3": "Use of terms", "5": "Criminalization", "6": "Assistance"}
    ),
    "echr": InstrumentTarget("echr", "ECHR", {"4": "Prohibition of slavery", "P1": "Protocol 1"}),
}
PAGES = {
    "../02-legal-frameworks/01-intro.md": "#/legal-frameworks/intro",
    "02-act-means-purpose.md": "#/understanding/act-means-purpose",
}


def make_env(issues: Issues | None = None, **changes: object) -> MarkdownEnv:
    """A small course behind the callbacks: they are the contract the rest of the builder fills in."""
    issues = Issues() if issues is None else issues

    def resolve_link(href: str, where: SourceRef) -> str | None:
        path, _, fragment = href.partition("#")
        if path not in PAGES:
            issues.error(where, f"link to a missing page '{path}'")
            return None
        route = PAGES[path]
        return f"{route}#p-{route[2:].replace('/', '--')}--{fragment}" if fragment else route

    def resolve_media(path: str, where: SourceRef) -> str | None:
        name = path.removeprefix("../../")
        if not name.startswith("media/") or "missing" in name:
            issues.error(where, f"missing media file '{path}'")
            return None
        return name

    def render_check(body: str, where: SourceRef, n: int) -> str:
        return (
            f'<div class="inline-check" data-check="understanding/what-is/check-{n}" data-where="{where}">'
            f"<pre>{html.escape(body)}</pre></div>"
        )

    def frameworks_list(args: dict[str, str], where: SourceRef) -> str:
        shown = " ".join(f"{key}={value}" for key, value in sorted(args.items()))
        return f'<ul class="framework-list" data-filter="{html.escape(shown)}"></ul>'

    env = MarkdownEnv(
        path=PATH,
        line_offset=4,
        page_anchor="p-understanding--what-is",
        terms=TERMS,
        instruments=INSTRUMENTS,
        issues=issues,
        resolve_link=resolve_link,
        resolve_media=resolve_media,
        render_check=render_check,
        frameworks_list=frameworks_list,
    )
    return dataclasses.replace(env, **changes)  # type: ignore[arg-type]


def fixture_cases(name: str) -> list[pytest.param]:
    return [
        pytest.param(title, source, expected, id=f"{name}:{line}")
        for line, title, source, expected in read_fixture_file(FIXTURES / name)
    ]


@pytest.mark.parametrize(
    ("title", "source", "expected"),
    [
        case
        for name in ("commonmark.md", "refs.md", "directives.md", "links.md", "html_escaped.md")
        for case in fixture_cases(name)
    ],
)
def test_fixture(title: str, source: str, expected: str) -> None:
    issues = Issues()
    result = render_markdown(source, make_env(issues))
    assert result.html == expected, title
    assert [i.format() for i in issues.sorted()] == []


@pytest.mark.parametrize(("title", "source", "expected"), fixture_cases("html_allowed.md"))
def test_fixture_allow_html(title: str, source: str, expected: str) -> None:
    issues = Issues()
    assert render_markdown(source, make_env(issues, allow_html=True)).html == expected, title
    assert not issues


def issues_of(source: str, **changes: object) -> list[str]:
    issues = Issues()
    render_markdown(source, make_env(issues, **changes))
    return [i.format() for i in issues.sorted()]


# Lines: the text starts at line 5 of the file (line_offset 4), so text line 1 is reported as 5.
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "Intro.\n\nSee  [[Trafficking in person]] here.\n",
            f"{PATH}:7:6: error: unknown glossary term 'Trafficking in person' "
            "(did you mean 'Trafficking in persons'?)",
            id="unknown term with suggestion",
        ),
        pytest.param(
            "A [[zebra crossing]].\n",
            f"{PATH}:5:3: error: unknown glossary term 'zebra crossing' (add it to glossary.yaml)",
            id="unknown term without suggestion",
        ),
        pytest.param(
            "First line\nsecond [[@palermo]] line\n",
            f"{PATH}:6:8: error: unknown legal instrument 'palermo' (did you mean 'palermo-protocol'?)",
            id="unknown instrument",
        ),
        pytest.param(
            "> quoted [[@palermo-protocol:35]]\n",
            f"{PATH}:5:10: error: unknown article '35' of 'palermo-protocol' (did you mean '5' or '3'?)",
            id="unknown article",
        ),
        pytest.param(
            "[[@echr:9]]\n",
            f"{PATH}:5:1: error: unknown article '9' of 'echr' ('echr' lists articles 4, P1)",
            id="unknown article without suggestion",
        ),
        pytest.param(
            "Text.\n\n::: note\nnever closed\n",
            f"{PATH}:7:1: error: unclosed directive 'note' (close it with a line of ':::')",
            id="unclosed directive",
        ),
        pytest.param(
            "::: notes\nbody\n:::\n",
            f"{PATH}:5:1: error: unknown directive 'notes'; known directives: accordion, cards, check, column, "
            "columns, figure, flipcard, frameworks, important, item, note, quote, reveal, steps, tab, tabs, "
            "timeline, tip, warning (did you mean 'note' or 'steps' or 'quote'?)",
            id="unknown directive",
        ),
        pytest.param(
            "::: tab Alone\nbody\n:::\n",
            f"{PATH}:5:1: error: 'tab' outside 'tabs' (put it inside '::: tabs' as ':::: tab Title')",
            id="tab outside tabs",
        ),
        pytest.param(
            "::: tabs\n:::\n",
            f"{PATH}:5:1: error: 'tabs' has no 'tab' (add ':::: tab Title' blocks inside it)",
            id="tabs with no tab",
        ),
        pytest.param(
            "::: reveal\nhidden\n:::\n",
            f"{PATH}:5:1: error: 'reveal' needs a title (write '::: reveal Title')",
            id="reveal without title",
        ),
        pytest.param(
            "::: frameworks levl=national\n:::\n",
            f"{PATH}:5:1: error: unknown argument 'levl' for 'frameworks' (did you mean 'level'?)",
            id="frameworks unknown argument",
        ),
        pytest.param(
            "Text.\n\n:::\n",
            f"{PATH}:7:1: error: ':::' closes no directive (remove it, or open one with '::: name')",
            id="stray closing line",
        ),
        pytest.param(
            "::: accordion\nLoose text.\n:::: item One\nbody\n::::\n:::\n",
            f"{PATH}:6:1: error: only 'item' blocks may be inside 'accordion' "
            "(move this content into a ':::: item Title' block)",
            id="content beside the items of an accordion",
        ),
        pytest.param(
            "::: item Alone\nbody\n:::\n",
            f"{PATH}:5:1: error: 'item' outside 'accordion' or 'cards' or 'timeline' or 'steps' "
            "(put it inside '::: accordion' or '::: cards' or '::: timeline' or '::: steps' as ':::: item Title')",
            id="item outside a group",
        ),
        pytest.param(
            "::: steps\n:::: item\nbody\n::::\n:::\n",
            f"{PATH}:6:1: error: 'item' needs a title (write ':::: item Title')",
            id="step without a title",
        ),
        pytest.param(
            "::: columns\n:::\n",
            f"{PATH}:5:1: error: 'columns' has no 'column' (add ':::: column Title' blocks inside it)",
            id="columns with no column",
        ),
        pytest.param(
            "::: timeline Key dates\n:::: item 2000\nAdopted.\n::::\n:::\n",
            f"{PATH}:5:1: error: 'timeline' takes no title (put a heading above it, and the titles on its "
            "':::: item Title' lines)",
            id="group with a title",
        ),
        pytest.param(
            "::: flipcard\nback\n:::\n",
            f"{PATH}:5:1: error: 'flipcard' needs the text of its front (write '::: flipcard Front text')",
            id="flipcard without a front",
        ),
        pytest.param(
            "::: figure\nA caption first.\n\n![A map](media/map.png)\n:::\n",
            f"{PATH}:6:1: error: a 'figure' starts with its image "
            "(put '![What it shows](../../media/file.png)' alone on the first line inside the figure)",
            id="figure not starting with its image",
        ),
        pytest.param(
            "::: figure size=huge\n![A map](media/map.png)\n:::\n",
            f"{PATH}:5:1: error: 'size' of 'figure' is 'huge'; it is one of: small, medium, large, full "
            "(use one of: small, medium, large, full)",
            id="figure with an unknown size",
        ),
        pytest.param(
            "::: figure alin=end\n![A map](media/map.png)\n:::\n",
            f"{PATH}:5:1: error: unknown argument 'alin=end' for 'figure' (did you mean 'align'?)",
            id="figure with a misspelt argument",
        ),
        pytest.param(
            "- item\n\n  See ![](media/map.png) here.\n",
            f"{PATH}:7:7: warning: image has no alt text (describe the image in ![...])",
            id="missing alt is a warning",
        ),
    ],
)
def test_issue(source: str, expected: str) -> None:
    assert issues_of(source) == [expected]


def test_missing_alt_is_an_error_under_strict() -> None:
    assert issues_of("![ ](media/map.png)\n", strict=True) == [
        f"{PATH}:5:1: error: image has no alt text (describe the image in ![...])"
    ]


def test_non_tab_content_inside_tabs() -> None:
    source = "::: tabs\nstray text\n:::: tab One\nbody\n::::\n:::\n"
    assert issues_of(source) == [
        f"{PATH}:6:1: error: only 'tab' blocks may be inside 'tabs' "
        "(move this content into a ':::: tab Title' block)"
    ]


def test_unclosed_inner_directive_is_reported_at_its_own_line() -> None:
    source = "::: reveal Outer\n:::: note\ninner\n:::\n"
    assert issues_of(source) == [f"{PATH}:6:1: error: unclosed directive 'note' (close it with a line of '::::')"]


def test_term_position_in_a_table_cell_and_a_directive_title() -> None:
    source = "| a | b |\n|---|---|\n| x | [[nope]] |\n\n::: tip Mind [[nope]]\n:::\n"
    assert issues_of(source) == [
        f"{PATH}:7:7: error: unknown glossary term 'nope' (add it to glossary.yaml)",
        f"{PATH}:9:14: error: unknown glossary term 'nope' (add it to glossary.yaml)",
    ]


def test_broken_references_keep_their_text() -> None:
    issues = Issues()
    source = "[[nope]], [[@nope:3]], [gone](04-gone.md) and ![a map](media/missing.png)\n"
    result = render_markdown(source, make_env(issues))
    assert result.html == "<p>nope, [[@nope:3]], gone and a map</p>\n"
    assert [i.format() for i in issues.sorted()] == [
        f"{PATH}:5:1: error: unknown glossary term 'nope' (add it to glossary.yaml)",
        f"{PATH}:5:11: error: unknown legal instrument 'nope' (add it to frameworks.yaml)",
        f"{PATH}:5:24: error: link to a missing page '04-gone.md'",
        f"{PATH}:5:47: error: missing media file 'media/missing.png'",
    ]


def test_result_lists_headings_terms_and_refs() -> None:
    source = (
        "# What is [[human trafficking]]?\n\n## Act, means and purpose\n\n"
        "[[Consent]] is irrelevant: [[@palermo-protocol:3]], [[@echr]].\n"
    )
    result = render_markdown(source, make_env())
    assert result.headings == [
        (1, "What is human trafficking?", "p-understanding--what-is--what-is-human-trafficking"),
        (2, "Act, means and purpose", "p-understanding--what-is--act-means-and-purpose"),
    ]
    assert result.terms == {"trafficking-in-persons", "consent"}
    assert result.refs == {("palermo-protocol", "3"), ("echr", None)}


def test_checks_are_numbered_and_located() -> None:
    source = "::: check\ntype: true-false\n:::\n\ntext\n\n::: check\nprompt: Two?\n:::\n"
    result = render_markdown(source, make_env())
    assert 'check-1" data-where="modules/01-understanding/01-what-is.md:6:1"' in result.html
    assert 'check-2" data-where="modules/01-understanding/01-what-is.md:12:1"' in result.html


def test_render_inline_has_no_paragraph() -> None:
    issues = Issues()
    text = render_inline("Which *three* parts make [[human trafficking]]? <b>", make_env(issues))
    assert text == (
        'Which <em>three</em> parts make <a class="term-ref" href="#g-trafficking-in-persons" '
        'data-term="trafficking-in-persons">human trafficking</a>? &lt;b&gt;'
    )
    assert not issues


def test_render_inline_reports_at_the_field_line() -> None:
    issues = Issues()
    render_inline("Pick one: [[nope]]", make_env(issues, line_offset=11))
    assert [i.format() for i in issues.sorted()] == [
        f"{PATH}:12:11: error: unknown glossary term 'nope' (add it to glossary.yaml)"
    ]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Act, means and purpose", "act-means-and-purpose"),
        ("Ça va, naïve Straße?", "ca-va-naive-strasse"),
        ("ما هو الاتجار بالبشر؟", "ما-هو-الاتجار-بالبشر"),
        ("چه کسی قربانی است", "چه-کسی-قربانی-است"),
        ("Step 1 — the act_itself", "step-1-the-act-itself"),
        ("???", "section"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_a_term_reference_with_shown_text_works_inside_a_table_cell() -> None:
    issues = Issues()
    html = render_markdown("| Term | Use |\n|---|---|\n| A | See [[consent\\|the victim's consent]] |\n",
                           make_env(issues)).html
    assert '<a class="term-ref" href="#g-consent" data-term="consent">the victim\'s consent</a>' in html
    assert not issues.items


def test_an_unclosed_reference_is_a_warning_not_silent_text() -> None:
    issues = Issues()
    render_markdown("| Term | Use |\n|---|---|\n| A | See [[consent|the victim's consent]] |\n", make_env(issues))
    assert [i.format() for i in issues.items] == [
        f"{PATH}:7:11: warning: '[[' is not closed by ']]' "
        "(close the reference; in a table cell write [[term\\|shown text]])"]


def test_a_raw_html_id_that_begins_like_a_glossary_or_an_article_address_is_a_warning() -> None:
    """Headings' ids begin with their page's; an id written in raw HTML does not, and "#g-…" or "#fw-…"
    opens the glossary or the frameworks while its page is not loaded."""
    issues = Issues()
    source = ('<p id="g-7">The G-7.</p>\n\nText with <span id=\'fw-rules\'>rules</span> and '
              '<span data-id="g-8" id="G-9">no others</span>.\n')
    render_markdown(source, make_env(issues, allow_html=True, page_anchor="p-understanding--what-is"))
    assert [i.format() for i in issues.sorted()] == [
        f"{PATH}:5:1: warning: raw HTML gives an element the id 'g-7', which begins like the glossary's or the "
        "frameworks' addresses: '#g-7' would open that page instead (begin the id otherwise, with a word of this page)",
        f"{PATH}:7:1: warning: raw HTML gives an element the id 'fw-rules', which begins like the glossary's or "
        "the frameworks' addresses: '#fw-rules' would open that page instead (begin the id otherwise, with a word "
        "of this page)"]
    # In a glossary entry's own text such an id is where its address leads.
    issues = Issues()
    render_markdown(source, make_env(issues, allow_html=True, page_anchor="g-consent"))
    assert issues.sorted() == []


def test_an_article_citation_reads_in_the_course_language() -> None:
    env = make_env(article_label="{short}، المادة {number}")
    assert "Palermo Protocol، المادة 3</a>" in render_inline("[[@palermo-protocol:3]]", env)


def test_a_link_to_a_quiz_or_scenario_file_goes_to_its_page() -> None:
    seen: list[str] = []

    def resolve_link(href: str, where: SourceRef) -> str | None:
        seen.append(href)
        return "#/understanding/check"

    def resolve_media(src: str, where: SourceRef) -> str | None:
        raise AssertionError(f"{src} is a page, not a media file")

    html = render_inline("[the check](05-check.quiz.yaml) and [the case](04-case.scenario.yaml)",
                         make_env(resolve_link=resolve_link, resolve_media=resolve_media))
    assert seen == ["05-check.quiz.yaml", "04-case.scenario.yaml"]
    assert html.count('href="#/understanding/check"') == 2


def test_video_plays_in_place_with_its_captions_track() -> None:
    issues = Issues()
    env = make_env(issues, resolve_media=lambda src, where: src.removeprefix("../../"),
                   find_media=lambda src, where: src.removeprefix("../../") if src.endswith("talk.vtt") else None)
    html = render_inline("![A short talk](../../media/talk.mp4)", env)
    assert html == ('<video class="media-player" controls preload="metadata" aria-label="A short talk" '
                    'src="media/talk.mp4"><track kind="captions" src="media/talk.vtt" default label="A short talk">'
                    '<a href="media/talk.mp4">A short talk</a></video>')
    assert not issues.items


def test_audio_without_captions_is_a_warning_and_an_error_under_strict() -> None:
    for strict, severity in ((False, "warning"), (True, "error")):
        issues = Issues()
        env = make_env(issues, strict=strict, resolve_media=lambda src, where: src.removeprefix("../../"),
                       find_media=lambda src, where: None)
        assert "<audio " in render_inline("![An interview](../../media/voice.mp3)", env)
        assert [(i.severity, i.message) for i in issues.items] == [(severity, "audio has no captions")]


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
@settings(max_examples=2000, deadline=None)
def test_ascii_headings_slug_as_the_unicode_rules_would(text: str) -> None:
    from builder.markdown import _slugify_unicode, slugify

    assert slugify(text) == _slugify_unicode(text)


# --- the fast paths: parsers without the rules a text cannot use, block rules tried only where they can match

SAMPLE = Path(__file__).parent.parent / "course_src"
FRAGMENTS = [
    "word", " ", "\n", "\n\n", "\r", "\r\n", "\t", "  ", "    ", "~~struck~~", "~", "~~", "[^1]", "[^1]: a note",
    "^[inline note]", "[^", "Term\n: its definition", "  : indented", "> : quoted", "- : listed", "1. : numbered",
    "~ tilde", "::: note\ninside\n:::", ":::", "::: reveal Title", "[[consent]]", "[[Human trafficking|shown]]",
    "[[", "[[@palermo-protocol:3]]", "|", "a | b\n--|--\n1 | 2", "**bold**", "`code`", "# Heading",
    "[a](02-act-means-purpose.md)", "12:30", "<b>", "<div>\n", "\\|", "    : code", "* item", "- ", "1. ", "1) ",
    "Title\n===", "Title\n---", "===", "---", "- - -", "***", "* * *", "___", "_ _ _", "-", "=", "*", "_", "> ",
    ">", "> quote", "```\nfenced\n```", "~~~", "```", "[ref]: /url", "[ref]", "]:", "[", "]", "\tcode",
    "    code", "-     code", "> - > ***", "&amp;", "\\", "\\---", "a|b\n-|-\n1|2", "-\tcode", ">\tcode",
    "\0", "+ plus", "7. seven", "0) zero", "|:-", ":|", "-:", "| -", ": -", "<!-- c -->", "<pre>", "#", "###### six",
    # where each inline rule starts, and near misses
    "![Alt](../../media/x.png)", "![", "!", "<http://example.org>", "<a@b.example>", "<", "&copy;", "&#35;", "&",
    "\\*", "\\\n", "*em*", "_em_", "__strong__", "`", "``a ` b``", "[x]", "[a]: /u\n", "^", "^[", "[^", "]",
]


def _stock(text: str, inline: bool, allow_html: bool = False) -> tuple[str, list[str]]:
    """Rendered as markdown-it-py alone would: every rule, each tried on every line."""
    import functools

    import builder.markdown as markdown

    chosen_rules, chosen_parser = markdown._unused, markdown._parser
    try:
        markdown._unused = lambda text: frozenset()  # type: ignore[assignment]
        markdown._parser = functools.partial(chosen_parser, fast=False)  # type: ignore[assignment]
        return _rendered(text, inline, allow_html)
    finally:
        markdown._unused, markdown._parser = chosen_rules, chosen_parser  # type: ignore[assignment]


def _rendered(text: str, inline: bool, allow_html: bool = False) -> tuple[str, list[str]]:
    issues = Issues()
    env = make_env(issues, allow_html=allow_html)
    html = render_inline(text, env) if inline else render_markdown(text, env).html
    return html, [i.format() for i in issues.sorted()]


def _both_ways(text: str, inline: bool, allow_html: bool = False) -> tuple[tuple[str, list[str]], tuple[str, list[str]]]:
    """Rendered with the fast paths, then without them."""
    return _rendered(text, inline, allow_html), _stock(text, inline, allow_html)


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=16), st.booleans(), st.booleans())
@settings(max_examples=3000, deadline=None)
def test_the_fast_paths_change_nothing(pieces: list[str], inline: bool, allow_html: bool) -> None:
    fast, stock = _both_ways("".join(pieces), inline, allow_html)
    assert fast == stock


# Lines of every kind a block can start with (each first character a block rule looks for, and
# near misses), and the delimiter rows of tables; each after a line of every kind of block, in every
# kind of block around them.
LINE_KINDS = [
    "prose", "  indented prose", "    code", "\tcode", "# heading", "###### six", "####### seven", "#tight",
    "- item", "-tight", "+ item", "* item", "*emphasis*", "1. one", "1) one", "123. big", "1.", "-", "+", "*",
    *(f"{digit}. item" for digit in "0234567890"), "2) two", "٣. not a digit",
    "---", "***", "___", "- - -", "* * *", "_ _ _", "--", "===", "=", "```", "```js", "~~~", "~~", "``x``",
    "> quote", ">", ">quote", "<div>", "<!-- note -->", "<b>bold</b>", "<?x ?>", "<pre>", "</div>", "<",
    "[ref]: /url", "[^1]: note", "[^1]", "[a](02-act-means-purpose.md)", "[[consent]]", "[",
    ": definition", "~ definition", ":", "~", "::: note", ":::", "::::",
    "| a | b |", "a | b", "|---|---|", "|-|", "| - |", "|:-|", "--|--", ":--|--:", ":-:", "-:", ":|", "||", "|",
    "-|-", "- |", ": |", "|\t-", ":-", ": -", "-\t|", "\\- escaped", "&amp;", "![Alt](../../media/x.png)",
]
FIRST_KINDS = [
    "prose", "    code", "# heading", "- item", "+ item", "1. one", "2) two", "---", "```", "~~~", "> quote",
    "<div>", "[ref]: /url", "[^1]: note", ": definition", "::: note", "| a | b |", "a | b", "| a |", "|---|---|",
]
CONTEXTS = [
    "{a}\n{b}", "intro\n{a}\n{b}", "> {a}\n> {b}", "> {a}\n{b}", "- {a}\n  {b}", "- {a}\n{b}",
    "1. {a}\n   {b}", "Term\n: {a}\n{b}", "Term\n: {a}\n  {b}", "::: note\n{a}\n{b}\n:::", "   {a}\n    {b}",
]


@pytest.mark.parametrize("context", CONTEXTS)
def test_every_pair_of_line_kinds_renders_as_markdown_it_renders_it(context: str) -> None:
    for first in FIRST_KINDS:
        text = "\n\n".join(context.format(a=first, b=second) for second in LINE_KINDS) + "\n"
        fast, stock = _both_ways(text, inline=False, allow_html=True)
        assert fast == stock, (context, first)


# What each inline rule starts with, whole and cut short, some holding a `]` that only their rule's
# silent match (a link label skipping over them) keeps from closing the label around them.
INLINE_KINDS = [
    "\\]", "\\*", "\\", "`]`", "`` ` ``", "`", "~~s~~", "~", "*e*", "_e_", "**", "[b](02-act-means-purpose.md)",
    "[b]", "[", "]", "![b](../../media/x.png)", "![b]", "!", "<http://x.example/]>", "<a@b.example>", "<",
    "<b title=\"]\">", "</b>", "&amp;", "&#93;", "&", "^[n]", "^[[consent]]", "^", "[^1]", "[^", "[[consent]]",
    "[[consent|a ] b]]", "[[", "plain", "line\nbreak", "two  \nspaces",
]
INLINE_CONTEXTS = [
    "x{k}y", "[a {k} b](02-act-means-purpose.md)", "![a {k} b](../../media/x.png)", "[a {k} b]\n\n[a {k} b]: /u",
    "^[a {k} b]", "[[consent|a {k} b]]", "*a {k} b*", "~~a {k} b~~", "[^1] {k}\n\n[^1]: a {k} note", "| {k} |\n|-|",
]


@pytest.mark.parametrize("context", INLINE_CONTEXTS)
def test_every_inline_start_in_every_label_renders_as_markdown_it_renders_it(context: str) -> None:
    for kind in INLINE_KINDS:
        for inline, allow_html in ((False, False), (False, True), (True, True)):
            fast, stock = _both_ways(context.format(k=kind), inline, allow_html)
            assert fast == stock, (kind, inline, allow_html)


def test_the_sample_course_and_a_synthetic_course_render_as_markdown_it_renders_them(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(SAMPLE.parent / "benchmarks"))
    import synthetic

    sources = sorted(SAMPLE.rglob("*.md"))
    assert len(sources) > 15
    lessons = synthetic.lesson_files(synthetic.write_course(tmp_path, 40))
    assert len(lessons) == 40
    for path in [*sources, *lessons]:
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if path in lessons else text  # a lesson's body, as the builder renders it
        fast, stock = _both_ways(body, inline=False)
        assert fast == stock, path
@given(st.text(alphabet="-=*_~: \t\naZ", max_size=40))
@settings(max_examples=1500, deadline=None)
def test_the_quick_looks_for_optional_syntax_find_what_the_patterns_find(text: str) -> None:
    from builder.markdown import _DEFINITION_LINE, _MAY_USE, _RULE_LINE, _SETEXT_UNDERLINE, _line_ends

    may_use = dict(_MAY_USE)
    ends = _line_ends(text)
    assert may_use["definitions"](text, ends) == bool(_DEFINITION_LINE.search(text))
    assert may_use["lheading"](text, ends) == bool(_SETEXT_UNDERLINE.search(text))
    assert may_use["hr"](text, ends) == bool(_RULE_LINE.search(text))


@given(st.text(alphabet="aZ09._~/#-%:?é ", max_size=16))
@settings(max_examples=3000, deadline=None)
def test_plain_urls_skip_normalising_only_where_it_would_change_nothing(url: str) -> None:
    from markdown_it import MarkdownIt

    from builder.markdown import _link, _link_text

    md = MarkdownIt()
    assert _link(md, url) == md.normalizeLink(url)
    assert _link_text(md, url) == md.normalizeLinkText(url)


@given(st.text(alphabet="|\\\\a `", max_size=24))
@settings(max_examples=2000, deadline=None)
def test_table_rows_split_into_the_cells_markdown_it_finds(row: str) -> None:
    from builder.markdown_fast import _escaped_split, _split_cells

    assert _split_cells(row) == _escaped_split(row)


def test_tables_with_escaped_pipes_render_as_markdown_it_renders_them() -> None:
    text = ("| a \\| b | `c | d` |\n|---|---|\n| \\\\| e | f \\| g |\n| h | i |\n\n"
            "x | y\n--|--\n1 \\| 2 | 3\n")
    fast, stock = _both_ways(text, inline=False)
    assert fast == stock
    assert "a | b" in fast[0] and "f | g" in fast[0]
