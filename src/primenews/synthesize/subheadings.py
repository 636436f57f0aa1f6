"""Subheadings: a section's best keyphrase, shaped to name a sub-topic.

A subheading is one to three consecutive content words whose terms are used by many of the
section's sentences and few of the others' (RAKE-style), as written in the report, shaped to
name a sub-topic ("Tsunami warning") rather than a bare place, outlet or number ("Port Ellery",
"245 people"), not a term the whole story uses, never a clause or a verb the story uses, and
never a phrase a report denies or makes a condition of ("none is in a serious condition").
A one-word subheading takes the object the section gives it with "of" ("Lack of experience",
"State of emergency"), unless that would cut a name in two or name a verb's phrase.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from primenews.synthesize.gate_rules import boilerplate_kind, fragment, is_filler
from primenews.synthesize.textstats import WORD, fold, is_stopword, terms_of

__all__ = ["HeadingContext", "heading_context", "keyphrase_heading"]

MAX_HEADING_CHARS = 60
COMMON_DISCOUNT = 0.6
# common verbs the stopwords let through: never inside or at the end of a sub-topic's name
_LIGHT_VERBS = frozenset(
    """
    put set get got make made take took give gave meet met hit ran run sent left held keep kept
    came come went fell rose began begun brought built bought paid lost won struck cut say
    became become sees see seen gets takes makes puts shows show want wants need needs hope
    hopes expect expects goes seem seems seemed appear appears appeared remain remains remained
    mean means meant include includes included look looks comes lies stands believe believes
    believed think thinks thought happen happens happened may might must shall die dies
    sought fought caught taught brought told found fled broke spoke chose drove rose grew knew
    threw wrote stole sold spent stood understood swore tore froze hid shook forgot sang rang
    drank swam sank stuck going doing getting being having making taking coming
    """.split()  # noqa: SIM905
)
# words that cannot head a sub-topic's name: those verbs, adverbs that the stopwords let
# through, and nouns too general to name one ("Nine people", "Second time")
_WEAK_HEADS = _LIGHT_VERBS | frozenset(
    """
    still again already yet ago aground ashore overnight away back home later soon instead
    time times day days week weeks month months year years people person part parts number
    lot lots way ways thing things place places hour hours minute minutes morning evening night
    afternoon today yesterday tomorrow side sides case cases end start either less too else
    """.split()  # noqa: SIM905
)
# nouns too general and number words: they may open a name ("Five Olympic rings") but not end it
_GENERAL_HEADS = _WEAK_HEADS | frozenset(
    """
    man men woman women one two three four five six seven eight nine ten eleven twelve dozen
    dozens hundred hundreds thousand thousands million millions first second third fourth fifth
    sixth seventh eighth ninth tenth last latest next other earlier previous former
    """.split()  # noqa: SIM905
)
# words in -ing that news uses as nouns: "fishing port", "police shooting", "housing crisis"
_ING_NOUNS = frozenset(
    """
    fishing shooting housing training voting spending funding building meeting hearing mining
    banking parking shipping trading polling boarding landing bombing killing warning opening
    ruling briefing recording gathering planning testing screening manufacturing marketing
    lending rating ranking stabbing flooding bidding drilling logging farming nursing clothing
    lighting heating
    """.split()  # noqa: SIM905
)
# prepositions (and adverbs of place) the stopwords let through: a phrase never runs across one
_BREAK_WORDS = frozenset(
    """
    worth onto across around near toward towards without within behind beyond along despite
    inside outside except like unlike beside amongst throughout following since due
    together apart ahead alone abroad
    """.split()  # noqa: SIM905
)
# articles and possessives: the words after one start a noun phrase
_DETERMINERS = frozenset(
    """
    the a an its their his her our this these those whose el la los las un una der die das den dem
    ein eine einen einem einer eines le les une il lo gli het een o os um uma
    """.split()  # noqa: SIM905
)
# words that make what follows a condition, not a fact: no subheading comes from there
_CONDITIONALS = frozenset(
    """
    if unless whether lest si wenn falls ob se als indien
    """.split()  # noqa: SIM905
)
# words that deny what follows: "none is in a serious condition" names no sub-topic
_NEGATIONS = frozenset(
    """
    no not none never neither nor nobody nothing kein keine keinen nie nicht ningun ninguna
    nunca nadie nada jamais aucun aucune personne rien nessun nessuna nessuno mai niente geen
    niet nooit niemand niets
    """.split()  # noqa: SIM905
)
# words after which a verb comes in its base form: "to reopen", "will support"
_BEFORE_BASE_VERB = frozenset(
    """
    to will would can could should may might must shall did does do didn't doesn't don't won't
    wouldn't can't cannot couldn't shouldn't
    """.split()  # noqa: SIM905
)
# object pronouns (case kept: "US" is a country): the word before one is a verb
_OBJECT_PRONOUNS = frozenset({"it", "them", "him", "us", "me"})
_NOUN_ENDINGS = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ship", "ism", "ist")
# content runs after "if" and after "not" that a heading is never drawn from: "… if the
# vote passes", "none of the nine was in a serious condition"
_CONDITION_SCOPE = 1
_DENIAL_SCOPE = 2
# what follows "not" in these does not deny a fact: "not to mention", "not only … but"
_NOT_DENYING = frozenset({"to", "only", "just", "least", "yet"})
# languages that capitalise every noun: there a subheading ends on a capitalised word
_NOUN_CAPITALISING = frozenset({"de", "lb"})
_BREAK = re.compile(r"[,;:.!?()\[\]\"“”«»—–]|\s-\s")


def keyphrase_heading(
    texts: Sequence[str],
    others: Sequence[str],
    avoid: set[str],
    context: HeadingContext | None = None,
) -> str:
    """The section's subheading from its sentences ``texts`` against the other sections'.

    A term weighs the share of the section's sentences that use it less the share of the
    other sections' sentences that do; a phrase scores its terms' weights (averaged, so a long
    phrase must earn its length), with a bonus for two or three words. A subheading should
    name a sub-topic ("Rescue operation", "Course change"), not a bare place, outlet or
    number: a phrase with a number is never one, and a phrase of names only, one headed by a
    name ("Citing January"), by a verb or adverb ("Halvorsby promised"), by a count or a noun
    too general to name anything ("Nine people", "Third man") scores less, and so do a clause
    (a verb inside: "Police pulled LaSalle") and a phrase headed by a word the story never uses
    as a noun (see :class:`HeadingContext`); in German, whose nouns are all capitalised, a
    phrase ending on a lower-case word ("viel gelernt habe") scores least. A term the whole
    story uses says nothing about one section: its spread over the story's reports takes up to
    :data:`COMMON_DISCOUNT` of its weight. A phrase that follows an article
    or possessive ("the tsunami warning") is a noun phrase and scores more; an article never
    opens one. In languages that capitalise nouns (most words upper case), case says nothing
    about names and is ignored.
    """
    inside = _sentence_share(texts)
    outside = _sentence_share(others)
    cased = not _capitalises_nouns(texts)
    context = context or heading_context(list(texts) + list(others))
    shared = context.spread
    scored: dict[str, tuple[float, str]] = {}
    for text in texts:
        for phrase, noun_phrase in _phrases(text):
            key = " ".join(fold(word) for word in phrase.split())
            terms = terms_of(phrase)
            if not terms or key in avoid or any(word.isdigit() for word in phrase.split()):
                continue
            weights = [
                max(0.0, inside.get(t, 0.0) - outside.get(t, 0.0))
                * (1.0 - COMMON_DISCOUNT * shared.get(t, 0.0))
                for t in terms
            ]
            value = sum(weights) / len(weights) + 0.5 * max(weights)
            value *= 2.0 if 2 <= len(terms) <= 3 else 1.0
            value *= _shape_factor(phrase, cased=cased, noun_phrase=noun_phrase)
            if context.capitalised_nouns and not phrase.split()[-1][:1].isupper():
                value *= 0.2  # a lower-case German word is no noun: "gelernt habe"
            elif context.capitalised_nouns and _oblique_adjective(phrase):
                value *= 0.2  # "dramatischen Rückgang": no heading without its article
            head = fold(phrase.split()[-1])
            value *= 1.0 if head in context.nouns else 0.5
            if head not in context.nouns and _verb_form_of(head, context.verbs):
                value *= 0.3  # "Economy reopens", "Country supports": the story's verbs
            if key not in scored or value > scored[key][0]:
                scored[key] = (value, phrase)
    ranked = sorted(scored.items(), key=lambda item: (-item[1][0], -len(item[0]), item[0]))
    best = next(((k, p) for k, (_, p) in ranked if not _rejected(p)), None)
    if best is None:
        return _fallback_heading(texts, avoid)
    key, heading = best
    avoid.add(key)
    heading = heading.rstrip("'’-")  # "negative attention'" of "… attention' the church …"
    if len(heading.split()) == 1:
        heading = _of_phrase(heading, texts) or heading
    if len(heading) > MAX_HEADING_CHARS:
        heading = heading[:MAX_HEADING_CHARS].rsplit(" ", 1)[0]
    return _capitalised(heading)


@dataclass(frozen=True, slots=True)
class HeadingContext:
    """What the story as a whole says about its words: ``spread``, the share of its reports
    using each term; ``nouns``, the words (folded) it uses as nouns: ending a run of one or
    two content words right after an article or possessive ("the rescue", "a course
    change"); ``verbs``, the lower-case words it puts after "to", "will" or another word
    that a verb's base form follows ("to reopen"), or before an object pronoun ("approve
    it")."""

    spread: Mapping[str, float]
    nouns: frozenset[str]
    capitalised_nouns: bool = False  # the story's language writes every noun capitalised
    verbs: frozenset[str] = frozenset()  # words it uses as verbs in their base form


def heading_context(
    texts: Sequence[str], owners: Sequence[int] | None = None, language: str | None = None
) -> HeadingContext:
    """The :class:`HeadingContext` of a story's sentences ``texts``, by report (``owners``,
    one per text; each text its own report when not given), in ``language`` (ISO 639-1)."""
    holders: dict[str, set[int]] = {}
    marked: set[tuple[str, bool]] = set()  # (word, alone after its article)
    verbs: set[str] = set()
    keys = list(owners) if owners is not None else list(range(len(texts)))
    for text, owner in zip(texts, keys, strict=True):
        for term in terms_of(text):
            holders.setdefault(term, set()).add(owner)
        for chunk in _BREAK.split(text):
            words = WORD.findall(chunk)
            marked.update(_nouns_of(words))
            verbs.update(
                fold(word)
                for before, word in itertools.pairwise(words)
                if fold(before) in _BEFORE_BASE_VERB and _may_be_verb(word)
            )
            verbs.update(  # "until the inspectors approve it": a word taking an object pronoun
                fold(word)
                for word, after in itertools.pairwise(words)
                if after in _OBJECT_PRONOUNS and _may_be_verb(word)
            )
    total = len(set(keys)) or 1
    spread = {term: len(found) / total for term, found in holders.items()}
    capitalised = (language or "")[:2] in _NOUN_CAPITALISING
    found = frozenset(verbs)
    # "the economy reopens" marks no noun when the story says "to reopen": a subject and verb
    nouns = frozenset(w for w, alone in marked if alone or not _verb_form_of(w, found))
    return HeadingContext(spread, nouns, capitalised, found)


def _may_be_verb(word: str) -> bool:
    """Whether ``word``, met after "to" or "will", may be a verb in its base form: lower
    case, not a function word or article, not shaped like a noun ("to registration") or a
    plural ("to airlines"; a base form ends in -s only as "discuss" or "focus" do)."""
    folded = fold(word)
    plural = folded.endswith("s") and not folded.endswith(("ss", "us"))
    return (
        word.islower()
        and not plural
        and not is_stopword(word)
        and folded not in _DETERMINERS
        and not _denies(word)
        and not folded.endswith(_NOUN_ENDINGS)
    )


def _verb_form_of(word: str, verbs: frozenset[str]) -> bool:
    """Whether ``word`` (folded) is a form of a verb the story uses: "reopens", "supported",
    "reopening" of "to reopen", "will support"."""
    if word in verbs:
        return True
    stems = [word[:-1], word[:-2]] if word.endswith("s") else []
    if word.endswith("ed"):
        stems += [word[:-2], word[:-1]]
    if word.endswith("ing"):
        stems += [word[:-3], word[:-3] + "e"]
    return any(stem in verbs for stem in stems if len(stem) > 2)


def _nouns_of(words: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """The words of one chunk that an article or possessive marks as nouns, each with
    whether it follows the article alone ("the rescue") or after another word ("the
    course change")."""
    for place, word in enumerate(words):
        if fold(word) not in _DETERMINERS:
            continue
        following = words[place + 1 :][:3]
        run = list(itertools.takewhile(lambda w: not is_stopword(w), following))
        head = fold(run[-1]) if run else ""
        if run and len(run) <= 2 and not head.endswith(("ed", "ly")) and head not in _LIGHT_VERBS:
            # alone, or after a possessive ("the Senate's return"): a noun for sure
            alone = len(run) == 1 or run[-2].endswith(("'s", "’s"))
            yield head, alone  # not "came" of "the call came"


def _shape_factor(phrase: str, *, cased: bool, noun_phrase: bool) -> float:
    """How well ``phrase`` is shaped to name a sub-topic (see keyphrase_heading)."""
    words = phrase.split()
    head, first = fold(words[-1]), fold(words[0])
    factor = 1.25 if noun_phrase else 1.0
    if cased and all(word[:1].isupper() for word in words):
        factor *= 0.4  # a bare name: "Port Ellery", "North Sound Lines"
    elif cased and words[-1][:1].isupper():
        factor *= 0.5  # headed by a name: "Citing January"
    if head in _GENERAL_HEADS or _past_form(head) or (len(head) > 4 and head.endswith("ly")):
        factor *= 0.4
    if len(words) > 1 and words[-1].islower() and head.endswith("ing") and head not in _ING_NOUNS:
        factor *= 0.5  # a verb's phrase: "investigators examining"
    participle = first.endswith(("ing", "ed")) and first not in _ING_NOUNS  # "fishing port"
    if len(words) > 1 and words[0].islower() and (participle or first in _WEAK_HEADS):
        factor *= 0.5  # a verb's phrase: "offering workers", "left homeless"
    if any(_verb_like(word) for word in words[1:-1]):
        factor *= 0.4  # a clause, not a name: "Police pulled LaSalle", "Call came"
    return factor


def _oblique_adjective(phrase: str) -> bool:
    """Whether a German ``phrase`` opens on a lower-case adjective in -en ("dramatischen
    Rückgang", "internationalen Flughäfen"): an inflection that needs the article the text put
    before it; a heading stands without one, where the adjective ends in -e, -er or -es."""
    words = phrase.split()
    return len(words) > 1 and words[0].islower() and words[0].endswith("en")


def _verb_like(word: str) -> bool:
    """A lower-case word that reads as a verb: a past form or a light verb."""
    folded = fold(word)
    return word.islower() and (folded in _LIGHT_VERBS or _past_form(folded))


def _past_form(folded: str) -> bool:
    """Whether a folded word reads as a past form ("died", "pulled"; not "speed")."""
    return len(folded) > 3 and folded.endswith("ed") and not folded.endswith("eed")


def _capitalises_nouns(texts: Sequence[str]) -> bool:
    """Whether most content words inside the sentences are capitalised (German nouns)."""
    inner = [
        word
        for text in texts
        for word in WORD.findall(text)[1:]
        if word[:1].isalpha() and not is_stopword(word)
    ]
    return bool(inner) and sum(word[:1].isupper() for word in inner) > 0.5 * len(inner)


def _rejected(phrase: str) -> bool:
    """Whether the publish gate would reject ``phrase`` as a heading (abstract, cut off,
    boilerplate-like)."""
    return bool(is_filler(phrase) or fragment(phrase) or boilerplate_kind(phrase))


def _of_phrase(word: str, texts: Sequence[str]) -> str | None:
    """A one-word heading with what the section puts after it with "of": "Lack" is "Lack of
    experience", "State" is "State of emergency", "Use" is "Use of e-cigarettes" (the first
    such phrase; its object one or two content words, after an article at most, no number)."""
    pattern = re.compile(
        rf"\b{re.escape(word)}\s+of\s+((?:(?:the|a|an)\s+)?[^\W\d_][\w'’-]*(?:\s[^\W\d_][\w'’-]*)?)",
        re.IGNORECASE,
    )
    for text in texts:
        for match in pattern.finditer(text):
            words = match.group(1).split()
            while words and (is_stopword(words[-1]) or fold(words[-1]) in _BREAK_WORDS):
                words.pop()  # "use of e-cigarettes and" → "use of e-cigarettes"
            if not words or fold(words[-1]) in _DETERMINERS or not terms_of(words[-1]):
                continue
            if any(_verb_phrase_word(w) for w in words):
                continue  # "price of getting back": a verb's phrase
            after = text[match.end(1) :].split(maxsplit=1)
            if len(words) == len(match.group(1).split()) and after and after[0][:1].isupper():
                continue  # "of the Central Election [Commission]": a name cut in two
            phrase = f"{text[match.start() : match.start(1)]}{' '.join(words)}"
            phrase = " ".join(phrase.split())
            if len(phrase) <= MAX_HEADING_CHARS and not _rejected(phrase):
                return phrase
    return None


def _verb_phrase_word(word: str) -> bool:
    """A lower-case word in -ing that is no noun ("getting"; not "fishing") or a light verb."""
    folded = fold(word)
    return word.islower() and (
        folded in _LIGHT_VERBS or (folded.endswith("ing") and folded not in _ING_NOUNS)
    )


def _fallback_heading(texts: Sequence[str], avoid: set[str]) -> str:
    """The first unused phrase of the section, else its first four words."""
    for text in texts:
        for phrase, _ in _phrases(text):
            key = " ".join(fold(word) for word in phrase.split())
            if key not in avoid and not _rejected(phrase):
                avoid.add(key)
                return _capitalised(phrase)
    return _capitalised(" ".join(texts[0].split()[:4]).rstrip(",;:")) if texts else "Report"


def _sentence_share(texts: Sequence[str]) -> dict[str, float]:
    """For each term, the share of ``texts`` that use it."""
    counts = Counter(term for text in texts for term in set(terms_of(text)))
    return {term: count / len(texts) for term, count in counts.items()} if texts else {}


def _phrases(text: str) -> list[tuple[str, bool]]:
    """Every one to three word stretch of the runs of content words (runs split at
    punctuation and function words) that does not cut a name in two, in order, each with
    whether it ends a run that follows an article or possessive (a noun phrase's end)."""
    phrases: list[tuple[str, bool]] = []
    for chunk in _BREAK.split(text):
        run: list[str] = []
        before = ""
        skip = 0  # runs still inside a condition or a denial (see _scope)
        words = [*WORD.findall(chunk), ""]
        for place, word in enumerate(words):
            folded = fold(word)
            if (
                word
                and not is_stopword(word)
                and len(folded) >= 2
                and folded not in _BREAK_WORDS
                and folded not in _DETERMINERS  # "einen", "une": not stopwords, still articles
                and not _denies(word)
            ):
                run.append(word)
                continue
            if run and not skip:
                determined = fold(before) in _DETERMINERS
                phrases.extend((p, determined and end) for p, end in _stretches(run))
            if run:
                skip = max(0, skip - 1)
            skip = max(skip, _scope(word, fold(words[place + 1]) if word else ""))
            run = []
            before = word
    return phrases


def _scope(word: str, following: str) -> int:
    """How many content runs after ``word`` (then the folded word ``following``) are a
    condition or a denial (0 when the word opens neither)."""
    if fold(word) in _CONDITIONALS:
        return _CONDITION_SCOPE
    if _denies(word):
        return 0 if following in _NOT_DENYING else _DENIAL_SCOPE
    return 0


def _denies(word: str) -> bool:
    """A negation: "not", "none", "kein", "isn't", …"""
    return fold(word) in _NEGATIONS or word.casefold().endswith(("n't", "n’t"))


def _stretches(run: list[str]) -> list[tuple[str, bool]]:
    """The stretches of ``run`` (see :func:`_phrases`), each with whether it ends the run."""
    named = [word[:1].isupper() for word in run]
    found: list[tuple[str, bool]] = []
    for size in (1, 2, 3, 4):
        for start in range(len(run) - size + 1):
            end = start + size
            if size == 4 and not all(named[start:end]):
                continue  # four words only for a full name
            if start > 0 and named[start - 1] and named[start]:
                continue
            if end < len(run) and named[end - 1] and named[end]:
                continue
            found.append((" ".join(run[start:end]), end == len(run)))
    return found


def _capitalised(text: str) -> str:
    """``text`` with a capital first letter, unless its first word is spelt with an inner
    capital ("iPhone", "eBay"), which a capital would misspell."""
    if not text or text[1:2].isupper():
        return text
    return text[:1].upper() + text[1:]
