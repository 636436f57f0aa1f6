"""The publish gate's rules: one small function per flaw, each driven by the word lists here.

Kept apart from :mod:`primenews.synthesize.gate` (which runs them over story pages and plain
text) so that each stays short. Word lists are folded to ASCII and lower case; where cheap they
cover Spanish, Italian, French, German and Dutch besides English. The verb test for truncated
sentences is English only: elsewhere it would need a verb list per language.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from primenews.extract.clean import boilerplate_family
from primenews.synthesize.grounding import FUNCTION_WORDS

__all__ = [
    "CITATION_MARKER",
    "END_MARK",
    "boilerplate_kind",
    "dangling_pronoun",
    "folded_words",
    "fragment",
    "is_boilerplate",
    "is_filler",
    "markup_problem",
    "strip_leading_mark",
    "truncation",
    "word_set",
]

BOILERPLATE_MAX_CHARS = 300  # as in extract.clean: a long paragraph is never boilerplate


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


# --- patterns and word lists (folded to ASCII, lower case) -----------------------------------

_MARKUP: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*(?:>|&gt;|›)(?!\s*[\"“«„‘'])"), "a stray '>' left from markup"),
    (re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,300})?/?>"), "an HTML tag"),
    (re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});"), "an HTML entity"),
    (
        re.compile(
            r"\[/?(?:caption|embed|video|audio|gallery|playlist|tweet|youtube|instagram|iframe"
            r"|vc_\w+|et_pb_\w+)\b[^\]]{0,300}\]|\[\w+(?:\s+\w+=[\"'][^\]]{0,300})+\]"
        ),
        "a shortcode",
    ),
    (re.compile(r"(?:^|\s)#{1,6}\s|\*\*|__|```|^\s*[*-]\s"), "markdown syntax"),
    (re.compile(r"\bclick to tweet\b|\{\{|\}\}|\\[nrt]\b", re.IGNORECASE), "template residue"),
    (re.compile(r"\b\d{2,4}px\b"), "an image size left from markup ('150px')"),
    # a replacement character, UTF-8 read as Latin-1, or a "?" standing in for a character
    # the source could not encode ("a ?peaceful night?", "Phu Qu?c")
    (
        re.compile(r"\ufffd|Ã[\u0080-\u00bf]|â€|(?:^|(?<=\s))\?[^\W\d_]|[^\W\d_]\?[^\W\d_]"),
        "mis-decoded characters",
    ),
)
CITATION_MARKER = re.compile(r"\s*(?<!\\)\[\d+(?:\s*[,–-]\s*\d+)*\]")  # "[2]", not "\\[2]"
# cookie, copyright, share/follow and newsletter lines beyond extract.clean's (mostly English)
_MORE_BOILERPLATE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "cookie",
        re.compile(
            r"\b(utilizamos|usamos|utilizziamo|usiamo|gebruiken|verwenden|nutzen|utilisons)\b"
            r".{0,40}\bcookies?\b|\b(politica de cookies|informativa (sui )?cookie|cookiebeleid"
            r"|cookie-richtlinie|politique (de|relative aux) cookies|accepter les cookies"
            r"|aceptar (las )?cookies|accetta (i )?cookie|cookies accepteren|cookies akzeptieren)",
            re.IGNORECASE,
        ),
    ),
    (
        "copyright",
        re.compile(
            r"\b(todos los derechos reservados|tutti i diritti riservati|alle rechten voorbehouden"
            r"|alle rechte vorbehalten|tous droits reserves)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "share",
        re.compile(
            r"^(compartir|comparte|condividi|delen|teilen|partager|partagez)\b.{0,40}$"
            r"|\b(siguenos|seguici|volg ons|folgen sie uns|suivez-nous)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "share",  # a "Read <outlet>:" or "Read more:" link fused into a line: case kept
        re.compile(r"(?:^|\s)Read (?:[Mm]ore|[A-Z][\w.]*(?: [A-Z][\w.]*){0,2}) ?: "),
    ),
    (
        "newsletter",
        re.compile(
            r"\b(suscribete|iscriviti|abonneer|abonnieren|abonnez-vous|inscrivez-vous)\b"
            r".{0,60}\b(newsletter|boletin|nieuwsbrief)\b",
            re.IGNORECASE,
        ),
    ),
)
_CONTINUATION_START = _words("and or nor which whom whose whereas y und et ed")
# English headlines may end on a preposition ("Dies at 94", "Came From") but not on these
_DANGLING_END = _words(
    """
    the a an and or but nor of with y e o el la los las del que di che il und der die das et le
    les des du het een
    """
)
_REPORTING = _words(
    "says said tells told warns warned claims claimed urges urged insists insisted announces "
    "reveals confirms denies admits vows pledges adds added explains notes"
)
_REPORTING_END = _words("says said tells told warns warned insists insisted")
_WH_WORDS = _words("what how why who whom when where which whether here")
_AUXILIARIES = _words(
    """
    is are was were be been being am has have had do does did will would shall should can could
    may might must isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't
    couldn't didn't doesn't don't shouldn't
    """
)
_VERBS = _AUXILIARIES | _words(
    """
    said told went came took made gave saw met won lost led left held ran began brought thought
    found kept became fell felt knew got hit put set cut let spoke wrote rose sent spent stood
    struck fought paid built sold bought caught taught drew drove flew grew threw wore chose
    broke froze hid shot sat slept woke meant heard understood sought dealt fled bore swore
    dug cost swept hurt spread shut cast split sank sang swam rang fed bled wept crept lent
    bent knelt lit
    say tell go come take make give see meet win lose lead leave hold run begin bring think find
    keep become fall feel know get want need plan agree face warn call urge expect hope seek
    fear vote remain continue rise oppose support reject accept deny claim ask show seem appear
    include allow help try pay buy sell open close move live die work stand stay return launch
    announce believe insist argue suggest remember mean happen change follow provide control
    join send
    """
)
_CONTRACTION = re.compile(r"'(s|re|m|ve|ll|d)$|n't$", re.IGNORECASE)
_ENGLISH = _words("the of and to in on is was for with his her their a an at by from that")
_OTHER_LANGUAGES = _words(
    "el la los las der die das und le les et il di che het een des del y une ein eine"
)
_PUNCTUATION = "\"'“”‘’«»„()[],.;:!?¿¡"
_PRONOUNS = _words(  # with their accents: the first word is compared unfolded
    """
    he she they it this these those his her their its him them
    él ella ellos ellas éste ésta este esta estos estas su sus lui lei loro questo questa
    questi queste
    elle ils elles ce cette ces er sie dies diese dieser sein seine ihr ihre hij zij ze
    dit deze zijn haar hun
    """
)
# "This week, ...", "It is unclear whether ...": a pronoun that needs no antecedent
_PRONOUN_OK_NEXT = _words(
    """
    week month year morning afternoon evening night weekend time season spring summer autumn
    fall winter monday tuesday wednesday thursday friday saturday sunday is was remains seems
    semana mes ano lunes martes miercoles jueves viernes sabado domingo settimana mese anno
    semaine mois annee woche monat jahr gibt week maand jaar matin soir lundi mardi mercredi
    jeudi vendredi samedi dimanche lunedi martedi mercoledi giovedi venerdi
    """
)
_FILLER = _words(
    """
    concern concerns implication implications tension tensions reaction reactions response
    responses background overview conclusion conclusions analysis details detail development
    developments update updates context summary introduction outlook perspective perspectives
    impact impacts consequence consequences significance situation issue issues matter matters
    challenge challenges opportunity opportunities future ongoing potential further key recent
    latest new broader wider possible overall final main other additional general current
    continued relations relationship negotiation negotiations dialogue cooperation engagement
    engagements discussion discussions debate controversy criticism recognition insights
    takeaways highlights aftermath reflections thoughts questions uncertainty speculation
    remarks statement statements events things what next why looking ahead forward moving path
    political economic diplomatic global international regional domestic public social
    strategic historical mutual geopolitical more
    contexto antecedentes reacciones reaccion conclusiones analisis detalles implicaciones
    tensiones preocupaciones perspectivas resumen actualizacion contesto reazioni conclusione
    conclusioni analisi dettagli implicazioni tensioni preoccupazioni prospettive sintesi
    aggiornamento contexte conclusion analyse preoccupations resume hintergrund reaktionen
    fazit einordnung ausblick spannungen bedenken uberblick zusammenfassung achtergrond
    reacties conclusie spanningen zorgen vooruitblik overzicht samenvatting
    """
)
_ABSTRACT_SUFFIXES = ("ity", "ities", "ness", "ism", "isms", "ance", "ence", "ances", "ences")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'’]*")
END_MARK = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")


# --- the checks, one per flaw ----------------------------------------------------------------


def is_boilerplate(text: str) -> bool:
    """Whether ``text`` is a site's cookie, copyright, share or newsletter line, not news."""
    return boilerplate_kind(text) is not None


