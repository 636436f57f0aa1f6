"""Dangling openers: sentences that lean on a sentence the page does not show.

A report sentence taken out of its report may open with a label or dateline ("BREAKING:",
"PARIS (AP) —"), which is dropped, or with a connective ("But", "However,",
"Meanwhile,", or a stance adverb: "Unfortunately,") or a pronoun ("He said…", "They…", "This…")
that points back at what came before.
:func:`repair_opener` drops a leading connective (capitalising what follows) and replaces a
subject pronoun by the last full name the report used before the sentence; when no name is
found it says the sentence cannot stand alone, and the writer drops it from that place. So
it says of a sentence that is nothing but a quotation, whose speaker another sentence named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from primenews.synthesize.gate_rules import dangling_pronoun

__all__ = [
    "DATE",
    "Repair",
    "first_named_person",
    "full_name",
    "has_dangling_opener",
    "last_named_person",
    "last_subject",
    "outside_quotes",
    "repair_opener",
    "strip_dateline",
]

_AGENCY = r"\((?:CNN|AP|AFP|Reuters|dpa|EFE|ANSA|Bloomberg)\)"
DATE = (  # "April 2, 2025", "Sept. 5 2007"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d{1,2},?\s+\d{4}"
)
_DATELINE = re.compile(
    rf"^(?:{_AGENCY}\s*[—–-]?\s*"
    # "Washington (CNN)Secretary …": a place and an agency, the dash (and space) optional
    rf"|[A-ZÀ-Þ][\w.'’ -]{{1,40}}?(?:,\s*[\w. ]{{2,25}})?\s*{_AGENCY}\s*(?:[—–:-]+\s*)?"
    r"|(?i:breaking|update|updated|summary|exclusive|watch|live|eilmeldung|última hora)\s*:\s*"
    r"|[A-ZÀ-Þ][\w.'’ -]{1,40}?(?:,\s*[\w. ]{2,25})?\s*\([\w. -]{2,20}\)\s*(?:[—–:-]+)\s*"
    r"|[A-ZÀ-Þ][A-ZÀ-Þ .,'’-]{2,40}\s*(?:[—–:]|--|-(?=\s))\s*"
    # "Washington, D.C. – April 2, 2025: In a bold …": a place and a date
    rf"|[A-ZÀ-Þ][\w.'’ -]{{1,40}}?(?:,\s*[\w. ]{{2,25}})?\s*[—–-]\s*{DATE}\s*[:—–-]\s*"
    # "Prices: the bank hopes …": an explainer's one-word label before a lower-case sentence
    r"|[A-ZÀ-Þ][\w'’-]{1,20}:\s+(?=[a-zà-þ]))"
)

_CONNECTIVE = re.compile(
    r"^(?:but|and|however|meanwhile|still|yet|moreover|furthermore|instead|then|later|"
    r"nonetheless|nevertheless|even so|in addition|additionally|besides|thus|therefore|"
    r"as a result|in turn|separately|otherwise|in fact|indeed|pero|sin embargo|además|aber|"
    r"mais|cependant|però|tuttavia|maar)\b,?\s+"
    # German adverbs (and English words spelt alike) put the verb right after them ("So
    # funktionieren …", "Außerdem kam es …"): dropping one would leave the verb first, so
    # they go only with the comma English writes after them ("So, the vote …")
    r"|^(?:so|also|doch|jedoch|außerdem|dann),\s+"
    r"|^(?:un)?fortunately,\s+|^(?:sadly|clearly|obviously|surely|certainly|frankly|honestly|"
    r"ironically|interestingly|importantly|notably|curiously|predictably|inevitably|"
    r"understandably|admittedly|hopefully|naturally|basically|essentially|ultimately|similarly|"
    r"consequently|accordingly|alternatively|incidentally|luckily|thankfully|regrettably|"
    r"remarkably|significantly),\s+",  # a stance adverb: "Unfortunately, …", "Clearly, …"
    re.IGNORECASE,
)
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|„[^“”]*[“”]')
_PERSON_PRONOUN = re.compile(r"^(?:he|she)\b\s+", re.IGNORECASE)
_OTHER_PRONOUN = re.compile(
    r"^(?:they|it|this|that|these|those|his|her|their|its|him|them|such|the latter|the former|"
    r"not because|"  # an answer to the sentence before: "Not because he was long for the job."
    r"él|ella|ellos|ellas|er|sie|es|il|elle|ils|elles|lui|lei|zij|hij)\b",
    re.IGNORECASE,
)
_NAME = re.compile(  # up to four capitalised words that end a run of them
    r"\b(?:[A-ZÀ-ÖØ-Þ][\w'’-]+\.? ){0,2}[A-ZÀ-ÖØ-Þ][\w'’-]+ [A-ZÀ-ÖØ-Þ][\w'’-]+(?:-[A-Z][\w'’-]+)?"
    r"\b(?! [A-ZÀ-ÖØ-Þ])"
)
# words that make a capitalised phrase an organisation's or a place's name, not a person's
_ORGANISATION_WORDS = frozenset(
    """
    Agency Airlines Airways Assembly Association Authority Bank Board Bureau Center Centre
    Church Club Coastguard College Commission Committee Company Congress Corp Corporation
    Council Court Department Foundation Government Group Guard Hospital Inc Institute Lines
    Ltd Media Ministry Motors Navy News Office Organisation Organization Parliament Party
    Police Press Reserve School Senate Service Services Society Times Tribunal Union United
    University Wire Airport Bay Bridge Highlands Island Islands Palace Port River Sea Sound
    Square Stadium Station Street Valley Park National Glacier Mount Mt Mountain Mountains Lake
    Coast County Province Region City Village Hall Museum Hotel Range Peak
    """.split()  # noqa: SIM905
)
_NOT_NAME_START = frozenset(
    """
    The A An In On At But And For With From After Before When While This That These Those It
    He She They We Our His Her Their Its If As By Of To Under Over Since Despite During
    Mayor Governor Gov. President Senator Sen. Rep. Representative Minister Prime Chancellor
    Secretary General Gen. Engineer Judge Dr. Mr. Mrs. Ms. Professor Prof. Chief Director
    Spokesman Spokeswoman Spokesperson Officer Captain Commissioner King Queen Pope Prince
    Princess Sheriff Coach Attorney Chairman Chairwoman Leader Deputy Former Ambassador Agent
    Detective Lt. Sgt. Col. Speaker Councillor Councilman Councilwoman Inspector Superintendent
    New
    """.split()  # noqa: SIM905
)


# days and months: a capitalised run holding one is a date, never a person's name
_TIME_WORDS = frozenset(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March July
    September October November December Jan Feb Jul Sep Sept Oct Nov Dec
    """.split()  # noqa: SIM905  (not April, May, June or August: first names and surnames)
)


