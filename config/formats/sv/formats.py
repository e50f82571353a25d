"""Swedish numbers: a decimal comma and a thin space between thousands (12 345,50).

Django's Swedish format groups thousands with a no-break space (U+00A0), as wide as a word space.
Swedish typography (Språkrådet's writing rules) uses a thin space; U+202F is the thin space that
does not break a number across lines. Every number on a page, in a chart or in a mail goes through
django.utils.formats.number_format (and the floatformat/intcomma filters), so this is the one rule.
CSV files are not formatted this way: their numbers have no grouping (core/tabular/writer.py), so
Excel reads them as numbers.
"""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"  # NARROW NO-BREAK SPACE
NUMBER_GROUPING = 3