def boilerplate_kind(text: str) -> str | None:
    """The boilerplate family of a short text ("cookie", "copyright", "share", ...), or None.

    extract.clean's families first (what extraction already drops), then the other languages'.
    """
    stripped = text.strip()
    if len(stripped) >= BOILERPLATE_MAX_CHARS:
        return None
    family = boilerplate_family(stripped)
    if family is not None:
        return family
    folded = anyascii(stripped)
    return next((name for name, rx in _MORE_BOILERPLATE if rx.search(folded)), None)


def markup_problem(text: str) -> str | None:
    """What markup artefact ``text`` carries ("an HTML tag", ...), or None."""
    return next((what for rx, what in _MARKUP if rx.search(text)), None)


def folded_words(text: str) -> list[str]:
    """The words of ``text`` in ASCII lower case, for comparing across spellings and scripts."""
    return [w.casefold().rstrip("'’") for w in _TOKEN.findall(anyascii(text))]


def truncation(text: str) -> str | None:
    """Why ``text`` looks cut off at either end, or None."""
    core = text.strip().lstrip("\"'“‘«„([¿¡ ")
    if not core:
        return "empty sentence"
    if core[0] in ",;:)]}-–—" or core.startswith(("...", "…")):
        return "starts mid-sentence (with punctuation)"
    first = core.split()[0]
    if first[0].islower() and not any(ch.isupper() for ch in first[1:]):
        return "starts mid-sentence (lower-case first word)"
    if first.casefold().strip(",") in _CONTINUATION_START:
        return f"starts mid-sentence (with {first!r})"
    if text.rstrip().endswith(("...", "…")):
        return "ends with an ellipsis: cut off"
    if not END_MARK.search(text.rstrip()):
        return "no final punctuation"
    return _unbalanced(text) or _verbless(text)


