"""Refuse passwords built on the Swedish words people reach for first.

Django's CommonPasswordValidator knows the world's most common passwords; a security review
found that "Sommar2025" passed it. This validator strips digits, punctuation and spaces, reads
common letter-for-digit swaps back (0→o, 1→i, 3→e, 4→a, 5→s, @→a, $→s) and refuses the password
when what is left is nothing, or only words from the list below: seasons, months, weekdays,
Swedish cities, regions and counties, "lösenord" and a few more. "Sommar2025!", "Göteborg2024"
and "VintervinterStockholm1" are refused; a phrase of unrelated words is not.
"""

import re
import unicodedata
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SEASONS = ("vår", "våren", "sommar", "sommaren", "höst", "hösten", "vinter", "vintern")
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept",
    "okt", "nov", "dec",
    "january", "february", "march", "may", "june", "july", "august", "october",
)  # fmt: skip
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
CITIES = (
    "stockholm", "göteborg", "gbg", "malmö", "uppsala", "västerås", "örebro", "linköping",
    "helsingborg", "jönköping", "norrköping", "lund", "umeå", "gävle", "borås", "södertälje",
    "eskilstuna", "halmstad", "växjö", "karlstad", "sundsvall", "östersund", "trollhättan",
    "luleå", "borlänge", "kristianstad", "kalmar", "falun", "skövde", "karlskrona", "skellefteå",
    "uddevalla", "varberg", "visby", "nyköping", "örnsköldsvik", "piteå", "kiruna", "mora",
    "motala", "kungsbacka", "solna", "sverige", "sweden",
)  # fmt: skip
REGIONS = (
    "region", "regionen", "län", "stockholms", "uppsala", "sörmland", "södermanland",
    "södermanlands", "östergötland", "östergötlands", "jönköpings", "kronoberg", "kronobergs",
    "kalmar", "gotland", "gotlands", "blekinge", "skåne", "skånes", "halland", "hallands",
    "västra", "götaland", "götalands", "västragötaland", "vgr", "värmland", "värmlands",
    "örebro", "västmanland", "västmanlands", "dalarna", "dalarnas", "gävleborg", "gävleborgs",
    "västernorrland", "västernorrlands", "jämtland", "jämtlands", "härjedalen", "västerbotten",
    "västerbottens", "norrbotten", "norrbottens", "norrland", "norrlands",
)  # fmt: skip
WORDS = (
    "lösenord", "losen", "password", "passord", "hemligt", "hemlig", "välkommen", "hallbar",
    "hållbar", "upphandling", "admin", "qwerty", "qwertyuiop", "asdf", "asdfgh", "abc", "test",
    "hej", "hejsan", "sommarlov", "jul", "midsommar", "påsk", "nyår", "kalle", "anka",
)  # fmt: skip

_SWAPS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "@": "a", "$": "s"})


def _plain(text: str) -> str:
    """Lower case without diacritics: "Göteborg" → "goteborg"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    return frozenset(_plain(w) for w in (*SEASONS, *MONTHS, *WEEKDAYS, *CITIES, *REGIONS, *WORDS))


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text)


def _only_listed_words(letters: str) -> bool:
    """Return whether letters is one or more words of the list written together."""
    words = _words()
    reachable = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        reachable[end] = any(
            reachable[start] and letters[start:end] in words for start in range(end)
        )
    return reachable[-1]


def is_guessable(password: str) -> bool:
    """Return whether password is only listed words, years, digits and punctuation."""
    plain = _plain(password)
    without_digits = _letters(plain)
    # Numbers of two or more digits are years or counters; a single digit among letters may
    # stand for a letter ("S0mmar").
    with_swaps = _letters(re.sub(r"\d{2,}", "", plain).translate(_SWAPS))
    return any(
        not letters or _only_listed_words(letters) for letters in (without_digits, with_swaps)
    )


class SwedishPatternValidator:
    """A password validator (AUTH_PASSWORD_VALIDATORS) for the patterns in this module."""

    def validate(self, password: str, user=None) -> None:
        if is_guessable(password):
            raise ValidationError(
                _(
                    "This password is built on a common word (a season, month, place or "
                    "“password”) with a year or digits, which is easy to guess. Choose a longer "
                    "phrase of unrelated words."
                ),
                code="password_swedish_pattern",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password can't be a season, month, place or “password” followed by a year or "
            "digits."
        )
