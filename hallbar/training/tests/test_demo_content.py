"""The demo package's texts about the contract clause agree with the clause itself: the process
requirements PR1–PR7 as the platform's own clause (hallbar/demo/requirements.py) names them."""

import re

import pytest

from hallbar.demo.requirements import CLAUSE_2024
from hallbar.demo.training import MODULES


def _titles() -> dict[int, tuple[str, str]]:
    return {
        pr["number"]: (pr["title"], pr["title_en"]) for pr in CLAUSE_2024["process_requirements"]
    }


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


def _lesson_texts():
    for spec in MODULES:
        for _title_sv, _title_en, body_sv, body_en in spec["lessons"]:
            yield spec["key"], 0, body_sv
            yield spec["key"], 1, body_en


def test_the_clause_lesson_lists_pr1_to_pr7_with_the_clauses_titles():
    titles = _titles()
    assert sorted(titles) == [1, 2, 3, 4, 5, 6, 7]
    clause = next(m for m in MODULES if m["key"] == "contract-clause")
    lesson = next(lesson for lesson in clause["lessons"] if "**PR1" in lesson[2])
    for number, (title_sv, title_en) in titles.items():
        assert f"**PR{number} {title_sv}**" in lesson[2], (number, title_sv)
        assert f"**PR{number} {title_en}**" in lesson[3], (number, title_en)


@pytest.mark.parametrize("language", [0, 1])
def test_every_named_pr_in_a_lesson_has_the_clauses_title(language):
    titles = _titles()
    named = 0
    for key, lang, text in _lesson_texts():
        if lang != language:
            continue
        for number, title in re.findall(r"\*\*PR(\d) ([^*]+)\*\*", text):
            assert title == titles[int(number)][language], (key, number, title)
            named += 1
    assert named >= 7


@pytest.mark.parametrize("language", [0, 1])
def test_questions_about_a_pr_have_its_title_in_the_right_answer_only(language):
    titles = _titles()
    asked = 0
    for spec in MODULES:
        for _kind, text_sv, text_en, options in spec["questions"]:
            for number in re.findall(r"PR(\d)", (text_sv, text_en)[language]):
                title_words = _words(titles[int(number)][language])
                for option in options:
                    has_title = title_words <= _words(option[language])
                    assert has_title is option[2], (spec["key"], number, option[language])
                asked += 1
    assert asked >= 2
