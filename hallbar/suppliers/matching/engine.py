"""Match supplier records to each other: by identifier first, then by name within a country.

Rules, in order of strength:

1. Records sharing an identifier key (:func:`identity_keys`) are the same supplier, certainly.
2. Records with different verified identifiers (strong keys in one namespace, e.g. two
   Swedish organisation numbers) or with legal forms of different classes ("X AB" and
   "X HB") are different suppliers. They are never merged by name; if their normalised names
   are identical the pair goes to human review (a mistyped yet valid number, a conversion).
3. Otherwise records of the same country whose names score at least the automatic threshold
   are merged, and scores between the review and the automatic thresholds go to review.
   Unverified foreign ids that differ on both sides do not stop an identical name, but turn a
   merely similar name into a review case.

A blank country means Sweden, as for organisation numbers: the registers are Swedish regions'
and leave the country of domestic suppliers blank. A blank country with a foreign VAT number
takes the VAT number's country.

Name scores (0-100) are the best of rapidfuzz's Indel ratio on the normalised name, on its
words sorted (word-order swaps) and on the name without spaces ("Health Care" against
"Healthcare"). Partial and token-set ratios are deliberately not used: they give 100 to
"Nordic Medical" against "Nordic Medical Supply", which are different companies.

Candidate pairs come from blocks within each country: every word of the normalised name, the
first six letters of each longer word ("saleemcutlery" meets "saleem cutlery"), and the
one-letter deletions of the two rarest words, so that a typo in a distinctive word still
meets the original (the deletion neighbourhoods of "medicom" and "medicon" share "medico").

The module does not import Django.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from .identifiers import _checked_vat, _luhn_valid, identity_keys, key_namespace
from .names import legal_form_class, normalise_name, split_legal_form

__all__ = [
    "AMBIGUITY_MARGIN",
    "DEFAULT_AUTO_THRESHOLD",
    "DEFAULT_REVIEW_THRESHOLD",
    "Clustering",
    "Decision",
    "MatchResult",
    "Matcher",
    "ReviewPair",
    "SupplierRecord",
    "build_clusters",
    "clear_caches",
    "cluster_records",
    "match_records",
    "name_score",
]

Decision = Literal["identifier", "name", "review", "new"]

DEFAULT_AUTO_THRESHOLD = 90.0
DEFAULT_REVIEW_THRESHOLD = 85.0
# The Matcher sends a name match to review when the runner-up is this close.
AMBIGUITY_MARGIN = 2.0
# Words in at most this many names of a country also block under their one-letter deletions.
_RARE_WORD_NAMES = 40
_DELETION_WORDS = 2
_PREFIX = 6
# Larger blocks are skipped, and counted in Clustering.skipped_blocks (normally none).
_MAX_BLOCK = 6000
_EXACT = 100.0
_SCORE_CHUNK = 500_000


@dataclass(frozen=True, slots=True)
class SupplierRecord:
    """One supplier row, from a regional register or the national registry."""

    key: str
    name: str
    country: str = ""
    org_number: str = ""
    vat_number: str = ""


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The decision for one incoming record; ``candidate_key`` is "" when it is new."""

    incoming_key: str
    decision: Decision
    candidate_key: str
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class ReviewPair:
    """Records of two different clusters that a human should compare."""

    key_a: str
    key_b: str
    score: float
    reason: str


@dataclass(slots=True)
class Clustering:
    """The result of :func:`build_clusters`: record key → cluster id, and the review queue."""

    clusters: dict[str, str]
    review: list[ReviewPair] = field(default_factory=list)
    skipped_blocks: int = 0


@dataclass(frozen=True, slots=True)
class _Traits:
    """What a record, or a cluster of records, says about its identity besides its name."""

    namespaces: frozenset[str]
    weak: frozenset[str]
    forms: frozenset[str]


@dataclass(slots=True)
class _Prepared:
    keys: frozenset[str]
    traits: _Traits
    country: str
    name: str


