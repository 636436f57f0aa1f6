"""The copies stage: mark every article that copies an earlier report, pointing at the original.

Articles that copy each other form a *group*; its original is the earliest report, ordered by
``published_at`` (falling back to ``fetched_at``, then the article id). Every other member is
stored as a :class:`~primenews.models.Copy` of the original, never of another copy:

- ``exact``: the same content hash;
- ``verbatim`` / ``rewrite``: near-duplicate text (see :mod:`primenews.dedupe.neardup`).

When an article that arrives late turns out to be earlier than its group's original, it becomes
the original and the whole group is re-pointed to it (``save_copy`` replaces a mark).

A :class:`CopyDetector` keeps the near-duplicate index in memory, rebuilt at start from the
fingerprints in the store (no text is re-read); each checked article's fingerprint is stored, so
running the stage again checks nothing twice. Texts too short to judge are recorded as item
errors (stage ``copies``, reason ``too_short``) and fingerprinted as judged, so they are not
retried. Copies count in a story's coverage but are not independent evidence:
:func:`independent_article_ids` keeps one article per group.

Two detectors working at the same time never mark an article twice (``save_copy`` is an
upsert), but one cannot see the articles the other is adding: run one copies worker per store.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from datasketch import MinHash

from primenews.dedupe.neardup import (
    CopyOptions,
    Fingerprint,
    NearDupIndex,
    classify_overlap,
    decode_fingerprint,
    encode_fingerprint,
    fingerprint_scheme,
    hash_digest,
    measure_overlap,
    shingle_text,
    sign_shingles,
)
from primenews.models import Article, Copy, CopyKind, ItemError
from primenews.store import Store

__all__ = [
    "CopyCheck",
    "CopyDetector",
    "CopyMatch",
    "CopyReport",
    "detect_copies",
    "independent_article_ids",
    "report_order",
]

logger = logging.getLogger(__name__)

STAGE = "copies"
_BATCH = 500
_NEVER = datetime.max.replace(tzinfo=UTC)

CheckStatus = Literal["known", "too_short", "original", "copy"]


@dataclass(frozen=True, slots=True)
class CopyMatch:
    """What an article copies: the group's original and the member whose text matched."""

    original_id: int
    matched_id: int
    kind: CopyKind
    similarity: float


