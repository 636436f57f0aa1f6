"""Article -> story assignment: online, time-aware, across languages.

- ``features``: names, numbers, keyphrases, time and language of an article
- ``index``: the stories' running state and bounded candidate retrieval (ANN + postings)
- ``assign``: scoring candidates and deciding: join, start, or bridge and merge
- ``run``: the stage, :func:`cluster_articles`
- ``evaluate``: B-cubed precision, recall and F1
"""

from __future__ import annotations

from primenews.cluster.assign import ClusterOptions, Decision, decide_story
from primenews.cluster.evaluate import BCubed, score_bcubed
from primenews.cluster.features import ArticleFeatures, extract_features
from primenews.cluster.index import ClusterIndex
from primenews.cluster.run import ClusterObserver, ClusterReport, cluster_articles, load_index

__all__ = [
    "ArticleFeatures",
    "BCubed",
    "ClusterIndex",
    "ClusterObserver",
    "ClusterOptions",
    "ClusterReport",
    "Decision",
    "cluster_articles",
    "decide_story",
    "extract_features",
    "load_index",
    "score_bcubed",
]
