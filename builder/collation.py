"""Alphabetical order and index letters for a glossary, in the course's language."""
from __future__ import annotations

import unicodedata

# Persian puts پ چ ژ گ among the Arabic letters, which code point order does not.
_PERSIAN = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})
_PERSIAN_FORMS = str.maketrans({"ك": "ک", "ي": "ی", "ى": "ی", "ة": "ه"})


def _fold(text: str) -> str:
    """Accents, case and Arabic diacritics do not change where a word files."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _without_article(text: str) -> str:
    """The definite article «ال» (plain alef, then lam) does not decide where a word files."""
    return text[2:] if text.startswith("ال") and len(text) > 3 else text


def _filed(text: str, base: str) -> str:
    """The form a word files under: folded, and for Arabic script without the article and alef forms."""
    if base in ("ar", "fa", "ur"):
        folded = _fold(_without_article(text.strip())).translate(_ALEF)
        return folded.translate(_PERSIAN_FORMS) if base == "fa" else folded
    return _fold(text)


def sort_key(text: str, language: str) -> tuple:
    """The key a glossary sorts its terms by, as a reader of `language` expects."""
    base = language.split("-")[0].lower()
    folded = _filed(text, base)
    if base == "fa":
        return tuple((_PERSIAN.index(c) if c in _PERSIAN else 100 + ord(c)) for c in folded)
    return tuple(ord(c) for c in folded)


def index_letter(text: str, language: str) -> str:
    """The letter a term is listed under in the A to Z."""
    return _filed(text, language.split("-")[0].lower())[:1].upper() or "#"