def _conflict(a: _Traits, b: _Traits) -> tuple[str, bool]:
    """Return why two records or clusters may differ, and whether that is certain.

    Different verified identifiers and different classes of legal form are certain. Different
    unverified ids are not: regions record different kinds of foreign id for one company.
    """
    if a.namespaces & b.namespaces:
        return "different identifiers", True
    if a.forms and b.forms and not a.forms & b.forms:
        return "different legal forms", True
    if a.weak and b.weak and not a.weak & b.weak:
        return "different unverified identifiers", False
    return "", False


def _judge(score: float, a: _Traits, b: _Traits, auto: float, review: float) -> tuple[str, str]:
    """Return ("merge" | "review" | "", reason) for two records or clusters by name."""
    conflict, certain = _conflict(a, b)
    name = "same name" if score >= _EXACT else "similar name"
    if not conflict:
        if score >= auto:
            return "merge", name
        return ("review", name) if score >= review else ("", "")
    if certain:
        # Only an identical name is worth a human's time against proof of difference.
        return ("review", f"{name}, {conflict}") if score >= _EXACT else ("", "")
    if score >= _EXACT:
        return "merge", name
    return ("review", f"{name}, {conflict}") if score >= auto else ("", "")


def _infer_country(country: str, keys: Iterable[str]) -> str:
    """Return the record's country; a blank one is the identifiers' country, else Sweden."""
    country = country.strip().upper()
    if country:
        return country
    implied = {key[4:6] if key.startswith("VAT:") else key.split(":", 1)[0] for key in keys}
    implied.discard("ID")
    return implied.pop() if len(implied) == 1 else "SE"


def _prepare(records: Sequence[SupplierRecord], *, names: bool = True) -> list[_Prepared]:
    """Compute the identifier keys, country, normalised name and legal form of each record."""
    id_cache: dict[tuple[str, str, str], tuple[frozenset[str], frozenset[str], frozenset[str]]]
    id_cache = {}
    name_cache: dict[str, tuple[str, frozenset[str]]] = {}
    traits_cache: dict[tuple[frozenset[str], frozenset[str], frozenset[str]], _Traits] = {}
    prepared = []
    for record in records:
        id_args = (record.org_number, record.vat_number, record.country)
        ids = id_cache.get(id_args)
        if ids is None:
            keys = frozenset(identity_keys(*id_args))
            namespaces = frozenset(ns for ns in map(key_namespace, keys) if ns)
            weak = frozenset(key for key in keys if key_namespace(key) is None)
            ids = id_cache[id_args] = (keys, namespaces, weak)
        name = name_cache.get(record.name) if names else ("", frozenset())
        if name is None:
            form = legal_form_class(record.name)
            forms = frozenset((form,)) if form else frozenset()
            name = name_cache[record.name] = (normalise_name(record.name), forms)
        keys, namespaces, weak = ids
        traits_key = (namespaces, weak, name[1])
        traits = traits_cache.get(traits_key)
        if traits is None:
            traits = traits_cache[traits_key] = _Traits(*traits_key)
        prepared.append(_Prepared(keys, traits, _infer_country(record.country, keys), name[0]))
    return prepared


def _block_keys(name: str, df: Mapping[str, int]) -> set[str]:
    """Return the blocking keys of a normalised name, given its country's word frequencies."""
    words = set(name.split())
    keys = {word for word in words if len(word) >= 2} or {name}
    keys.update(word[:_PREFIX] for word in words if len(word) > _PREFIX)
    rare = sorted(
        (word for word in words if len(word) >= 4 and df.get(word, 0) <= _RARE_WORD_NAMES),
        key=lambda word: (df.get(word, 0), word),
    )[:_DELETION_WORDS]
    for word in rare:
        keys.update(word[:i] + word[i + 1 :] for i in range(len(word)))
    return keys


class _Forms:
    """The three spellings of each name that the score compares, as numpy object arrays."""

    def __init__(self, names: Sequence[str]) -> None:
        self.plain = np.array(names, dtype=object)
        self.sorted = np.array([" ".join(sorted(name.split())) for name in names], dtype=object)
        self.joined = np.array([name.replace(" ", "") for name in names], dtype=object)
        self.length = np.array([len(name) for name in names], dtype=np.int32)
        self.joined_length = np.array([len(name) for name in self.joined], dtype=np.int32)


