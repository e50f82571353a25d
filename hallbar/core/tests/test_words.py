"""No code words, Python values or the other language on any page (issue 12, item 4).

Every page of the access matrix (its world and its cases: one for every URL pattern) is fetched
as every member of the cast who may read it: in English here, in Swedish by the content matrix's
sweep (``test_content_matrix.py``), which fetches every page as every member anyway. The visible
text of each HTML page (the markup without its scripts, styles and attributes) must hold:

- no English UI words on a Swedish page, and no Swedish UI words on an English one (the page's
  own ``<html lang>`` says which language it is in: a supplier's portal follows the supplier);
- no slugs or code values (``laundry-and-textiles``, ``workers_rights``, a category's key);
- no Python values (``['proposed', 'approved']``, ``{'a': 1}``, ``None``, ``True``, ``False``);
- on Swedish pages, numbers written the English way (``1,234`` grouping, ``3.5`` decimals).

Text that people typed in (names, descriptions: any text stored in the database that is not a
code) may be in any language and is allowed where it appears whole.

Run: ``.venv/bin/python -m pytest hallbar/core/tests/test_words.py
hallbar/core/tests/test_content_matrix.py -p no:xdist``. It reads the compiled Swedish catalogue,
so it needs the merged translations (``locale/``) to pass.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test import Client

from hallbar.core.tests.test_access_matrix import (
    ANONYMOUS,
    CASES,
    EVERYONE,
    _build_world,
)
from hallbar.core.tests.worlds import rolled_back_world
from hallbar.training.tests.matrix import training_world

pytestmark = pytest.mark.django_db

LANGUAGES = ("sv", "en")
READERS = (*EVERYONE, ANONYMOUS)
# whose pages may follow their own preferred language rather than the session's
SUPPLIER_CONTACTS = ("charlie", "dave")

# --- what a page says -------------------------------------------------------------------------


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Elements inside a line of text: their text joins the text around them (a diff's <del>/<ins>).
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
}  # fmt: skip


class _Text(HTMLParser):
    """Collect the visible text of a page, a node per block (inline elements join the text
    around them), outside <script>, <style>, <template> and code (<code>, <pre>: names of files
    and fields, shown as such), each with the language of its element (a ``lang`` attribute
    marks a part in another language)."""

    SKIPPED = {"script", "style", "template", "code", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes: list[tuple[str, str]] = []
        self.lang = ""
        self._skip = 0
        self._langs: list[tuple[str, str]] = []  # (tag, language) of the open elements
        self._buffer: list[str] = []
        self._buffer_lang = ""

    def _current(self) -> str:
        return self._langs[-1][1] if self._langs else self.lang

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        if text:
            self.nodes.append((self._buffer_lang, text))
        self._buffer = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = (attributes.get("lang") or "").split("-")[0]
        if tag not in INLINE or attributes.get("lang"):
            self._flush()
        if tag in self.SKIPPED:
            self._skip += 1
        if tag not in VOID:
            language = (attributes.get("lang") or self._current()).split("-")[0]
            self._langs.append((tag, language))

    def handle_endtag(self, tag):
        if tag not in INLINE or (self._langs and self._langs[-1][1] != self._buffer_lang):
            self._flush()
        if tag in self.SKIPPED and self._skip:
            self._skip -= 1
        for at in range(len(self._langs) - 1, -1, -1):
            if self._langs[at][0] == tag:
                del self._langs[at:]
                break

    def handle_data(self, data):
        if self._skip:
            return
        if self._buffer and self._buffer_lang != self._current():
            self._flush()
        self._buffer_lang = self._current()
        self._buffer.append(data)

    def close(self):
        super().close()
        self._flush()


def visible_text(html: str) -> tuple[str, list[tuple[str, str]]]:
    """Return the page's declared language and its visible text nodes with their language."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.lang, parser.nodes


# --- the detectors ----------------------------------------------------------------------------

