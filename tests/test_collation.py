"""The glossary's A to Z files terms where readers of each language look for them."""
from __future__ import annotations

from builder.collation import index_letter, sort_key


def test_arabic_ignores_the_article_and_folds_alef_forms() -> None:
    terms = ["العمل القسري", "إحالة", "آلية الإحالة الوطنية", "تهريب المهاجرين", "الاتجار بالأشخاص"]
    ordered = sorted(terms, key=lambda t: sort_key(t, "ar"))
    assert ordered == ["الاتجار بالأشخاص", "إحالة", "آلية الإحالة الوطنية", "تهريب المهاجرين", "العمل القسري"]
    assert {index_letter(t, "ar") for t in ordered[:3]} == {"ا"}
    assert index_letter("العمل القسري", "ar") == "ع"


def test_persian_letters_sort_in_the_persian_alphabet() -> None:
    terms = ["گذرنامه", "ژن", "چارچوب", "پناهنده", "بهره‌کشی", "کار اجباری"]
    assert sorted(terms, key=lambda t: sort_key(t, "fa")) == [
        "بهره‌کشی", "پناهنده", "چارچوب", "ژن", "کار اجباری", "گذرنامه"]


def test_latin_accents_and_case_do_not_split_letters() -> None:
    assert sorted(["Zona", "Ética", "abuso", "Estado"], key=lambda t: sort_key(t, "es")) == [
        "abuso", "Estado", "Ética", "Zona"]
    assert index_letter("Ética", "es") == "E"
