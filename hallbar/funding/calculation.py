"""The contribution arithmetic, kept free of the database so the rule is easy to read and test.

Rounding rule: a contribution is rate (öre per inhabitant) × population, converted to kronor and
rounded to whole kronor, half a krona rounded up (population and rate are never negative).
"""


def contribution_sek(*, rate_ore: int, population: int) -> int:
    """Return the contribution in whole kronor for rate_ore öre per inhabitant."""
    if rate_ore < 0 or population < 0:
        raise ValueError("rate and population cannot be negative")
    return (rate_ore * population + 50) // 100


def difference_sek(*, rule_sek: int | None, decided_sek: int | None) -> int | None:
    """Return the region's decided amount minus the amount by the rule (negative: it decided
    less), or None when either is unknown."""
    if rule_sek is None or decided_sek is None:
        return None
    return decided_sek - rule_sek


def invoiced_sek(*, rule_sek: int | None, decided_sek: int | None, basis: str) -> int | None:
    """Return the amount invoiced: the decided one when basis is "decided", else the rule's."""
    return decided_sek if basis == "decided" else rule_sek