# Words of the English interface that no correct Swedish page uses (whole words, any case).
# Words that are also Swedish (status, region, plan, risk, budget, import, export, data, filter,
# start, total, land, visa, revision, version, screening, by, all, in, till, not, is, be) are left
# out on purpose.
ENGLISH = {
    # function words
    "the", "and", "of", "with", "from", "this", "that", "these", "those", "your", "you",
    "are", "has", "have", "been", "will", "which", "there", "should", "must", "when", "where",
    "what", "who", "or", "for", "to", "an", "its", "their", "than", "into", "per cent",
    "yet", "only", "each", "every", "here", "was", "were", "is not",
    # the interface's own words
    "save", "delete", "edit", "cancel", "search", "back", "next", "previous", "download",
    "upload", "submit", "approve", "reject", "confirm", "add", "remove", "create", "show",
    "hide", "clear", "sort", "home", "page", "log out", "sign in", "language", "details",
    "history", "changed", "created", "updated", "yes", "none", "unknown", "name", "country",
    "countries", "amount", "date", "year", "share", "value", "total spend", "spend",
    "national", "supplier", "suppliers", "contract", "contracts", "category", "categories",
    "follow-up", "follow-ups", "questionnaire", "questionnaires", "deviation", "deviations",
    "action", "actions", "audit", "audits", "auditor", "overdue", "due", "deadline", "open",
    "closed", "draft", "published", "approved", "proposed", "rejected", "pending", "high",
    "medium", "low", "basic", "advanced", "priority", "region code", "site", "sites",
    "steering group", "secretariat", "buyer", "contribution", "contributions", "invoice",
    "fee", "fees", "method", "score", "likelihood", "severity", "leverage", "exposure",
    "review", "merge", "undo", "restore", "report", "reports", "evidence",
    "assessment", "plan item", "items", "level", "requirement", "requirements", "clause",
    "code of conduct", "criterion", "criteria", "valid from", "valid to",
}  # fmt: skip
# Words of the Swedish interface that no English page uses ("kr" and "öre", the krona's symbol
# and unit, are used in English too, as "$" and "cent" would be).
SWEDISH = {
    "och", "för", "med", "att", "inte", "från", "eller", "som", "på", "är", "har", "ska",
    "inga", "ingen", "inget", "nej", "spara", "sök", "avbryt", "ändra", "leverantör",
    "leverantörer", "avtal", "kategori", "kategorier", "uppföljning", "uppföljningar",
    "enkät", "enkäter", "avvikelse", "avvikelser", "åtgärd", "åtgärder", "belopp", "sida",
    "logga", "okänd", "okänt", "hög", "låg", "medel", "bas", "avancerad", "utkast",
    "publicerad", "godkänd", "föreslagen", "kansliet", "styrgruppen", "upphandlare",
    "avgift", "bidrag", "förfallen", "försenad", "senast", "ej", "år", "land", "länder",
    "tkr", "mnkr", "fakturerat", "omfattning", "påverkan", "sannolikhet",
}  # fmt: skip
# Proper names and data that contain such words and may appear in either language.
ALLOWED = (
    "Open Supply Hub",
    "Code of Conduct for Sustainable Supply Chains",
    "Transparency International",
    "Worldwide Governance Indicators",
    "Corruption Perceptions Index",
    "World Bank",
    "List of Goods Produced by Child Labor or Forced Labor",
    "Bureau of International Labor Affairs",
    "Environmental Performance Index",
    "English",
    "Svenska",
    "hallbar",
    "CC BY-ND 4.0",
    "CC BY 4.0",
    "Creative Commons Erkännande 4.0 Internationell",
    # the World Bank's indicators by their own names
    "Voice and Accountability",
    "Political Stability and Absence of Violence/Terrorism",
    "Government Effectiveness",
    "Regulatory Quality",
    "Rule of Law",
    "Control of Corruption",
)
# Documents (docs/*.md shown as pages) are prose that names terms of the other language on
# purpose (the English method names the Swedish terms): their words are not checked.
DOCUMENTS = ("/risk/method/description/",)


def _words_pattern(words: set[str]) -> re.Pattern:
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