@dataclass(frozen=True, slots=True)
class Repair:
    """What :func:`repair_opener` did: the new text, or ``None`` when it cannot stand alone."""

    text: str | None
    changed: bool
    name_at: int | None = None  # where in ``before`` the name put in for a pronoun is


def has_dangling_opener(text: str) -> bool:
    """Whether ``text`` opens with a connective or a pronoun that points back, or is nothing
    but a quotation (its speaker named elsewhere)."""
    stripped = text.lstrip("\"'“‘«")
    return bool(
        _CONNECTIVE.match(stripped)
        or _PERSON_PRONOUN.match(stripped)
        or _OTHER_PRONOUN.match(stripped)
        or dangling_pronoun(text)
        or _bare_quotation(text)
    )


def strip_dateline(text: str) -> str:
    """``text`` without a leading label or dateline ("BREAKING:", "(CNN)", "PARIS (AP) —",
    "Miami Gardens (USA):", "Prices: the …"), re-capitalised; unchanged when nothing sensible
    would remain."""
    match = _DATELINE.match(text)
    if match is None:
        return text
    rest = text[match.end() :]
    if len(rest.split()) < 4 or not rest[:1].isalnum():
        return text
    return rest[0].upper() + rest[1:]


def repair_opener(text: str, before: str) -> Repair:
    """``text`` made to stand alone, given the report's text ``before`` it (see the module)."""
    stripped = strip_dateline(text)
    changed = stripped != text
    text = stripped
    match = _CONNECTIVE.match(text)
    if match:
        rest = text[match.end() :]
        if not rest:
            return Repair(None, True)
        text, changed = rest[0].upper() + rest[1:], True
    match = _PERSON_PRONOUN.match(text)
    if match:
        found = last_subject(before) or last_named_person(before)
        if found is None:
            return Repair(None, True)
        name, offset = found
        return Repair(f"{name} {text[match.end() :]}", True, offset)
    if _OTHER_PRONOUN.match(text) or dangling_pronoun(text) or _bare_quotation(text):
        return Repair(None, True)
    return Repair(text, changed)


