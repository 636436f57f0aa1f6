"""Features that cross languages, B-cubed scoring, and bounded candidate retrieval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from primenews.cluster import ClusterOptions, decide_story, extract_features, score_bcubed
from primenews.cluster.consolidate import plan_lone_merges
from primenews.cluster.features import ArticleFeatures, extract_numbers
from primenews.cluster.index import ClusterIndex
from primenews.embed.text import embedding_text
from primenews.models import Article


def article(title: str | None, text: str, url: str = "https://n.test/a", **kw: object) -> Article:
    return Article(1, url, url, "h", title, text, **kw)  # type: ignore[arg-type]


def test_names_meet_across_transliterations_and_sentence_starts_are_not_names() -> None:
    english = extract_features(
        article("Prigozhin's plane crashes near Tver", "Officials said Prigozhin's jet fell.")
    )
    german = extract_features(article(None, "Der Wagner-Chef Jewgeni Prigoschin starb bei Twer."))
    french = extract_features(article("Evgueni Prigojine est mort", "Le chef de Wagner."))
    assert "prigo" in english.entities & german.entities & french.entities
    assert "offic" not in english.entities  # "Officials" only starts a sentence
    assert "wagne" in german.entities & french.entities


def test_numbers_are_normalised_across_formats() -> None:
    assert extract_numbers("Rates rose to 4,25 % and 1.000.000 people") == {"4.25%", "1000000"}
    assert extract_numbers("rates rose to 4.25% and 1,000,000 people") == {"4.25%", "1000000"}
    assert extract_numbers("3 of 7 dead in 2023") == {"2023"}


def test_an_empty_record_is_described_by_its_url_slug() -> None:
    empty = article(None, "", url="urn:corpus:es:1234_Airbus_wins_Qatar_Airways_order")
    assert embedding_text(empty) == "Airbus wins Qatar Airways order"
    features = extract_features(empty)
    assert {"qatar", "airwa"} <= features.entities  # "Airbus" only starts the headline
    assert "wins" not in features.entities and features.words == 5
    lower = extract_features(article(None, "", url="https://n.test/2026/quake-hits-port-hesk.html"))
    assert {"quake", "hesk", "port"} <= lower.entities


def test_bcubed_matches_a_hand_computed_example() -> None:
    gold = {1: "a", 2: "a", 3: "b", 4: "b"}
    perfect = score_bcubed({1: 10, 2: 10, 3: 20, 4: 20}, gold)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    lumped = score_bcubed({1: 1, 2: 1, 3: 1, 4: 1}, gold)
    assert lumped.precision == 0.5 and lumped.recall == 1.0
    split = score_bcubed({1: 1, 2: 2}, gold)  # 3 and 4 missing: singletons
    assert split.precision == 1.0 and split.recall == 0.5 and split.clusters == 4


def _features(article_id: int, story: int) -> ArticleFeatures:
    return ArticleFeatures(
        article_id,
        frozenset({f"s{story}", "common"}),
        frozenset({str(story)}),
        frozenset({f"k{story}"}),
        datetime(2026, 1, 1, tzinfo=UTC),
        "en",
        30,
    )


def test_candidate_retrieval_stays_bounded_as_the_store_grows() -> None:
    rng = np.random.default_rng(3)
    options = ClusterOptions()
    per_assignment = []
    for size in (200, 2000, 8000):
        index = ClusterIndex(32, neighbours=options.neighbours, postings=options.postings)
        centres = rng.standard_normal((size // 4, 32)).astype(np.float32)
        items = []
        for article_id in range(size):
            story = article_id % len(centres)
            vector = centres[story] + 0.3 * rng.standard_normal(32).astype(np.float32)
            items.append((story, vector / np.linalg.norm(vector), _features(article_id, story)))
        index.add_many(items)
        before = index.candidates_scored
        for q in range(50):
            story = q % len(centres)
            vector = centres[story] / np.linalg.norm(centres[story])
            decision = decide_story(index, vector, _features(size + q, story), options)
            assert decision.story_id == story
        per_assignment.append((index.candidates_scored - before) / 50)
    bound = options.neighbours + 16  # ANN neighbours + the best-voted posting-list stories
    assert all(0 < n <= bound for n in per_assignment), per_assignment
    assert per_assignment[-1] <= per_assignment[0] * 1.5 + 1  # flat, not growing with size


def _dated(
    article_id: int, when: datetime | None, fetched: datetime | None = None
) -> ArticleFeatures:
    return ArticleFeatures(
        article_id, frozenset(), frozenset(), frozenset(), when, "en", 30, fetched_at=fetched
    )


def test_the_ann_search_reads_only_the_shards_of_the_articles_time_window() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    index = ClusterIndex(8, window_days=7)
    event = np.array([1, 0.2, 0, 0, 0, 0, 0, 0], dtype=np.float32)
    event /= np.linalg.norm(event)
    # the same vector in story 1 (January), story 2 (March) and story 3 (undated)
    index.add_many(
        [
            (1, event, _dated(1, start)),
            (2, event, _dated(2, start + timedelta(days=60))),
            (3, event, _dated(3, None)),
        ]
    )
    assert sorted(index.shards.values()) == [1, 1, 1]  # one shard per week, one for undated

    def found(when: datetime | None) -> set[int]:
        return {c.story.id for c in index.candidates(event, _dated(99, when))}

    assert found(start + timedelta(days=3)) == {1, 3}  # January's window, and the undated
    assert found(start + timedelta(days=8)) == {1, 3}  # the next week still reaches January
    assert found(start + timedelta(days=58)) == {2, 3}  # March: January is out of reach
    assert found(None) == {1, 2, 3}  # undated: it may belong to a story of any time
    index.add(4, event, _dated(4, start + timedelta(days=59)))
    assert index.shards[max(index.shards)] == 2  # filed with March's article
    # an undated entry fetched within a window of the newest date placed is news of now: filed
    # and searched by its fetch time; one fetched long after (an archive import) is undated
    march = start + timedelta(days=61)
    index.add(5, event, _dated(5, None, fetched=march))
    assert index.shards[max(index.shards)] == 3 and sorted(index.shards.values())[0] == 1
    assert {c.story.id for c in index.candidates(event, _dated(99, None, march))} == {2, 3, 4, 5}
    archive = _dated(99, None, fetched=start + timedelta(days=400))
    assert {c.story.id for c in index.candidates(event, archive)} == {1, 2, 3, 4, 5}


def _story_with_cross(
    index: ClusterIndex, story_id: int, vector: np.ndarray, language: str, when: datetime
) -> None:
    index.new_story(story_id)
    features = ArticleFeatures(
        story_id * 10, frozenset(), frozenset(), frozenset(), when, language, 40
    )
    index.add(story_id, np.zeros(8, dtype=np.float32), features)
    index.add_cross(story_id, vector / np.linalg.norm(vector), language)


def test_cross_language_partners_need_another_language_closeness_and_time() -> None:
    day = datetime(2026, 1, 1, tzinfo=UTC)
    event = np.array([1, 0.1, 0, 0, 0, 0, 0, 0], dtype=np.float32)
    other_event = np.array([0.2, 1, 0, 0, 0, 0, 0, 0], dtype=np.float32)
    index = ClusterIndex(8)
    _story_with_cross(index, 1, event, "en", day)
    _story_with_cross(index, 2, event + 0.05, "es", day)  # same event, Spanish: a partner
    _story_with_cross(index, 3, event, "en", day)  # same language: the clusterer's business
    _story_with_cross(index, 4, other_event, "de", day)  # another event
    _story_with_cross(index, 5, event, "fr", day + timedelta(days=30))  # far outside the window
    partners = index.cross_language_partners(1, [2, 3, 4, 5], threshold=0.85, window_days=7)
    assert partners == [2]
    index.merge(2, 1)
    merged = index.stories[1]
    assert merged.cross_count == 2 and set(merged.cross_languages) == {"en", "es"}
    # after the merge the French story is still too far in time, the German one too far apart
    assert index.cross_language_partners(1, [4, 5], threshold=0.85, window_days=7) == []
    assert index.cross_language_partners(1, [4, 5], threshold=0.85, window_days=60) == [5]


def test_a_story_without_multilingual_vectors_has_no_cross_language_partners() -> None:
    index = ClusterIndex(8)
    index.new_story(1)
    _story_with_cross(
        index, 2, np.ones(8, dtype=np.float32), "es", datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert index.cross_language_partners(1, [2], threshold=0.0, window_days=7) == []


def test_stories_sharing_a_language_need_the_stricter_link() -> None:
    day = datetime(2026, 1, 1, tzinfo=UTC)
    event = np.array([1, 0, 0, 0, 0, 0, 0, 0], dtype=np.float32)
    close = np.array([1, 0.5, 0, 0, 0, 0, 0, 0], dtype=np.float32)  # cosine 0.894 to event
    index = ClusterIndex(8)
    _story_with_cross(index, 1, event, "en", day)
    index.add_cross(1, event, "es")  # story 1 is told in English and Spanish
    _story_with_cross(index, 2, close, "en", day)  # English only: shares a language with 1
    _story_with_cross(index, 3, close, "de", day)  # German only: no language in common
    assert index.cross_language_partners(1, [2, 3], 0.85, 7, shared_threshold=0.9) == [3]
    assert index.cross_language_partners(1, [2, 3], 0.85, 7, shared_threshold=0.88) == [3, 2]
    assert index.cross_language_partners(2, [1], 0.0, 7, shared_threshold=0.0) == [1]
    _story_with_cross(index, 4, event, "en", day)
    assert index.cross_language_partners(4, [2], 0.0, 7, shared_threshold=0.0) == []  # same


def test_a_lone_report_finds_its_story_in_other_languages_by_a_clear_margin() -> None:
    """A German one-report story whose monolingual links reach nothing joins the English
    story it is closest to by the multilingual cosine, when that link is clear of the next
    story's; a German story that has another equally close partner stays alone."""
    day = datetime(2026, 1, 1, tzinfo=UTC)
    event = np.array([1, 0.3, 0, 0, 0, 0, 0, 0], dtype=np.float32)
    look_alike = np.array([1, 0, 0.8, 0, 0, 0, 0, 0], dtype=np.float32)  # cosine 0.75 to event
    index = ClusterIndex(8)
    _story_with_cross(index, 1, event, "en", day)
    _story_with_cross(index, 2, look_alike, "en", day)
    _story_with_cross(index, 3, event + 0.02, "de", day)  # the German report of story 1
    options = ClusterOptions(lone_threshold=0.99, lone_cross_threshold=0.82)
    assert plan_lone_merges(index, {3: {1, 2}}, [3], options) == [(3, 1)]
    no_pass = ClusterOptions(lone_threshold=0.99, lone_cross_threshold=None)
    assert plan_lone_merges(index, {3: {1, 2}}, [3], no_pass) == []
    # a twin of story 1 in English: two stories equally close, no clear home
    _story_with_cross(index, 4, event, "en", day)
    assert plan_lone_merges(index, {3: {1, 2, 4}}, [3], options) == []
    # a story in the report's own language only is the monolingual scorer's business
    _story_with_cross(index, 5, event, "de", day)
    assert plan_lone_merges(index, {3: {5}}, [3], options) == []


