"""Whether a report sentence can stand on a story page: prose, in the reporter's voice.

The cheap checks (:func:`looks_like_prose`) leave out what is not a sentence at all: menus,
bylines and notices, photo captions ("A view shows …", "X speaks during a news conference …
on September 18, 2024 in Washington, DC."), name lines and unfinished lines. The page checks
(:func:`fit_for_page`), asked only of the sentences the writer would pick, add the publish
gate's (:func:`passes_gate`: not cut off, no boilerplate, no markup) and leave out sentences
that state nothing (a reporter's question, a teaser, words to the reader) or that speak in
another voice than the page's: the first person outside quotation marks (a statement printed
without them) and the tail of a quotation begun in the sentence before.
"""

from __future__ import annotations

import re

from primenews.synthesize.gate_rules import boilerplate_kind, markup_problem, truncation
from primenews.synthesize.openers import DATE, outside_quotes
from primenews.synthesize.textstats import terms_of

__all__ = ["fit_for_page", "looks_like_prose", "passes_gate"]

_BOILERPLATE = re.compile(
    r"https?://|www\.|©|\ball rights reserved\b|\bsubscribe\b|\bsign up\b|\bnewsletter\b|"
    r"\bcookies?\b|\bclick here\b|\bread more\b|\badvertisement\b|\bfollow us\b|\bpodcast\b|"
    r"\bjavascript\b|\bbrowser\b|\blog ?in\b|\bregister\b|\bdownload the app\b",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|you're|you've|you'll)\b", re.IGNORECASE)
_STRAY_QUOTE = re.compile(r"[\"“”«»„]|''|``")
# first-person words (case-sensitive: "US" is a country; "I" is checked in context)
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|me|us|my|My|our|Our|ours|myself|ourselves)\b")
# words before a Roman numeral I ("clade I mpox", "Phase I trial", "World War I")
_NUMBERED = frozenset(
    {"clade", "type", "phase", "stage", "category", "class", "grade", "level", "part"}
    | {"chapter", "title"}
)
# the first quotation mark of a sentence that closes a quotation begun in the one before
_FIRST_QUOTE_MARK = re.compile(r"[“”«»„\"]|''|``")
_CLOSING_MARKS = frozenset({"”", "»", "''"})
_ATTRIBUTED = re.compile(r"\b(?:said|says|told|tells|asked|wrote|added)\b")
# a teaser that announces what follows: "Here is what …", "Here's how …", "Here are the …"
_TEASER = re.compile(r"^Here(?:'s|’s| is| are)\s+(?:what|how|why|who|where|when|the|a|some)\b")

_ENDS_WELL = re.compile(r"[.!?…。'\"’”»)]\s*$")
# a photo caption: "A view shows damage at …", "An artist performs in Paris, France, during …",
# "X speaks during a news conference … on September 18, 2024 in Washington, DC." (a present
# tense verb near the start, then the agencies' "in City, Country," place or "[on] <date>
# [in <place>]" ending), or any sentence ending in "in Washington, U.S, September 20, 2023."
_CAPTION_VIEW = re.compile(r"(?:A|An) (?:general |aerial |partial )?view (?:shows|of)\b")
_CAPTION_VERB = re.compile(  # either number ("An artist performs", "Dancers perform")
    r"\b(?:performs?|poses?|gestures?|reacts?|walks?|stands?|sits?|waves?|speaks|looks? on"
    r"|is seen|are seen|attends|arrives|holds|takes|delivers|addresses|listens|greets|leaves"
    r"|testifies|visits|gives)\b"
)
_CAPTION_VERB_REACH = 80  # characters from the start where a caption's verb is
_NOT_CAPTION_VERB = ("will ", "to ", "would ", "could ", "can ", "may ", "did ")  # "will attend"
_PLACE = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
_CAPTION_PLACE = re.compile(r"\bin [A-Z][\w-]+, [A-Z][\w-]+(?:,|\s)")
_CAPTION_DATE = re.compile(rf"(?:\bon|,) {DATE}(?:,? in [A-Z]|\.?\s*$)")
_AGENCY_END = re.compile(rf"\bin {_PLACE}, {_PLACE},? {DATE}\.?\s*$")
_YEAR_END = re.compile(r"(?:19|20)\d\d\.?\s*$")