def _unbalanced(text: str) -> str | None:
    pairs = [("(", ")"), ("[", "]"), ("{", "}"), ("«", "»")]
    if "„" not in text:
        pairs.append(("“", "”"))
    for opening, closing in pairs:
        if text.count(opening) != text.count(closing):
            return f"unbalanced {opening}{closing}: a quotation or aside cut off"
    if text.count('"') % 2:
        return 'unbalanced ": a quotation cut off'
    return None


def _verbless(text: str) -> str | None:
    """English sentences only: no auxiliary, common verb, contraction or -ed/-s form."""
    tokens = _TOKEN.findall(anyascii(text))
    lower = [w for w in tokens if w[0].islower()]
    english = sum(w in _ENGLISH for w in lower)
    if english < 2 or english <= sum(w in _OTHER_LANGUAGES for w in lower):
        return None
    if tokens and tokens[0].casefold() in _VERBS:  # "Is it ...?", "Send ..."
        return None
    for word in lower:
        if word in _VERBS or (word not in FUNCTION_WORDS and _looks_inflected(word)):
            return None
    if any(_CONTRACTION.search(word) for word in tokens):  # "There's", "we're"
        return None
    return "no verb: a fragment, not a sentence"


def _looks_inflected(word: str) -> bool:
    if len(word) > 3 and word.endswith("ed"):
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous"))