def _bare_quotation(text: str) -> bool:
    """Whether ``text`` is nothing but a quotation: its speaker was named in another sentence
    ('… ," said Piet Vandeleur. "Offshore quakes of this size happen …"'), so alone it is a
    claim nobody made."""
    outside = outside_quotes(text)
    return outside != text and not any(ch.isalnum() for ch in outside)


def outside_quotes(text: str) -> str:
    """``text`` without its quoted passages: the words in the writer's own voice."""
    return _QUOTED.sub("", text)


def last_named_person(text: str) -> tuple[str, int] | None:
    """The last name of two or more capitalised words in ``text`` (not counting a phrase
    start such as "The") that is not an organisation's, with its offset in ``text``.

    "He" and "she" stand for people: "the Marine Accident Investigation Board" or "North
    Sound Lines" never replace them.
    """
    return next(_named_people(text), None)


def last_subject(before: str) -> tuple[str, int] | None:
    """The first person named in the last sentence of ``before`` (as a rule its subject,
    whom a following "he" or "she" means: 'Pelosi told … doing her best Joe Namath imitation.
    "…," she said'), with the offset in ``before``; None when that sentence names nobody."""
    body = before.rstrip()
    start = max(body.rfind(". "), body.rfind("\n")) + 1
    found = first_named_person(before[start:])
    return (found[0], found[1] + start) if found else None


def first_named_person(text: str) -> tuple[str, int] | None:
    """The first person's name in ``text`` (as :func:`last_named_person` finds names): in
    one sentence, its subject more often than not."""
    return next(reversed(list(_named_people(text))), None)


def full_name(surname: str, text: str) -> str | None:
    """The last person's name in ``text`` that ends in ``surname`` ("Alma Reyes-Tarn" for
    "Reyes-Tarn"), or None."""
    return next((name for name, _at in _named_people(text) if name.endswith(" " + surname)), None)


def _named_people(text: str) -> Iterator[tuple[str, int]]:
    """The people's names in ``text`` with their offsets, last first (see last_named_person)."""
    for match in reversed(list(_NAME.finditer(text))):
        parts = match.group().split()
        skipped = 0
        for place in range(len(parts) - 1, 0, -1):
            # "… Tasman Glacier. The New": a new sentence; "Digital Affairs Minister Elin
            # Sorvik": the name follows the title
            if _ends_sentence(parts[place - 1 :]) or parts[place - 1] in _NOT_NAME_START:
                skipped = sum(len(part) + 1 for part in parts[:place])
                parts = parts[place:]
                break
        while parts and (parts[0] in _NOT_NAME_START or _ends_sentence(parts)):
            skipped += len(parts[0]) + 1
            parts = parts[1:]
        if len(parts) >= 2 and not _ORGANISATION_WORDS.intersection(parts) and _personal(parts):
            yield " ".join(parts), match.start() + skipped


def _personal(parts: list[str]) -> bool:
    """Whether the words may name a person: no digits, no day or month ("COVID-19 Thursday")."""
    return not any(
        any(ch.isdigit() for ch in part) or part.rstrip(".") in _TIME_WORDS for part in parts
    )


def _ends_sentence(parts: list[str]) -> bool:
    """Whether the first word closes the sentence before the name ("… 'Predetermined'. Garry
    McCarthy"), rather than being an initial ("J.") or a title ("Dr.")."""
    first = parts[0]
    return len(parts) > 1 and first.endswith(".") and len(first.rstrip(".")) > 1