def _score_pairs(
    left: _Forms, right: _Forms, a: np.ndarray, b: np.ndarray, cutoff: float
) -> np.ndarray:
    """Return the name score of each pair (left[a[k]], right[b[k]]); 0 below ``cutoff``."""
    scores = np.zeros(len(a), dtype=np.float32)
    if not len(a):
        return scores
    # The Indel ratio cannot exceed 200 * shorter / (sum of lengths): skip hopeless pairs.
    la, lb = left.length[a], right.length[b]
    ja, jb = left.joined_length[a], right.joined_length[b]
    bound = np.maximum(
        200.0 * np.minimum(la, lb) / np.maximum(la + lb, 1),
        200.0 * np.minimum(ja, jb) / np.maximum(ja + jb, 1),
    )
    keep = np.flatnonzero(bound >= cutoff)
    if not len(keep):
        return scores
    # In chunks, because rapidfuzz copies the strings of each call.
    for start in range(0, len(keep), _SCORE_CHUNK):
        chunk = keep[start : start + _SCORE_CHUNK]
        ka, kb = a[chunk], b[chunk]
        best = np.zeros(len(chunk), dtype=np.float32)
        for forms_a, forms_b in (
            (left.plain, right.plain),
            (left.sorted, right.sorted),
            (left.joined, right.joined),
        ):
            part = process.cpdist(
                forms_a[ka],
                forms_b[kb],
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                dtype=np.float32,
                workers=-1,
            )
            np.maximum(best, part, out=best)
        scores[chunk] = np.round(best, 1)
    return scores


def name_score(a: str, b: str) -> float:
    """Return the name score (0-100) of two raw company names, as the engine computes it."""
    left, right = _Forms([normalise_name(a)]), _Forms([normalise_name(b)])
    index = np.zeros(1, dtype=np.int64)
    return float(_score_pairs(left, right, index, index, 0.0)[0])


def _distinct(values: np.ndarray) -> np.ndarray:
    """Return the sorted distinct values (np.unique hashes, and is far slower on big arrays)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _self_join_pairs(
    entry_keys: Sequence[Sequence[int]], n_entries: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Return the entry pairs (a < b) that share a block, and the number of skipped blocks."""
    block = np.fromiter((k for keys in entry_keys for k in keys), dtype=np.int64)
    entry = np.repeat(np.arange(n_entries, dtype=np.int64), [len(keys) for keys in entry_keys])
    order = np.lexsort((entry, block))
    block, entry = block[order], entry[order]
    starts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
    sizes = np.diff(np.r_[starts, len(block)])
    # Each pair (a, b) with a < b (members are sorted within a block) is coded a * n + b.
    parts = [np.zeros(0, dtype=np.int64)]
    for size in _distinct(sizes).tolist():
        if size < 2 or size > _MAX_BLOCK:
            continue
        # All blocks of one size at once: a (blocks x size) matrix of entries.
        members = entry[starts[sizes == size][:, None] + np.arange(size)]
        upper_i, upper_j = np.triu_indices(size, 1)
        parts.append(_distinct((members[:, upper_i] * n_entries + members[:, upper_j]).ravel()))
    skipped = int(np.count_nonzero(sizes > _MAX_BLOCK))
    # Drop the pairs that several blocks share.
    codes = _distinct(np.concatenate(parts))
    return codes // n_entries, codes % n_entries, skipped


class _UnionFind:
    """Union-find over rows that also tracks each cluster's size and traits."""

    def __init__(self, prepared: Sequence[_Prepared]) -> None:
        self.parent = list(range(len(prepared)))
        self.size = [1] * len(prepared)
        # Shared with the records until a union replaces them: never mutated in place.
        self.traits = [p.traits for p in prepared]

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, ra: int, rb: int) -> int:
        """Join two roots; return the new root, the smaller row number (order-independent)."""
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        a, b = self.traits[ra], self.traits[rb]
        if b.namespaces or b.weak or b.forms:
            self.traits[ra] = _Traits(
                a.namespaces | b.namespaces, a.weak | b.weak, a.forms | b.forms
            )
        return ra


