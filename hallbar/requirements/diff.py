"""Side-by-side comparison of two versions' lines of text, with changed words marked.

Plain Python over difflib (no Django): the page renders the rows in two columns and marks every
removal and addition with <del>/<ins> and a text marker, so nothing depends on colour.
"""

import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

EQUAL = "equal"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    """A run of text in a line that is the same, added or removed."""

    text: str
    change: str = EQUAL  # EQUAL, ADDED or REMOVED

    @property
    def is_added(self) -> bool:
        return self.change == ADDED

    @property
    def is_removed(self) -> bool:
        return self.change == REMOVED


@dataclass(frozen=True)
class DiffRow:
    """One row of the two columns: the old line (left) beside the new line (right)."""

    kind: str  # EQUAL, CHANGED, ADDED or REMOVED
    left_number: int | None
    left: tuple[Segment, ...]
    right_number: int | None
    right: tuple[Segment, ...]
    # the language of a side's text when it is not the page's (lang="sv" on an English page)
    left_lang: str = ""
    right_lang: str = ""

    @property
    def left_text(self) -> str:
        return "".join(s.text for s in self.left)

    @property
    def right_text(self) -> str:
        return "".join(s.text for s in self.right)


@dataclass
class SideBySide:
    rows: list[DiffRow] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for row in self.rows if row.kind == kind)

    @property
    def added(self) -> int:
        return self.count(ADDED)

    @property
    def removed(self) -> int:
        return self.count(REMOVED)

    @property
    def changed(self) -> int:
        return self.count(CHANGED)

    @property
    def identical(self) -> bool:
        return all(row.kind == EQUAL for row in self.rows)

    def changes_only(self) -> list[DiffRow]:
        return [row for row in self.rows if row.kind != EQUAL]


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].change == segment.change:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.change)
        else:
            merged.append(segment)
    return tuple(merged)


def inline_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Return the segments of old and new with the words that differ marked."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if tag == "equal":
            left.append(Segment(old_text))
            right.append(Segment(new_text))
        else:
            left.append(Segment(old_text, REMOVED))
            right.append(Segment(new_text, ADDED))
    return _merge(left), _merge(right)


def side_by_side(old: list[str], new: list[str]) -> SideBySide:
    """Compare old and new line by line; pair replaced lines and mark their changed words."""
    result = SideBySide()
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                line = old[i1 + offset]
                result.rows.append(
                    DiffRow(
                        EQUAL, i1 + offset + 1, (Segment(line),), j1 + offset + 1, (Segment(line),)
                    )
                )
            continue
        for offset in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + offset, j1 + offset
            has_old, has_new = i < i2, j < j2
            if has_old and has_new:
                left, right = inline_diff(old[i], new[j])
                result.rows.append(DiffRow(CHANGED, i + 1, left, j + 1, right))
            elif has_old:
                result.rows.append(DiffRow(REMOVED, i + 1, (Segment(old[i], REMOVED),), None, ()))
            else:
                result.rows.append(DiffRow(ADDED, None, (), j + 1, (Segment(new[j], ADDED),)))
    return result


def mark_language(result: SideBySide, lines: set[str], language: str) -> SideBySide:
    """Mark the sides of result whose whole line is one of lines as written in language."""
    result.rows = [
        replace(
            row,
            left_lang=language if row.left and row.left_text in lines else "",
            right_lang=language if row.right and row.right_text in lines else "",
        )
        for row in result.rows
    ]
    return result
