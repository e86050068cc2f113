"""The renderer's plain-text shortcut must give exactly what markdown-it gives."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from builder.errors import Issues
from builder.markdown import MarkdownEnv, render_inline, render_markdown
from builder.render import _BLOCK_START, _PLAIN, _escape_plain


def _env() -> MarkdownEnv:
    return MarkdownEnv(path="x.md", line_offset=0, page_anchor="p", terms={}, instruments={}, issues=Issues(),
                       resolve_link=lambda href, where: None, resolve_media=lambda src, where: None,
                       render_check=lambda text, where, n: "", frameworks_list=lambda args, where: "")


ALPHABET = st.sampled_from(list("abcXYZ éç0123456789 .,;:?'\"()-/%=+#@*_`[]!<>&\\~|^$\t\n") + ["ع", "ی"])


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=40))
def test_plain_text_shortcut_matches_markdown_it(text: str) -> None:
    if not _PLAIN.fullmatch(text):
        return
    assert _escape_plain(text) == render_inline(text, _env())
    if not _BLOCK_START.match(text):
        assert f"<p>{_escape_plain(text)}</p>\n" == render_markdown(text, _env()).html


def test_shortcut_takes_ordinary_sentences_and_leaves_markup() -> None:
    assert _PLAIN.fullmatch("Ask to speak with the applicant alone, in private (art. 36).")
    for text in ("*emphasis*", "[[Term]]", "a `code` span", "<b>", "x\ny", "# Heading", "- item", "A & B"):
        assert not _PLAIN.fullmatch(text)