@dataclass(frozen=True, slots=True)
class CopyCheck:
    """What checking one article did; ``repointed`` lists the members it became original of."""

    article_id: int
    status: CheckStatus
    copy: Copy | None = None
    repointed: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What one run of the stage did."""

    checked: int
    known: int
    too_short: int
    exact: int
    verbatim: int
    rewrite: int
    repointed: int
    duration_s: float

    @property
    def copies(self) -> int:
        return self.exact + self.verbatim + self.rewrite


def report_order(article: Article) -> tuple[datetime, int]:
    """The sort key that decides which report came first (earliest is the original).

    ``published_at``, else ``fetched_at``, else last; ties go to the older id. A naive time is
    taken as UTC.
    """
    moment = article.published_at or article.fetched_at or _NEVER
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment, article.id)


def _text_of(article: Article) -> str:
    return f"{article.title or ''}\n\n{article.text}"


class CopyDetector:
    """The copy groups and near-duplicate index of one store, kept in memory."""

    def __init__(self, store: Store, options: CopyOptions | None = None) -> None:
        self.store = store
        self.options = options or CopyOptions()
        self.scheme = fingerprint_scheme(self.options)
        self._index = NearDupIndex(self.options)
        self._by_hash: dict[bytes, int] = {}  # content-hash digest -> first judged article
        self._digest_of: dict[int, bytes] = {}  # every fingerprinted article
        self._original_of: dict[int, int] = {}
        self._copies_of: dict[int, set[int]] = {}

    @classmethod
    def load(cls, store: Store, options: CopyOptions | None = None) -> CopyDetector:
        """A detector that knows every fingerprinted article and every copy mark in ``store``."""
        detector = cls(store, options)
        for article_id, blob in store.iter_fingerprints(detector.scheme):
            detector._remember(article_id, decode_fingerprint(blob, detector.options.num_perm))
        for copy in store.list_copies():
            detector._link(copy.article_id, copy.original_id)
        logger.info(
            "copy detector loaded %d fingerprints, %d copies",
            len(detector._digest_of),
            len(detector._original_of),
            extra={"stage": STAGE},
        )
        return detector

    def is_known(self, article: Article) -> bool:
        """Already checked, with this text (a revised text is checked again)."""
        return self._digest_of.get(article.id) == hash_digest(article.content_hash)

    def original_of(self, article_id: int) -> int:
        """The original of the article's group (the article itself when it is no copy)."""
        seen = {article_id}
        while article_id in self._original_of:
            article_id = self._original_of[article_id]
            if article_id in seen:  # pragma: no cover - marks never form a cycle
                break
            seen.add(article_id)
        return article_id

    def check(self, article: Article) -> CopyMatch | None:
        """What ``article`` copies among the known articles, without writing anything."""
        shingles = shingle_text(_text_of(article), self.options.shingle_size)
        if len(shingles) < self.options.min_shingles:
            return None
        minhash = sign_shingles(shingles, self.options.num_perm)
        return self._match(article, shingles, minhash)

    def add(self, article: Article) -> CopyCheck:
        """Check ``article``, store its copy mark (re-pointing its group if it came first)."""
        if self.is_known(article):
            return CopyCheck(article.id, "known")
        self._forget(article.id)
        digest = hash_digest(article.content_hash)
        shingles = shingle_text(_text_of(article), self.options.shingle_size)
        if len(shingles) < self.options.min_shingles:
            self._record_too_short(article, len(shingles))
            self._save(article.id, Fingerprint(digest, None))
            return CopyCheck(article.id, "too_short")
        minhash = sign_shingles(shingles, self.options.num_perm)
        match = self._match(article, shingles, minhash)
        copy: Copy | None = None
        repointed: tuple[int, ...] = ()
        if match is not None:
            copy, repointed = self._mark(article, shingles, match)
        self._save(article.id, Fingerprint(digest, minhash))
        return CopyCheck(article.id, "copy" if copy else "original", copy, repointed)

    def _match(
        self, article: Article, shingles: frozenset[str], minhash: MinHash
    ) -> CopyMatch | None:
        exact = self._by_hash.get(hash_digest(article.content_hash))
        if exact is not None and exact != article.id:
            return CopyMatch(self.original_of(exact), exact, CopyKind.EXACT, 1.0)
        candidates = [c for c in self._index.candidates(minhash) if c != article.id]
        best: CopyMatch | None = None
        for other in self.store.get_articles(candidates):
            overlap = measure_overlap(
                shingles, shingle_text(_text_of(other), self.options.shingle_size)
            )
            kind = classify_overlap(overlap, self.options)
            if kind is not None and (best is None or overlap.containment > best.similarity):
                best = CopyMatch(self.original_of(other.id), other.id, kind, overlap.containment)
        return best

    def _mark(
        self, article: Article, shingles: frozenset[str], match: CopyMatch
    ) -> tuple[Copy | None, tuple[int, ...]]:
        original = self.store.get_article(match.original_id)
        if original is None:  # deleted since: nothing to point at
            return None, ()
        if report_order(original) < report_order(article):
            copy = Copy(article.id, original.id, match.kind, match.similarity)
            self.store.save_copy(copy)
            self._link(article.id, original.id)
            logger.debug(
                "article %d is a %s copy of %d",
                article.id,
                match.kind,
                original.id,
                extra={"article_id": article.id, "stage": STAGE},
            )
            return copy, ()
        members = [original.id, *sorted(self._copies_of.get(original.id, ()))]
        for member in self.store.get_articles(members):
            self.store.save_copy(self._relate(member, article, shingles))
            self._link(member.id, article.id)
        logger.info(
            "article %d is earlier than original %d: %d reports re-pointed",
            article.id,
            original.id,
            len(members),
            extra={"article_id": article.id, "stage": STAGE},
        )
        return None, tuple(members)

    def _relate(self, member: Article, original: Article, shingles: frozenset[str]) -> Copy:
        """``member`` as a copy of a new ``original`` (a group member stays one, as a rewrite)."""
        if member.content_hash == original.content_hash:
            return Copy(member.id, original.id, CopyKind.EXACT, 1.0)
        overlap = measure_overlap(
            shingles, shingle_text(_text_of(member), self.options.shingle_size)
        )
        kind = classify_overlap(overlap, self.options) or CopyKind.REWRITE
        return Copy(member.id, original.id, kind, overlap.containment)

    def _record_too_short(self, article: Article, count: int) -> None:
        message = (
            f"article {article.id} has {count} word shingles, fewer than the "
            f"{self.options.min_shingles} needed to judge whether it copies another; "
            "it is kept but never marked as a copy"
        )
        logger.info(message, extra={"article_id": article.id, "stage": STAGE})
        self.store.record_item_error(
            ItemError(
                stage=STAGE,
                reason="too_short",
                message=message,
                url=article.url,
                source_id=article.source_id,
            )
        )

    def _save(self, article_id: int, fingerprint: Fingerprint) -> None:
        blob = encode_fingerprint(fingerprint.hash_digest, fingerprint.minhash)
        self.store.save_fingerprint(article_id, self.scheme, blob)
        self._remember(article_id, fingerprint)

    def _remember(self, article_id: int, fingerprint: Fingerprint) -> None:
        self._digest_of[article_id] = fingerprint.hash_digest
        if fingerprint.minhash is not None:
            self._index.add(article_id, fingerprint.minhash)
            self._by_hash.setdefault(fingerprint.hash_digest, article_id)

    def _forget(self, article_id: int) -> None:
        """Drop a revised article's old fingerprint from memory."""
        digest = self._digest_of.pop(article_id, None)
        if digest is not None and self._by_hash.get(digest) == article_id:
            del self._by_hash[digest]
        self._index.remove(article_id)

    def _link(self, copy_id: int, original_id: int) -> None:
        old = self._original_of.get(copy_id)
        if old is not None and old in self._copies_of:
            self._copies_of[old].discard(copy_id)
            if not self._copies_of[old]:
                del self._copies_of[old]
        self._original_of[copy_id] = original_id
        self._copies_of.setdefault(original_id, set()).add(copy_id)


