"""Playwright driving Debian's Chromium, shared by every app's browser tests.

Browser tests are marked `browser`. Without /usr/bin/chromium they are skipped with a clear reason,
unless HALLBAR_REQUIRE_BROWSER=1 (as in CI), where a missing browser is an error.
"""

import os
import weakref
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HALLBAR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SKIP_REASON = (
    f"browser tests skipped: {CHROMIUM} not found. Install Debian's chromium package "
    "(apt-get install chromium) to run them; CI installs it and never skips them."
)


# The views a journey walks in: each language and each width once, not every pair of them.
# Swedish, whose words are longer, at the phone's width (where a long word overflows first),
# and English at the desktop's. The page sweep (core/tests/test_browser_lists.py) still checks every
# page in both languages at both widths.
VIEWS = [pytest.param("sv", 390, id="sv-390"), pytest.param("en", 1366, id="en-1366")]


def browser_required() -> bool:
    return os.environ.get("HALLBAR_REQUIRE_BROWSER", "") in {"1", "true", "yes"}


def browser_available() -> bool:
    return CHROMIUM.exists()


def shoot(page, folder: str, name: str) -> None:
    """Save a screenshot of the whole page as $HALLBAR_SHOTS/<folder>/<name>.png, when
    HALLBAR_SHOTS names a directory.

    Screenshots are for people looking at the pages; no test reads them, and a full-page one
    costs a tenth of a second or more, so without HALLBAR_SHOTS none is taken.
    """
    if root := os.environ.get("HALLBAR_SHOTS"):
        directory = Path(root) / folder
        directory.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def wider_than_window(page) -> str | None:
    """Say how much wider than the window the page is, or None when it fits."""
    document, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return (
        f"{page.url} is {document} px wide in a {window} px window" if document > window else None
    )


def check_page(
    page, folder: str = "", name: str = "", widths: tuple[int, ...] | None = (1366, 390)
) -> list[str]:
    """Look at a page as its users do; return the problems found.

    - axe-core once, on a page in Swedish: it checks the markup, roles, names and colours, which
      the two languages and the widths share (DESIGN, decision log); colours where the page has
      new ones (axe_check). An English page is checked for its words by
      core/tests/test_words.py, without a browser.
    - At each width (the viewport ends at the first; None: the page's width now): no wider than
      the window, and with HALLBAR_SHOTS and a name, a screenshot `<folder>/<name>-<width>.png`.
    """
    widths = widths or (page.viewport_size["width"],)
    problems = []
    if page.evaluate("document.documentElement.lang") != "en":
        problems += axe_check(page)
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        if too_wide := wider_than_window(page):
            problems.append(too_wide)
        if name:
            shoot(page, folder, f"{name}-{width}")
    page.set_viewport_size({"width": widths[0], "height": 900})
    return problems


def serious_violations(page, *, contrast: bool = True) -> list[str]:
    """Run axe-core on the page; return its serious and critical violations, readably.

    contrast=False leaves out the colour-contrast rule, which is about 60 % of axe's time on our
    pages; AxeSweep leaves it out where a page has no colours an earlier page did not have.
    """
    from axe_playwright_python.sync_playwright import DEFAULT_OPTIONS, Axe

    options: dict = dict(DEFAULT_OPTIONS)
    if not contrast:
        options["rules"] = {"color-contrast": {"enabled": False}}
    results = Axe().run(page, options=options)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") in {"serious", "critical"}:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            problems.append(f"{page.url}: {violation['id']} ({violation['impact']}): {targets}")
    return problems


# Each element's styling context: the tags, classes and the attributes the stylesheet selects on
# (or that set colours themselves), from <body> down to it. The stylesheet (static/css) has no
# sibling-, position- or id-dependent rule that sets a colour, so two elements with the same
# context get the same colours, on any page.
_STYLING_CONTEXTS = """() => {
    const attributes = ["type", "aria-current", "disabled", "style", "fill", "stroke"];
    const contexts = new Set();
    const walk = (element, above) => {
        const own = element.tagName + "." + [...element.classList].sort().join(".") +
            attributes.filter(a => element.hasAttribute(a))
                .map(a => "[" + a + "=" + element.getAttribute(a) + "]").join("");
        const context = above + ">" + own;
        contexts.add(context);
        for (const child of element.children) walk(child, context);
    };
    walk(document.body, "");
    return [...contexts];
}"""


class AxeSweep:
    """axe-core over the pages one test opens, as one person or several: every rule on every
    page, and colour contrast on each page that shows an element in a styling context no
    earlier page of the sweep showed.

    Colour contrast is about 60 % of axe's time on our pages. An element's colours and its
    background's come from the one stylesheet, through its own and its ancestors' tags, classes
    and attributes (_STYLING_CONTEXTS); its words do not change them. A page whose elements'
    contexts were all checked on earlier pages, such as a second person's view of a list, has
    nothing new for the rule; a page with one new context (a badge, a start page's own panel)
    is checked whole. Every other rule (names, labels, roles, structure) runs on every page.
    """

    def __init__(self) -> None:
        self.checked: set[str] = set()  # the styling contexts whose colours were checked

    def check(self, page) -> list[str]:
        page.wait_for_load_state()  # a page a click has just asked for has a body to read
        contexts = set(page.evaluate(_STYLING_CONTEXTS))
        new = not contexts <= self.checked
        self.checked |= contexts
        return serious_violations(page, contrast=new)


# One sweep per browser context: the page fixture makes a context for each test.
_sweeps: "weakref.WeakKeyDictionary[object, AxeSweep]" = weakref.WeakKeyDictionary()


def axe_check(page) -> list[str]:
    """Run axe-core on the page as part of its test's sweep (AxeSweep): every rule, and colour
    contrast where the page shows a styling context no earlier page of the test showed."""
    sweep = _sweeps.get(page.context)
    if sweep is None:
        sweep = _sweeps[page.context] = AxeSweep()
    return sweep.check(page)


@pytest.fixture(scope="session")
def browser():
    if not browser_available():
        pytest.skip(SKIP_REASON)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Användarnamn").or_(page.get_by_label("Username")).fill(username)
    page.get_by_label("Lösenord").or_(page.get_by_label("Password")).fill(password)
    page.get_by_role("button", name="Logga in").or_(
        page.get_by_role("button", name="Log in")
    ).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
