"""The contribution arithmetic, kept free of the database so the rule is easy to read and test.

Rounding rule: a contribution is rate (öre per inhabitant) × population, converted to kronor and
rounded to whole kronor, half a krona rounded up (population and rate are never negative).
"""


def contribution_sek(*, rate_ore: int, population: int) -> int:
    """Return the contribution in whole kronor for rate_ore öre per inhabitant."""
    if rate_ore < 0 or population < 0:
        raise ValueError("rate and population cannot be negative")
    return (rate_ore * population + 50) // 100