def build_clusters(
    records: Sequence[SupplierRecord],
    *,
    auto_threshold: float = DEFAULT_AUTO_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    use_names: bool = True,
) -> Clustering:
    """Group records that are the same supplier, and list the pairs that need human review.

    Identifier links come first, then identical normalised names within a country, then fuzzy
    name links from the highest score down; a name link is refused when it would join
    clusters that the rules in the module docstring tell apart. The cluster id is the smallest
    record key in the cluster, and ties are broken by key, so the result does not depend on
    the input order. With ``use_names=False`` only identifiers link records (the benchmark's
    baseline).
    """
    if review_threshold > auto_threshold:
        raise ValueError("review_threshold must not exceed auto_threshold")
    rows = sorted(records, key=lambda record: record.key)
    for previous, current in zip(rows, rows[1:], strict=False):
        if previous.key == current.key:
            raise ValueError(f"duplicate record key {current.key!r}")
    prepared = _prepare(rows, names=use_names)
    uf = _UnionFind(prepared)

    first_with_key: dict[str, int] = {}
    for row, p in enumerate(prepared):
        for key in p.keys:
            other = first_with_key.setdefault(key, row)
            ra, rb = uf.find(other), uf.find(row)
            if ra != rb:
                uf.union(ra, rb)

    review: list[tuple[int, int, float, str]] = []
    skipped = 0
    if use_names:
        skipped = _link_names(prepared, uf, auto_threshold, review_threshold, review)

    members: dict[int, list[int]] = defaultdict(list)
    for row in range(len(rows)):
        members[uf.find(row)].append(row)
    cluster_of_root = {root: rows[min(group)].key for root, group in members.items()}
    clusters = {record.key: cluster_of_root[uf.find(row)] for row, record in enumerate(rows)}

    best: dict[tuple[str, str], ReviewPair] = {}
    for row_a, row_b, score, reason in review:
        ca, cb = clusters[rows[row_a].key], clusters[rows[row_b].key]
        if ca == cb:
            continue
        pair = (ca, cb) if ca < cb else (cb, ca)
        if pair not in best or best[pair].score < score:
            best[pair] = ReviewPair(rows[row_a].key, rows[row_b].key, score, reason)
    return Clustering(clusters, [best[pair] for pair in sorted(best)], skipped)


def _link_names(
    prepared: Sequence[_Prepared],
    uf: _UnionFind,
    auto_threshold: float,
    review_threshold: float,
    review: list[tuple[int, int, float, str]],
) -> int:
    """Merge rows by name (see :func:`build_clusters`); collect review pairs into ``review``.

    Return the number of oversized blocks skipped.
    """
    entry_of: dict[tuple[str, str], int] = {}
    entry_rows: list[list[int]] = []
    for row, p in enumerate(prepared):
        entry = entry_of.setdefault((p.country, p.name), len(entry_rows))
        if entry == len(entry_rows):
            entry_rows.append([])
        entry_rows[entry].append(row)
    entries = list(entry_of)

    # Identical names. The largest clusters go first, and a cluster joins a group sharing its
    # legal form if it can, so that rows without identifiers join the best-supported company
    # of that name rather than whichever row came first.
    entry_roots: list[list[int]] = []
    for rows in entry_rows:
        groups: list[int] = []
        for root in sorted({uf.find(row) for row in rows}, key=lambda r: (-uf.size[r], r)):
            choice: tuple[bool, int] | None = None
            for index, group in enumerate(groups):
                group_root = uf.find(group)
                verdict, reason = _judge(
                    _EXACT, uf.traits[group_root], uf.traits[root], auto_threshold, 0.0
                )
                if verdict == "merge":
                    rank = (not uf.traits[group_root].forms & uf.traits[root].forms, index)
                    choice = rank if choice is None else min(choice, rank)
                elif verdict == "review":
                    review.append((group_root, root, _EXACT, reason))
            if choice is None:
                groups.append(root)
            else:
                groups[choice[1]] = uf.union(uf.find(groups[choice[1]]), root)
        entry_roots.append(groups)

    # Similar names, blocked per country.
    df_by_country: dict[str, Counter[str]] = defaultdict(Counter)
    for country, name in entries:
        df_by_country[country].update(set(name.split()))
    key_ids: dict[tuple[str, str], int] = {}
    entry_keys = [
        [
            key_ids.setdefault((country, key), len(key_ids))
            for key in _block_keys(name, df_by_country[country])
        ]
        for country, name in entries
    ]
    a, b, skipped = _self_join_pairs(entry_keys, len(entries))
    forms = _Forms([name for _country, name in entries])
    scores = _score_pairs(forms, forms, a, b, review_threshold)
    keep = np.flatnonzero(scores >= review_threshold)
    # Highest score first; ties in entry order, so that the result is deterministic.
    order = keep[np.lexsort((b[keep], a[keep], -scores[keep]))]
    for ea, eb, score in zip(
        a[order].tolist(), b[order].tolist(), scores[order].tolist(), strict=True
    ):
        for root_a in {uf.find(x) for x in entry_roots[ea]}:
            for root_b in {uf.find(x) for x in entry_roots[eb]}:
                ra, rb = uf.find(root_a), uf.find(root_b)
                if ra == rb:
                    continue
                verdict, reason = _judge(
                    score, uf.traits[ra], uf.traits[rb], auto_threshold, review_threshold
                )
                if verdict == "merge":
                    uf.union(ra, rb)
                elif verdict == "review":
                    review.append((ra, rb, score, reason))
    return skipped