ENGLISH_WORDS = _words_pattern(ENGLISH)
SWEDISH_WORDS = _words_pattern(SWEDISH)
# lowercase words joined by hyphens (three or more) or underscores: slugs and code values
SLUG = re.compile(r"(?<![\w./@-])[a-z][a-z0-9]*(?:-[a-z0-9]+){2,}(?![\w/@-])")
SNAKE = re.compile(r"(?<![\w./@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])(?!\.\w)")
PYTHON = re.compile(
    r"\[\s*'[^']*'|\[\s*\]|\{\s*'[^']*'\s*:|\{\s*\}"
    r"|(?:^|(?<=[:=→(,]\s)|(?<=[:=→(,]))(?:None|True|False)(?=\s*(?:$|[,.;)\]→]))"
    r"|Decimal\(|datetime\.|object at 0x|<[A-Z]\w+: |\bQuerySet\b|__\w+__"
)
# on Swedish pages: English thousands grouping (1,234 / 1,234,567) and decimal points (3.5)
# (one group, as in "2,586", may be a Swedish decimal, so it counts only before "kr")
ENGLISH_NUMBER = re.compile(
    r"(?<![\w.,:/-])\d{1,3}(?:,\d{3}){2,}(?![\w,])|(?<![\w.,:/-])[1-9]\d{0,2},\d{3}(?= ?kr\b)"
    r"|(?<![\w.:/-])\d+\.\d+(?![\w.:/-])"
)
# English dates on Swedish pages: "Jan. 5, 2025", "5 January 2025", "March 2025"
ENGLISH_DATE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.\s+\d|"
    r"\b(?:January|February|March|April|June|July|August|September|October|November|"
    r"December)\b"
)


CODE = re.compile(r"[a-z0-9_-]+")
QUOTES = ".,;:()–—“”\"'‘’«»"


def typed_texts() -> set[str]:
    """Return the text people typed in: every non-empty text value in the database that is not
    a code (no choices, not a slug, not a bare lowercase token)."""
    texts: set[str] = set()
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and not isinstance(f, models.SlugField)
            and f.name not in {"password", "key", "slug", "code", "category_key", "kind"}
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if value and not CODE.fullmatch(value):
                    texts.update(" ".join(line.split()) for line in value.splitlines() if line)
    return {t for t in texts if len(t) > 2}


class Findings:
    def __init__(self, data: set[str]):
        self.data = data
        self.found: dict[str, set[str]] = defaultdict(set)
        self._joined = "\n".join(sorted(data))

    def _typed_in(self, node: str, start: int, end: int) -> bool:
        """Whether the match lies in an allowed proper name or in text people typed in: the
        whole text node is such a text (or a part of one, as in a diff), or so is the match
        with a word or two beside it (a paragraph after a label)."""
        for allowed in ALLOWED:
            at = node.find(allowed)
            while at >= 0:
                if at <= start and end <= at + len(allowed):
                    return True
                at = node.find(allowed, at + 1)
        if node in self.data:
            return True
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", node)]
        hit = next((i for i, (a, b) in enumerate(words) if a <= start < b), None)
        if hit is None:
            return False
        if len(words) > 1 and node in self._joined:
            return True
        token = node[words[hit][0] : words[hit][1]].strip(QUOTES)
        if token in self.data:
            return True
        for first in range(max(hit - 3, 0), hit + 1):
            for last in range(hit, min(hit + 3, len(words) - 1) + 1):
                if last == first:
                    continue
                fragment = node[words[first][0] : words[last][1]].strip(QUOTES)
                if " " in fragment and fragment in self._joined:
                    return True
        return False

    def check(self, url: str, nodes: list[tuple[str, str]]) -> None:
        for lang, node in nodes:
            other = ENGLISH_WORDS if lang == "sv" else SWEDISH_WORDS
            detectors = [("python", PYTHON), ("slug", SLUG), ("snake", SNAKE)]
            if not url.startswith(DOCUMENTS):
                detectors.append(("word", other))
            if lang == "sv":
                detectors += [("number", ENGLISH_NUMBER), ("date", ENGLISH_DATE)]
            for kind, pattern in detectors:
                for match in pattern.finditer(node):
                    if self._typed_in(node, match.start(), match.end()):
                        continue
                    context = node[max(0, match.start() - 40) : match.end() + 40]
                    self.found[f"{lang} {kind} {match.group(0)!r}"].add(f"{url}  «{context}»")


# --- the sweep --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from rolled_back_world(django_db_blocker, tmp_path_factory, "words", _build_world)


