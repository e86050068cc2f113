"""The default theme's interface catalogues (`themes/default/locales/<lang>.yaml`): every language
has exactly the English keys, each with text, the same {placeholders}, and no English left behind."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.errors import Issues
from builder.theme import load_strings
from builder.yamlio import load_yaml

THEME = Path(__file__).resolve().parent.parent / "themes" / "default"
LOCALES = THEME / "locales"

# The languages the course promises complete; any other catalogue found is checked the same way.
REQUIRED = ("es", "fr", "pt", "ar", "fa")
LANGUAGES = sorted(set(REQUIRED) | {p.stem for p in LOCALES.glob("*.yaml")} - {"en"})

# English texts that may stay as they are in every language (proper nouns, codes such as "SCORM").
# Only texts of more than three words are compared with English; add a text here only when keeping
# it untranslated is right.
SAME_IN_EVERY_LANGUAGE: frozenset[str] = frozenset()

# Latin words that Arabic and Persian text keeps as written (names of technologies).
LATIN_WORDS_KEPT = {"JavaScript", "SCORM"}
ARABIC_SCRIPT = {"ar", "fa"}

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def read_catalogue(lang: str) -> dict:
    path = LOCALES / f"{lang}.yaml"
    assert path.is_file(), f"locales/{lang}.yaml is missing"
    issues = Issues()
    data = load_yaml(path.read_text(encoding="utf-8"), str(path), issues)
    assert not issues, "\n".join(i.format() for i in issues)
    assert isinstance(data, dict), f"locales/{lang}.yaml is not a mapping of key: text"
    return dict(data)


ENGLISH = read_catalogue("en")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_english_is_complete_text() -> None:
    assert ENGLISH, "locales/en.yaml has no strings"
    bad = sorted(k for k, v in ENGLISH.items() if not isinstance(v, str) or not v.strip())
    assert not bad, f"English keys without text: {bad}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_has_exactly_the_english_keys(lang: str) -> None:
    strings = read_catalogue(lang)
    missing = sorted(set(ENGLISH) - set(strings))
    extra = sorted(set(strings) - set(ENGLISH))
    assert not missing, f"locales/{lang}.yaml lacks keys of en.yaml: {missing}"
    assert not extra, f"locales/{lang}.yaml has keys en.yaml does not: {extra}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_value_is_text(lang: str) -> None:
    strings = read_catalogue(lang)
    # YAML reads bare `No`, `yes`, `1.0` or an empty value as something other than text.
    bad = {k: v for k, v in strings.items() if not isinstance(v, str) or not v.strip()}
    assert not bad, f"locales/{lang}.yaml: values that are not text (quote them): {bad}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_english(lang: str) -> None:
    strings = read_catalogue(lang)
    wrong = []
    for key, english in ENGLISH.items():
        text = strings.get(key)
        if not isinstance(text, str):
            continue
        if placeholders(text) != placeholders(english):
            wrong.append(f"{key}: {sorted(placeholders(text))} (English has {sorted(placeholders(english))})")
        # A brace that is not part of a {name} would reach the learner as is.
        if PLACEHOLDER.sub("", text).count("{") or PLACEHOLDER.sub("", text).count("}"):
            wrong.append(f"{key}: stray brace in {text!r}")
    assert not wrong, f"locales/{lang}.yaml placeholders:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_sentence_left_in_english(lang: str) -> None:
    strings = read_catalogue(lang)
    same = sorted(
        key for key, english in ENGLISH.items()
        if len(english.split()) > 3 and english not in SAME_IN_EVERY_LANGUAGE and strings.get(key) == english
    )
    assert not same, f"locales/{lang}.yaml: still the English text (untranslated?): {same}"


@pytest.mark.parametrize("lang", sorted(ARABIC_SCRIPT))
def test_arabic_script_catalogues_keep_no_latin_words(lang: str) -> None:
    """Arabic and Persian text is written in its own script: a Latin word is English left behind."""
    found = []
    for key, text in read_catalogue(lang).items():
        words = set(re.findall(r"[A-Za-z]+", PLACEHOLDER.sub("", str(text)))) - LATIN_WORDS_KEPT
        if words:
            found.append(f"{key}: {sorted(words)}")
    assert not found, f"locales/{lang}.yaml has Latin words:\n" + "\n".join(found)


def test_persian_uses_persian_letters() -> None:
    """Persian yeh and keheh (ی ک), not the Arabic letters (ي ك) that look alike in the middle of a word."""
    wrong = [f"{k}: {v}" for k, v in read_catalogue("fa").items() if re.search("[\u064a\u0643]", str(v))]
    assert not wrong, "Arabic yeh or kaf in locales/fa.yaml:\n" + "\n".join(wrong)


def test_arabic_uses_arabic_letters() -> None:
    wrong = [f"{k}: {v}" for k, v in read_catalogue("ar").items() if re.search("[\u06cc\u06a9]", str(v))]
    assert not wrong, "Persian yeh or keheh in locales/ar.yaml:\n" + "\n".join(wrong)


@pytest.mark.parametrize("tag, lang", [("es", "es"), ("es-419", "es"), ("fr-CA", "fr"), ("pt-BR", "pt"),
                                       ("pt-PT", "pt"), ("ar", "ar"), ("ar-IQ", "ar"), ("fa-IR", "fa")])
def test_the_builder_gives_the_course_language(tag: str, lang: str) -> None:
    """A course in `tag` gets the whole catalogue of its language, nothing from English underneath."""
    issues = Issues()
    strings = load_strings([THEME], tag, issues)
    assert not issues
    assert strings == read_catalogue(lang)
