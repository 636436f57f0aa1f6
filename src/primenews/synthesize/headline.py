"""A neutral headline of at most 90 characters, chosen from the reports' titles.

Titles are cleaned of outlet suffixes ("… - Reuters", "… | CNN"), of labels ("BREAKING:",
"WATCH:") and of a share line fused onto them ("… Read Newsmax: <the title again>"). The
headline is the title that agrees most with the others and with the page's summary (an
outlet's slanted or teasing title agrees least), with explainers and all-quote titles marked
down and questions and exclamations left out while another title states the news. A title
over the limit first loses the subject's relative clause and the closing attribution, then is
cut to its longest clause that fits (at a colon, dash, semicolon or comma, but not at the comma
of a list of names that goes on: "his IBF, WBA and WBO titles"), never mid-clause. A title whose
cut would drop its news (cut after a reporting verb, before what was said: "… confirmed to the
Los Angeles Times", or between words with nothing to stop at) gives way to one nearly as
representative (:data:`WORD_CUT_MARGIN`) that fits whole or keeps its news when cut, and a
title that would be the summary sentence cut short ranks lower (:data:`ECHO_PENALTY`).
With no usable title the headline is the summary sentence, else a whole page sentence telling
the same news, else the summary compressed the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from primenews.synthesize.gate_rules import fragment, markup_problem
from primenews.synthesize.neutrality import loaded_words
from primenews.synthesize.openers import DATE
from primenews.synthesize.textstats import term_matrix, terms_of

__all__ = [
    "choose_headline",
    "clean_title",
    "compress_headline",
    "explainer",
    "sentence_headline",
]

SENTENCE_HEADLINE_TRIES = 4  # page sentences after the summary that may head a titleless page
# a title whose cut would drop its news (see _compressed) gives way to one at most this much
# less representative that fits whole or is cut without dropping it
WORD_CUT_MARGIN = 0.15
LOADED_PENALTY = 0.2  # per loaded word in a title (see :mod:`.neutrality`)
# a title that would head the page as its summary sentence cut short counts this much less
ECHO_PENALTY = 0.2

_LABEL = re.compile(
    r"^(?:breaking|watch live|watch|live updates|live blog|live|exclusive|update[d]?|opinion|"
    r"analysis|video|photos|explainer|"
    r"just in|ultima hora|última hora|eilmeldung|en direct|en vivo)\s*(?:news)?\s*[:|\-–—]\s*",
    re.IGNORECASE,
)
# explainer and analysis pieces: a question word starting the title (case kept, so "WHO warns"
# is news), or a label
_EXPLAINER = re.compile(
    r"(?:What|Why|How|Where|Which|Who|Qué|Por qué|Cómo|Was|Warum|Wie|Pourquoi|Comment|Ce que)\s"
    r"|(?i:opinion|analysis|explainer|comment|editorial|q&a|análisis|analyse|kommentar)\b"
)
# a live page's label after its topic or its news: "Key Bridge collapse live updates: 6 dead",
# "Hiring jumped in March: Live Updates", "Barr to be attorney general – live"
_LIVE_LABEL = re.compile(
    r"\s+live (?:updates|blog|coverage)(?=\s*:)"
    r"|\s*[:.|\-–—]\s*live(?: updates| blog| coverage)?\s*$",
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{2,40}$")
# a share line fused onto a title: "… Ukraine   Read Newsmax: Diplomat: Bolton … | Newsmax.com"
_READ_ON = re.compile(r"\s+Read\s+(?:[Mm]ore|[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2})\s?:\s.*$")
_CLAUSE = re.compile(r"\s*(?::|;|\s[-–—]\s|,(?=\s))\s*")
_JOINERS = frozenset(
    """
    after as amid with while when before following since despite in on at for to from by which
    who that where because but and or nach als mit während bei für von durch und oder tras con
    mientras cuando para por desde y o après avec pendant quand pour par depuis et ou
    """.split()  # noqa: SIM905
)
# the words that open what a reporting verb reports, and how far back the verb may stand
_WHAT_FOLLOWS = frozenset({"that", "to", "whether", "que", "dass"})
_REPORT_REACH = 8
# a reporting or asking verb: a cut after it leaves out what was said or asked
_REPORTED = re.compile(
    r"\b(?:said|says|confirmed|told|announced|reported|asked|urged|expected|agreed|plans)\b",
    re.IGNORECASE,
)
# after a comma, the rest of a list: "his IBF, IBO and WBO titles" is not cut at its comma
_LIST_GOES_ON = re.compile(r"[\w'’-]+(?:\s[\w'’-]+)?,?\s(?:and|or|&|y|et|und)\s")
_TRAILING = re.compile(r"[\s,;:.\-–—]+$")
# the span of time that an "after"/"before" a cut stops at belongs to: "… as CEO [days] after
# his ouster", "… [just hours] before the vote"
_TIME_SPAN = re.compile(
    r"(?:\s+(?:just|only|shortly|some|a\s+few|several|\d+|a|an|one|two|three|four|five|six"
    r"|seven|eight|nine|ten))*\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|moments?)$",
    re.IGNORECASE,
)
_TIME_JOINERS = frozenset({"after", "before", "nach", "vor", "tras", "antes", "après", "avant"})
# "A former employee who opened fire at a party, has been charged …": the subject's relative
# clause, when the main verb follows it (a headline keeps who did what, not who they were)
_RELATIVE = re.compile(r"(?<=\w)\s+(?:who|which)\s[^,;:()]{3,120},\s+(?=[a-z])")
# "…, police said Saturday": the attribution closing the sentence
_ATTRIBUTION_END = re.compile(
    r",\s+(?:[\w.'’-]+\s){0,5}(?:said|says|reported|announced|confirmed|told \w+)"
    r"(?:\s+(?:on\s+)?\w+)?\s*$"
)


# a dateline and the text glued after a title ("Boeing pushes back 737 replacement
# development May 24, 2008 United States airframer Boeing has announced …")
_DATED_TAIL = re.compile(rf"(?:\s+(?:on|in|at|since|from|until|by|of))?\s+{DATE}\b.*$", re.I)


def clean_title(title: str) -> str:
    """``title`` without an outlet suffix, a label, a dateline (and what follows it) or
    surrounding white space."""
    cleaned = " ".join(title.split())
    dated = _DATED_TAIL.search(cleaned)
    if dated and len(cleaned[: dated.start()].split()) >= 3:
        cleaned = cleaned[: dated.start()]
    unlabelled = _LABEL.sub("", cleaned)
    if unlabelled != cleaned and unlabelled[:1].islower() and not unlabelled[1:2].isupper():
        unlabelled = unlabelled[:1].upper() + unlabelled[1:]  # "Watch live: engineers …"
    cleaned = _LIVE_LABEL.sub("", unlabelled)
    read_on = _READ_ON.search(cleaned)
    if read_on and read_on.start() >= 20:
        cleaned = cleaned[: read_on.start()]
    suffix = _SUFFIX.search(cleaned)
    if suffix and len(terms_of(suffix.group())) <= 3 and suffix.start() >= 20:
        kept = cleaned[: suffix.start()]
        if not fragment(_TRAILING.sub("", kept)):  # "… hit - and - run crash" is no suffix
            cleaned = kept
    return _TRAILING.sub("", cleaned)


def compress_headline(text: str, limit: int) -> str:
    """``text`` as a headline of at most ``limit`` characters: whole, or less the subject's
    relative clause and the closing attribution; else its longest fitting clause prefix, else
    its longest fitting prefix that stops before a preposition or conjunction, else its
    longest fitting word prefix that does not end on a function word."""
    return _compressed(text, limit)[0]


def _compressed(text: str, limit: int) -> tuple[str, bool]:
    """:func:`compress_headline`'s headline, and whether it keeps the news: False when it is
    cut between words with no preposition or conjunction to stop at, or cut where the news
    follows ("… confirmed to the Los Angeles Times [that …]", "… has asked neurosurgeon")."""
    whole = _whole_headline(text, limit)
    if whole is not None:
        return whole, True
    text = " ".join(text.split())
    text = _ATTRIBUTION_END.sub("", _RELATIVE.sub(" ", _TRAILING.sub("", text), count=1))
    cuts = [
        m.start()
        for m in _CLAUSE.finditer(text)
        if 0 < m.start() <= limit and not _mid_list(text, m.start(), m.end())
    ]
    if cuts and cuts[-1] >= limit // 2:
        return _TRAILING.sub("", text[: cuts[-1]]), True
    words = text[: limit + 1].split()[:-1] if not text[limit].isspace() else text[:limit].split()
    for end in range(len(words) - 1, len(words) // 2, -1):
        if words[end].casefold() in _JOINERS:
            prefix = _TRAILING.sub("", " ".join(words[:end]))
            if words[end].casefold() in _TIME_JOINERS:
                prefix = _TRAILING.sub("", _TIME_SPAN.sub("", prefix))
            # "confirmed to the Los Angeles Times [that …]", "has asked neurosurgeon [to …]"
            said = _REPORTED.search(" ".join(words[max(0, end - _REPORT_REACH) : end]))
            return prefix, not (said and words[end].casefold() in _WHAT_FOLLOWS)
    while words and not terms_of(words[-1]):
        words.pop()
    return _TRAILING.sub("", " ".join(words)), False


def _mid_list(text: str, start: int, end: int) -> bool:
    """Whether the comma at ``text[start:end]`` parts names in a list that goes on ("his IBF,
    IBO and WBO titles"): cut there, the headline would end on the list's first name."""
    before = text[:start].rsplit(" ", 1)[-1]
    return before[:1].isupper() and _LIST_GOES_ON.match(text, end) is not None


def _whole_headline(text: str, limit: int) -> str | None:
    """``text`` as a headline without cutting a clause: as it is, or less the subject's
    relative clause and the closing attribution; None when that is still over ``limit``."""
    text = _TRAILING.sub("", " ".join(text.split()))
    if len(text) <= limit:
        return text
    text = _TRAILING.sub("", _ATTRIBUTION_END.sub("", _RELATIVE.sub(" ", text, count=1)))
    return text if len(text) <= limit else None


def choose_headline(
    titles: Sequence[str], summary: str, *, limit: int = 90, sentences: Sequence[str] = ()
) -> str:
    """The most representative clean title (see the module docstring), at most ``limit`` long;
    with no title, a page sentence (``summary``, then ``sentences``) as its headline."""
    cleaned = [clean_title(t) for t in titles if t and t.strip()]
    cleaned = [t for t in cleaned if len(terms_of(t)) >= 2 and not markup_problem(t)]
    stated = [t for t in cleaned if not t.rstrip().endswith(("?", "!"))]
    cleaned = stated or cleaned  # a question or an exclamation heads a page only when all do
    if not cleaned:
        return sentence_headline(summary, sentences, limit)
    matrix = term_matrix([*cleaned, summary])
    similarity = matrix.similarity()
    compressed = [_compressed(title, limit) for title in cleaned]
    ranked: list[tuple[float, int]] = []
    for index, title in enumerate(cleaned):
        others = [similarity[index, j] for j in range(len(cleaned)) if j != index]
        agreement = sum(others) / len(others) if others else 0.0
        value = agreement + 0.5 * float(similarity[index, -1]) - _penalty(title, limit)
        if _echoes(compressed[index][0], summary):
            value -= ECHO_PENALTY
        ranked.append((value, -index))
    ranked.sort(reverse=True)
    best = ranked[0][0]
    cut: str | None = None
    for value, place in ranked:
        headline, whole = compressed[-place]
        if fragment(headline):
            continue
        if whole:
            return headline
        cut = cut or headline
        if value < best - WORD_CUT_MARGIN:
            break
    return cut if cut is not None else compress_headline(summary, limit)


def _echoes(headline: str, summary: str) -> bool:
    """Whether ``headline`` is the summary sentence cut short: right above it, it reads as a
    truncated copy of the page's first sentence."""
    words = _bare_words(headline)
    said = _bare_words(summary)
    return 3 <= len(words) < len(said) and said[: len(words)] == words


def _bare_words(text: str) -> list[str]:
    return [word.strip(".,;:!?\"'“”‘’()").casefold() for word in text.split()]


def sentence_headline(summary: str, sentences: Sequence[str], limit: int) -> str:
    """A headline for a page whose reports have no title: the summary sentence when it fits;
    else the first of the next ``SENTENCE_HEADLINE_TRIES`` page sentences that fits whole and
    tells the summary's news (half its terms are the summary's), since a whole sentence is a
    whole claim where a cut one may drop its object ("Obama has asked neurosurgeon"); else
    the summary compressed."""
    whole = _whole_headline(summary, limit)
    if whole is not None:
        return whole
    news = set(terms_of(summary))
    for sentence in sentences[:SENTENCE_HEADLINE_TRIES]:
        text = _TRAILING.sub("", " ".join(sentence.split()))
        terms = set(terms_of(text))
        if len(text) > limit or text.endswith("?") or fragment(text) or len(terms) < 3:
            continue
        if len(terms & news) >= 0.5 * len(terms):
            return text
    return compress_headline(summary, limit)


def explainer(title: str) -> bool:
    """Whether ``title`` heads an explainer, analysis or opinion piece rather than the news
    ("What the rate rise means for you", "Analysis: …", "Why the talks failed")."""
    return _EXPLAINER.match(title.strip()) is not None or title.rstrip().endswith("?")


def _penalty(title: str, limit: int) -> float:
    """Marks against a title as a neutral headline."""
    penalty = 0.0
    if title.endswith("?") or title.endswith("!") or explainer(title):
        penalty += 0.3
    stripped = title.strip("\"'“”‘’ ")
    if title[:1] in "\"'“‘" or stripped != title.strip():
        penalty += 0.2
    if len(title) > limit:
        penalty += 0.1
    if sum(word.isupper() and len(word) > 3 for word in title.split()) >= 2:
        penalty += 0.2
    return penalty + LOADED_PENALTY * loaded_words(title)  # "obliterates", "spineless"