@pytest.fixture(scope="module")
def data_texts(world, django_db_blocker) -> set[str]:
    with django_db_blocker.unblock():
        training_world(world)  # built on first use otherwise: after the texts were read
        connection.check_constraints()  # once, not in every test's teardown (rolled_back_world)
        return typed_texts()


PAGES = [c for c in CASES if c.status == 200 and "format=" not in str(c.query)]


def _pages_for(who: str) -> list:
    return [c for c in PAGES if c.expected_get(who) == 200]


def read_page(findings: Findings, who: str, language: str, url: str, response) -> bool:
    """Check the words of an HTML page who was served in language; return whether it was one.

    Also used by the content matrix's sweep (``test_content_matrix.py``), which fetches every
    page in Swedish as every member of the cast: the Swedish pages are checked from it.
    """
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return False
    lang, nodes = visible_text(response.content.decode())
    if lang not in LANGUAGES or (lang != language and who not in SUPPLIER_CONTACTS):
        # a finding, not an assertion: the content matrix's sweep reads pages in a fixture
        findings.found[f"{language} page in <html lang={lang!r}>"].add(url)
    findings.check(url, nodes)
    return True


def report(findings: Findings) -> str:
    return "\n".join(
        f"{what}\n    "
        + "\n    ".join(sorted(where)[:3])
        + (f"\n    … and {len(where) - 3} more" if len(where) > 3 else "")
        for what, where in sorted(findings.found.items())
    )


# Swedish is checked by the content matrix's sweep, from the pages it fetches anyway.
@pytest.mark.parametrize("who", READERS)
def test_pages_speak_english_without_code_words(who, world, data_texts):
    language = "en"
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if who != ANONYMOUS:
        client.force_login(getattr(world.cast, who))
    findings = Findings(data_texts)
    fetched = 0
    for case in _pages_for(who):
        url = case.url(world)
        fetched += read_page(findings, who, language, url, client.get(url))
    assert fetched or who == "nobody"
    assert not findings.found, (
        f"{len(findings.found)} findings as {who} ({language}):\n{report(findings)}"
    )


def test_the_detectors_find_what_testers_saw():
    findings = Findings({"Nordic Gloves Ltd"})
    findings.check(
        "/x",
        [
            ("sv", text)
            for text in (
                "Kategori: laundry-and-textiles",
                "status ['proposed', 'approved']",
                "Basic: PR1",
                "national spend share",
                "Risk: high",
                "Summa 1,234 kr och 3.5 % av 0,005 och 12 345,5",
                "Leverantör: Nordic Gloves Ltd",
                "Uppgifter från Open Supply Hub",
                "workers_rights",
                "Värde: None",
            )
        ],
    )
    kinds = {key.split(" ", 2)[1] + " " + key.split(" ", 2)[2] for key in findings.found}
    assert kinds == {
        "slug 'laundry-and-textiles'",
        "python \"['proposed'\"",
        "word 'proposed'",
        "word 'approved'",
        "word 'Basic'",
        "word 'national'",
        "word 'spend'",
        "word 'share'",
        "word 'high'",
        "number '1,234'",
        "number '3.5'",
        "snake 'workers_rights'",
        "python 'None'",
        "word 'None'",
    }
    english = Findings(set())
    english.check(
        "/x",
        [
            ("en", "Supplier: Nordic"),
            ("en", "Leverantör och avtal"),
            ("en", "follow-up"),
            ("en", "None recorded."),
            ("sv", "Leverantör"),
        ],
    )
    assert set(english.found) == {"en word 'Leverantör'", "en word 'och'", "en word 'avtal'"}


def test_visible_text_joins_a_line_and_knows_its_language():
    lang, nodes = visible_text(
        '<html lang="sv"><head><title>Avtal</title><style>p{}</style></head><body>'
        "<p>Leverantören <del>ska</del> följa <a href='/x' title='Save'>upp</a></p>"
        '<script>var x = None;</script><p lang="en">Open <em>Supply</em> Hub</p>'
        "<p>Fil: <code>wgi_2023.csv</code></p></body></html>"
    )
    assert lang == "sv"
    assert nodes == [
        ("sv", "Avtal"),
        ("sv", "Leverantören ska följa upp"),
        ("en", "Open Supply Hub"),
        ("sv", "Fil:"),
    ]