def test_a_lone_report_between_two_tied_stories_goes_where_the_multilingual_model_says() -> None:
    """The monolingual links of a lone report to two stories tie; the multilingual vectors
    prefer one of them clearly, and settle it. When they do not, it stays alone."""
    day = datetime(2026, 1, 1, tzinfo=UTC)
    event = np.array([1, 0.3, 0, 0, 0, 0, 0, 0], dtype=np.float32)
    look_alike = np.array([1, 0, 0.8, 0, 0, 0, 0, 0], dtype=np.float32)
    index = ClusterIndex(8)
    _story_with_cross(index, 1, event, "en", day)
    _story_with_cross(index, 2, look_alike, "en", day)
    _story_with_cross(index, 3, event + 0.02, "en", day)  # ties with both on the main vectors
    options = ClusterOptions(lone_threshold=-1.0, lone_cross_threshold=None)
    assert plan_lone_merges(index, {3: {1, 2}}, [3], options) == [(3, 1)]
    off = ClusterOptions(lone_threshold=-1.0, lone_cross_threshold=None, lone_tie_margin=None)
    assert plan_lone_merges(index, {3: {1, 2}}, [3], off) == []
    _story_with_cross(index, 4, event, "en", day)  # a twin of story 1: no clear preference
    assert plan_lone_merges(index, {3: {1, 2, 4}}, [3], options) == []