def clear_caches() -> None:
    """Empty the memoised name and identifier checks (for fair timings in benchmarks)."""
    split_legal_form.cache_clear()
    _luhn_valid.cache_clear()
    _checked_vat.cache_clear()


def cluster_records(
    records: Sequence[SupplierRecord],
    *,
    auto_threshold: float = DEFAULT_AUTO_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    use_names: bool = True,
) -> dict[str, str]:
    """Return each record key's cluster id (see :func:`build_clusters`)."""
    return build_clusters(
        records,
        auto_threshold=auto_threshold,
        review_threshold=review_threshold,
        use_names=use_names,
    ).clusters


class Matcher:
    """Match incoming records against the deduplicated national registry.

    Build it once per registry snapshot and call :meth:`match_many` with a batch. Registry
    records are expected to be distinct suppliers; two of them close to one incoming name
    make the match ambiguous, and it goes to review.
    """

    def __init__(
        self,
        registry: Iterable[SupplierRecord],
        *,
        auto_threshold: float = DEFAULT_AUTO_THRESHOLD,
        review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    ) -> None:
        if review_threshold > auto_threshold:
            raise ValueError("review_threshold must not exceed auto_threshold")
        self.auto_threshold = auto_threshold
        self.review_threshold = review_threshold
        self._records = sorted(registry, key=lambda record: record.key)
        self._prepared = _prepare(self._records)
        self._by_identifier: dict[str, list[int]] = defaultdict(list)
        entry_of: dict[tuple[str, str], int] = {}
        self._entry_records: list[list[int]] = []
        for index, p in enumerate(self._prepared):
            for key in p.keys:
                self._by_identifier[key].append(index)
            entry = entry_of.setdefault((p.country, p.name), len(self._entry_records))
            if entry == len(self._entry_records):
                self._entry_records.append([])
            self._entry_records[entry].append(index)
        entries = list(entry_of)
        self._forms = _Forms([name for _country, name in entries])
        self._df: dict[str, Counter[str]] = defaultdict(Counter)
        for country, name in entries:
            self._df[country].update(set(name.split()))
        self._blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
        for entry, (country, name) in enumerate(entries):
            for key in _block_keys(name, self._df[country]):
                self._blocks[(country, key)].append(entry)

    def match(self, record: SupplierRecord) -> MatchResult:
        """Return the decision for one incoming record."""
        return self.match_many([record])[0]

    def match_many(self, records: Iterable[SupplierRecord]) -> list[MatchResult]:
        """Return one decision per incoming record, in input order."""
        incoming = list(records)
        prepared = _prepare(incoming)
        results: dict[int, MatchResult] = {}
        by_name: list[int] = []
        for position, (record, p) in enumerate(zip(incoming, prepared, strict=True)):
            result = self._match_identifier(record, p)
            if result is None:
                by_name.append(position)
            else:
                results[position] = result
        results.update(self._match_names(incoming, prepared, by_name))
        return [results[position] for position in range(len(incoming))]

    def _match_identifier(self, record: SupplierRecord, p: _Prepared) -> MatchResult | None:
        shared: Counter[int] = Counter()
        for key in p.keys:
            shared.update(self._by_identifier.get(key, ()))
        if not shared:
            return None
        best = min(shared, key=lambda index: (-shared[index], self._records[index].key))
        key = min(p.keys & self._prepared[best].keys)
        reason = f"same identifier {key}"
        if len(shared) > 1:
            reason += f"; {len(shared) - 1} other registry supplier(s) share an identifier"
        return MatchResult(record.key, "identifier", self._records[best].key, _EXACT, reason)

    def _match_names(
        self,
        incoming: Sequence[SupplierRecord],
        prepared: Sequence[_Prepared],
        positions: list[int],
    ) -> dict[int, MatchResult]:
        """Decide the records at ``positions``, which share no identifier with the registry."""
        entry_of: dict[tuple[str, str], int] = {}
        for position in positions:
            p = prepared[position]
            entry_of.setdefault((p.country, p.name), len(entry_of))
        entries = list(entry_of)
        pairs_a: list[int] = []
        pairs_b: list[int] = []
        for entry, (country, name) in enumerate(entries):
            blocks = self._blocks
            found: set[int] = set()
            for key in _block_keys(name, self._df.get(country, Counter())):
                found.update(blocks.get((country, key), ()))
            pairs_a.extend([entry] * len(found))
            pairs_b.extend(sorted(found))
        a = np.array(pairs_a, dtype=np.int64)
        b = np.array(pairs_b, dtype=np.int64)
        incoming_forms = _Forms([name for _country, name in entries])
        scores = _score_pairs(incoming_forms, self._forms, a, b, self.review_threshold)
        scored: dict[int, list[tuple[float, int]]] = defaultdict(list)
        for ea, eb, score in zip(a.tolist(), b.tolist(), scores.tolist(), strict=True):
            if score >= self.review_threshold:
                scored[ea].extend((score, index) for index in self._entry_records[eb])
        results = {}
        for position in positions:
            record, p = incoming[position], prepared[position]
            candidates = sorted(
                scored.get(entry_of[(p.country, p.name)], []),
                key=lambda item: (-item[0], self._records[item[1]].key),
            )
            results[position] = self._decide(record, p, candidates)
        return results

    def _decide(
        self, record: SupplierRecord, p: _Prepared, candidates: list[tuple[float, int]]
    ) -> MatchResult:
        """Pick the decision from the name candidates, best first."""
        merges: list[tuple[float, int, str]] = []
        reviews: list[tuple[float, int, str]] = []
        for score, index in candidates:
            verdict, reason = _judge(
                score,
                p.traits,
                self._prepared[index].traits,
                self.auto_threshold,
                self.review_threshold,
            )
            if verdict == "merge":
                merges.append((score, index, reason))
            elif verdict == "review":
                reviews.append((score, index, reason))
        if merges:
            score, index, reason = merges[0]
            key = self._records[index].key
            if len(merges) > 1 and merges[1][0] >= score - AMBIGUITY_MARGIN:
                other = self._records[merges[1][1]].key
                return MatchResult(record.key, "review", key, score, f"{reason}, as has {other}")
            return MatchResult(record.key, "name", key, score, f"{reason}, same country")
        if reviews:
            score, index, reason = reviews[0]
            return MatchResult(record.key, "review", self._records[index].key, score, reason)
        return MatchResult(record.key, "new", "", 0.0, "no similar supplier in the registry")


def match_records(
    incoming: Iterable[SupplierRecord],
    registry: Iterable[SupplierRecord],
    *,
    auto_threshold: float = DEFAULT_AUTO_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
) -> list[MatchResult]:
    """Return a decision for each incoming record against ``registry``, in input order."""
    matcher = Matcher(registry, auto_threshold=auto_threshold, review_threshold=review_threshold)
    return matcher.match_many(incoming)