def _is_caption(text: str) -> bool:
    """Whether ``text`` reads as a photo caption (see the patterns above)."""
    if _CAPTION_VIEW.match(text):
        return True
    verb = _CAPTION_VERB.search(text, 0, _CAPTION_VERB_REACH + 20)
    while verb is not None and text.endswith(_NOT_CAPTION_VERB, 0, verb.start()):
        verb = _CAPTION_VERB.search(text, verb.end(), _CAPTION_VERB_REACH + 20)
    if verb is not None and verb.start() <= _CAPTION_VERB_REACH:
        if _CAPTION_PLACE.search(text, verb.end(), verb.end() + _CAPTION_VERB_REACH + 40):
            return True
        if (_YEAR_END.search(text) or " in " in text) and _CAPTION_DATE.search(text, verb.end()):
            return True
    return _YEAR_END.search(text) is not None and _AGENCY_END.search(text) is not None


def _states_nothing(text: str) -> bool:
    """A question in the reporter's voice ("What happens when the Pope dies?"), a teaser
    ("Here is what the decision means for borrowers.") or words to the reader: a crosshead or
    a hook, which states no fact. A quoted question is someone's words and stays."""
    stripped = text.rstrip()
    if _TEASER.match(stripped) or _addresses_reader(stripped):
        return True
    return stripped.endswith("?") and stripped[:1] not in "\"“«„‘'"


def _addresses_reader(text: str) -> bool:
    """Whether the writer speaks to the reader ("If you could not pay for your coffee …, you
    were not alone."): a feature's hook, not a fact. "You" inside a quotation, or in a
    sentence with a stray quotation mark or an attribution (the rest of a quote), is the
    speaker's."""
    own = outside_quotes(text)
    if not _SECOND_PERSON.search(own):
        return False
    return not (_STRAY_QUOTE.search(own) or _ATTRIBUTED.search(text))


def _first_person(text: str) -> bool:
    """Whether ``text`` speaks in the first person outside quotation marks: someone's words
    printed without them (a statement's text, the rest of a quotation begun in the sentence
    before: "We have reached an agreement in principle …") or a blogger's own voice ("I
    confirmed yesterday that …"). Neither is the page's voice."""
    own = outside_quotes(text)
    for match in _FIRST_PERSON.finditer(own):
        if match.group() != "I":
            return True
        before = own[: match.start()].split()
        previous = before[-1] if before else ""
        roman = previous.casefold() in _NUMBERED or (
            previous[:1].isupper() and previous[-1:].isalnum()  # "World War I", "Elizabeth I"
        )
        if not roman and own[match.end() : match.end() + 1] not in ("-", "."):
            return True
    return False


def _quotation_tail(text: str) -> bool:
    """Whether ``text`` is the rest of a quotation begun in the sentence before: its first
    quotation mark closes one ("You can never have too much gas in the air. '' USAF also
    denied …", "… from behind,” the chief said.")."""
    first = _FIRST_QUOTE_MARK.search(text)
    return first is not None and first.group() in _CLOSING_MARKS


def fit_for_page(text: str) -> bool:
    """Whether the writer may publish ``text`` as a page sentence: the gate would take it, it
    states something (a question stays a candidate, for the centrality of the others) in the
    reporter's voice, not in the first person, and it is no quotation's tail."""
    return (
        passes_gate(text)
        and not _states_nothing(text)
        and not _first_person(text)
        and not _quotation_tail(text)
    )


def passes_gate(text: str) -> bool:
    """Whether the publish gate would take ``text`` as a sentence: not cut off or verbless,
    not boilerplate, no markup. Costly: the writer asks only about sentences it would pick."""
    return not (truncation(text) or boilerplate_kind(text) or markup_problem(text))


def looks_like_prose(text: str) -> bool:
    """A sentence, not a caption, a menu, a byline or a notice (cheap checks)."""
    if _BOILERPLATE.search(text) or _is_caption(text) or not _ENDS_WELL.search(text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or len(terms_of(text)) < 3:
        return False
    cased = sum(ch.islower() or ch.isupper() for ch in letters)
    if cased < 0.5 * len(letters):
        return True  # a script without case (Arabic, Hebrew, Devanagari): nothing to check
    lower = sum(ch.islower() for ch in letters)
    if lower < 0.6 * len(letters):
        return False
    # every word capitalised: a name line under a photo ("U.S. Federal Reserve Chairman Jerome
    # Powell.") or a title, not a sentence
    return any(word.lstrip("\"'“‘«„([")[:1].islower() for word in text.split())