def fragment(text: str) -> str | None:
    """Why a headline or heading reads as cut off ("Putin praises Trump, says Russia")."""
    stripped = text.strip()
    if stripped.endswith((",", ";", ":", "-", "–", "—", "...", "…")):
        return "ends on punctuation: cut off"
    words = stripped.split()
    last = anyascii(words[-1]).casefold().strip("\"'.!?)”’") if words else ""
    if last in _DANGLING_END:
        return f"ends on {last!r}: cut off"
    reported = "," in stripped or ":" in stripped or _WH_WORDS & set(folded_words(stripped))
    if last in _REPORTING_END and not reported:  # "Tarsis mayor says"; not "X, mayor says"
        return f"ends on the reporting verb {last!r}: nothing reported"
    clause, _, tail = stripped.rpartition(",")
    return _cut_report(clause, tail.split()) if clause else None


def _cut_report(clause: str, tail: list[str]) -> str | None:
    """ ", says Russia" after "Putin praises Trump": a second verb of the clause, cut after a word.

    "Peace is near, says Putin" (a claim, then who made it) and "..., says report" (a common
    noun as the speaker) are the usual inverted attribution and pass; "Economy grows, says
    Putin" cannot be told apart from the seed's fragment by its words and is flagged too.
    """
    if len(tail) != 2 or anyascii(tail[0]).casefold() not in _REPORTING:
        return None
    speaker = tail[1].strip("\"'.!?)”’")
    if speaker.islower() and speaker in FUNCTION_WORDS:
        return f"ends on {speaker!r}: cut off"
    if not speaker[:1].isupper():
        return None
    for word in folded_words(clause)[1:4]:  # the clause's verb follows its subject
        if word in _AUXILIARIES:
            return None  # "Peace is near": a claim
        if _is_verb(word):
            return f"'{' '.join(tail)}' continues the first clause and is cut off"
    return None


def _is_verb(word: str) -> bool:
    return word in _VERBS or word in _REPORTING or _looks_inflected(word)


def is_filler(text: str) -> bool:
    """A heading of abstract words only: no name, number or concrete noun in it."""
    if any(ch.isdigit() for ch in text):
        return False
    words = [w for w in folded_words(text) if w not in FUNCTION_WORDS]
    return bool(words) and all(w in _FILLER or w.endswith(_ABSTRACT_SUFFIXES) for w in words)


def dangling_pronoun(text: str) -> str | None:
    """Why the first sentence of a section cannot open it: a pronoun that points back."""
    words = text.split()[:2]
    first = words[0].casefold().strip(_PUNCTUATION) if words else ""
    if first not in _PRONOUNS:  # accents kept: Spanish "Él" is "he", "El" is "the"
        return None
    following = anyascii(words[1]).casefold().strip(_PUNCTUATION) if len(words) > 1 else ""
    if following in _PRONOUN_OK_NEXT:
        return None
    return f"opens a section with {words[0]!r}, which refers to nothing before it"


def word_set(text: str) -> frozenset[str]:
    """The content words of ``text``, for the duplicate test (word-set Jaccard)."""
    return frozenset(w for w in folded_words(text) if w not in FUNCTION_WORDS)


def strip_leading_mark(text: str) -> str:
    """``text`` without a stray leading '>' (so that the other rules see the words)."""
    return _MARKUP[0][0].sub("", text).strip()
