"""AxeSweep and axe_check (core/tests/browser.py): every rule on every page, colour contrast where
a page shows an element in a styling context that no earlier page of the sweep showed; one sweep
per browser context, so per test."""

import pytest

from hallbar.core.tests.browser import AxeSweep, axe_check

pytestmark = [pytest.mark.browser, pytest.mark.presentation]

PAGE = """<!doctype html><html lang="sv"><head><title>Sida</title>
<style>p {{ color: {colour}; }} .faint {{ color: #bbb; }}</style></head>
<body><main><h1>Rubrik</h1><p>{words}</p>{more}</main></body></html>"""


def _page(colour: str, words: str, more: str = "") -> str:
    return PAGE.format(colour=colour, words=words, more=more)


@pytest.fixture
def tab(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_colours_are_checked_where_a_page_has_new_styling_contexts(tab):
    axe = AxeSweep()
    logo = '<img src="logo.png" alt="Logotyp">'
    tab.set_content(_page("#000", "Svart text", more=logo))
    assert axe.check(tab) == []
    # The same contexts with other words: colour contrast is not run again. (Only a changed
    # stylesheet, which a sweep over one site never has, could make a paragraph grey here: the
    # rule is left out, so the grey text passes.) Every other rule runs: the image without a
    # text alternative is found.
    tab.set_content(_page("#ccc", "Annan text", more='<img src="logo.png">'))
    found = axe.check(tab)
    assert any("image-alt" in problem for problem in found), found
    assert not any("color-contrast" in problem for problem in found), found
    # A new context (a paragraph of another class) makes the whole page checked again
    tab.set_content(_page("#ccc", "Annan text", more=f'{logo}<p class="faint">Blek text</p>'))
    found = axe.check(tab)
    assert any("color-contrast" in problem for problem in found), found


def test_a_new_sweep_checks_every_page_s_colours(tab):
    tab.set_content(_page("#ccc", "Grå text"))
    found = AxeSweep().check(tab)
    assert any("color-contrast" in problem for problem in found), found


def test_axe_check_keeps_one_sweep_per_browser_context(browser, tab):
    tab.set_content(_page("#000", "Svart text"))
    assert axe_check(tab) == []
    # Another page of the same context (the same test) is part of the same sweep
    second = tab.context.new_page()
    second.set_content(_page("#ccc", "Grå text"))
    assert axe_check(second) == []
    # A new context (the next test) starts a new sweep
    context = browser.new_context()
    try:
        other = context.new_page()
        other.set_content(_page("#ccc", "Grå text"))
        assert any("color-contrast" in problem for problem in axe_check(other))
    finally:
        context.close()
