"""Shingles, overlap, verdicts, and fingerprints that survive a round trip through bytes."""

from __future__ import annotations

from primenews.dedupe import CopyOptions
from primenews.dedupe.neardup import (
    NearDupIndex,
    Overlap,
    classify_overlap,
    decode_fingerprint,
    encode_fingerprint,
    fingerprint_scheme,
    hash_digest,
    measure_overlap,
    shingle_text,
    sign_shingles,
)
from primenews.models import CopyKind

TEXT = (
    "The ferry Grey Sound ran aground on a sandbank off Kettle Point on Saturday morning, "
    "and all 212 passengers were taken ashore by lifeboat crews from two nearby harbours, "
    "the coastguard said in a statement issued shortly after noon."
)


def test_shingles_ignore_case_and_punctuation() -> None:
    shingles = shingle_text("The Ferry, ran AGROUND!  on a sandbank", 4)
    assert "the ferry ran aground" in shingles and len(shingles) == 4
    assert shingle_text("three words only", 4) == frozenset()
    assert shingle_text("", 4) == frozenset()


def test_overlap_is_containment_of_the_shorter() -> None:
    long = shingle_text(TEXT, 4)
    short = shingle_text(TEXT.split(",")[0], 4)
    overlap = measure_overlap(long, short)
    assert overlap.containment == 1.0 and overlap.jaccard < 0.5
    assert measure_overlap(long, frozenset()) == Overlap(0.0, 0.0)


def test_verdicts_follow_the_thresholds() -> None:
    options = CopyOptions()
    assert classify_overlap(Overlap(0.7, 0.83), options) == CopyKind.VERBATIM
    assert classify_overlap(Overlap(0.3, 0.6), options) == CopyKind.REWRITE
    assert classify_overlap(Overlap(0.1, 0.3), options) is None


def test_fingerprint_round_trip_keeps_the_signature() -> None:
    options = CopyOptions()
    minhash = sign_shingles(shingle_text(TEXT, 4), options.num_perm)
    digest = hash_digest("abc")
    blob = encode_fingerprint(digest, minhash)
    assert len(blob) == 32 + 4 * options.num_perm
    restored = decode_fingerprint(blob, options.num_perm)
    assert restored.hash_digest == digest and restored.minhash is not None
    assert restored.minhash.jaccard(minhash) == 1.0
    bare = decode_fingerprint(encode_fingerprint(digest, None), options.num_perm)
    assert bare.minhash is None and bare.hash_digest == digest
    assert fingerprint_scheme(options) == "minhash-w4-p128"


def test_index_proposes_near_copies_not_unrelated_texts() -> None:
    options = CopyOptions()
    index = NearDupIndex(options)
    index.add(1, sign_shingles(shingle_text(TEXT, 4), options.num_perm))
    other = "A council vote on the new tram line was postponed until March after a long debate."
    index.add(2, sign_shingles(shingle_text(other * 3, 4), options.num_perm))
    probe = sign_shingles(shingle_text(TEXT + " No one was hurt.", 4), options.num_perm)
    assert index.candidates(probe) == [1]
    index.remove(1)
    assert index.candidates(probe) == [] and len(index) == 1 and 2 in index
