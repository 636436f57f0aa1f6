"""Clustering features through the store's cache: worked out once per article and scheme.

Every clustering run loads the features of the stories its new articles can reach; working
them out again from each article's text was most of that load (names, numbers and keyphrases
of every title and lead). They are saved the first time an article is placed or loaded, as
compact JSON under :data:`FEATURES_SCHEME`, and read back by every later run. What belongs to
the article rather than its text (publication and fetch time, language) is always taken from
the article itself, so a corrected date or language is never hidden by the cache; an article
whose text changes loses its cached features with its embeddings (see the store).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from primenews.cluster.features import ArticleFeatures, extract_features, lead_text
from primenews.models import Article
from primenews.sources.dates import dateline_date
from primenews.store import Store

__all__ = ["FEATURES_SCHEME", "cached_features", "decode_features", "encode_features"]

# Name of the cached form: change it whenever extract_features gives other keys for a text,
# so that no run mixes features of two schemes (old rows are then simply not read).
FEATURES_SCHEME = "features-v2"  # v2: no dateline date right after "born" or "since"


def cached_features(store: Store, articles: Sequence[Article]) -> dict[int, ArticleFeatures]:
    """Each article's features (id -> features), working out and saving only the missing."""
    rows = store.load_features(FEATURES_SCHEME, [a.id for a in articles])
    found: dict[int, ArticleFeatures] = {}
    fresh: dict[int, str] = {}
    for article in articles:
        data = rows.get(article.id)
        if data is not None:
            found[article.id] = decode_features(data, article)
            continue
        features = extract_features(article)
        found[article.id] = features
        fresh[article.id] = encode_features(features, article)
    if fresh:
        store.save_features(FEATURES_SCHEME, fresh)
    return found


def encode_features(features: ArticleFeatures, article: Article) -> str:
    """The text-derived part of ``features`` as JSON: names, numbers, keyphrases, word count
    and the dateline's date (kept even when the article is dated, in case it loses its date)."""
    if article.published_at is None:
        dateline = features.published_at  # what extract_features read from the dateline
    else:
        dateline = dateline_date(lead_text(article))
    return json.dumps(
        [
            sorted(features.entities),
            sorted(features.numbers),
            sorted(features.keyphrases),
            features.words,
            dateline.isoformat() if dateline is not None else None,
        ],
        separators=(",", ":"),
    )


def decode_features(data: str, article: Article) -> ArticleFeatures:
    """The features of ``article`` from their cached form (see :func:`encode_features`)."""
    entities, numbers, keyphrases, words, dateline = json.loads(data)
    return ArticleFeatures(
        article_id=article.id,
        entities=frozenset(entities),
        numbers=frozenset(numbers),
        keyphrases=frozenset(keyphrases),
        published_at=article.published_at
        or (datetime.fromisoformat(dateline) if dateline else None),
        language=article.language,
        words=int(words),
        fetched_at=article.fetched_at,
    )