def detect_copies(
    store: Store,
    article_ids: Iterable[int] | None = None,
    *,
    detector: CopyDetector | None = None,
) -> CopyReport:
    """Check the given articles (default: every article not checked yet) for copies; already
    checked ones are skipped, so running it again marks nothing new. Each batch is checked
    oldest first."""
    started = time.perf_counter()
    detector = detector or CopyDetector.load(store)
    if article_ids is None:  # only the new and the revised: no need to read every text
        article_ids = store.unfingerprinted_article_ids(detector.scheme)
    tally: Counter[str] = Counter()
    for batch in _batches(store, article_ids):
        for article in sorted(batch, key=report_order):
            result = detector.add(article)
            tally[result.status] += 1
            tally["repointed"] += len(result.repointed)
            if result.copy is not None:
                tally[str(result.copy.kind)] += 1
    report = CopyReport(
        checked=tally["original"] + tally["copy"] + tally["too_short"],
        known=tally["known"],
        too_short=tally["too_short"],
        exact=tally[str(CopyKind.EXACT)],
        verbatim=tally[str(CopyKind.VERBATIM)],
        rewrite=tally[str(CopyKind.REWRITE)],
        repointed=tally["repointed"],
        duration_s=time.perf_counter() - started,
    )
    logger.info(
        "copies: %d checked, %d copies, %d re-pointed",
        report.checked,
        report.copies,
        report.repointed,
        extra={"stage": STAGE, "duration_ms": int(report.duration_s * 1000)},
    )
    return report


def _batches(store: Store, article_ids: Iterable[int]) -> Iterator[list[Article]]:
    wanted = list(dict.fromkeys(article_ids))
    for start in range(0, len(wanted), _BATCH):
        yield store.get_articles(wanted[start : start + _BATCH])


def independent_article_ids(store: Store, article_ids: Iterable[int]) -> list[int]:
    """``article_ids`` less the copies: one article per copy group, in the order given.

    A group is represented by its original when that is among the ids, otherwise by the first
    of its copies listed (a copy whose original lies elsewhere is still this set's only report).
    """
    wanted = list(dict.fromkeys(article_ids))
    group_of: dict[int, int] = {}
    for article_id in wanted:
        copy = store.copy_of(article_id)
        group_of[article_id] = copy.original_id if copy else article_id
    present = set(wanted)
    chosen: dict[int, int] = {}
    for article_id in wanted:
        group = group_of[article_id]
        if group in present:
            chosen[group] = group
        else:
            chosen.setdefault(group, article_id)
    keep = set(chosen.values())
    return [article_id for article_id in wanted if article_id in keep]
