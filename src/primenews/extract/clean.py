"""PrimeNews's own cleaning of the boilerplate that extractors let through.

Extractors keep whole blocks; the lines they keep by mistake come in a few families, each
matched here only on *short* paragraphs so that a real sentence that mentions cookies or
sharing is never dropped:

- cookie and consent notices ("We use cookies ...", "Cookies policy."),
- copyright lines ("Copyright ©2024 All rights reserved | ..."),
- share / follow / newsletter prompts ("Share news", "Follow us on X", "Sign up for ...",
  "Subscribe to <site> on YouTube"),
- comment prompts, advertising labels and reading times ("Leave a comment", "5 min read"),
- "Related posts" / "Don't miss" style headings and the run of headline links after them,
  "Read more: ..." lines (also bracketed, and in a few languages), and tag lists,
- datelines: a short line of nothing but a date or time ("Updated: Nov. 19, 2019"),
- markup artefacts: a leading ">" or "&gt;", left-over tags, WordPress shortcodes,
  a "Click To Tweet" suffix.
"""

from __future__ import annotations

import html
import logging
import re

__all__ = ["boilerplate_family", "clean_paragraph", "clean_paragraphs", "drop_title_paragraphs"]

logger = logging.getLogger(__name__)

SHORT = 300  # only paragraphs shorter than this can be boilerplate lines
PROMPT = 160  # share / follow / comment prompts are shorter still
LINK_LINE = 220  # "Read more: <headline>" lines
DATELINE = 80  # a line of nothing but a date and time

_I = re.IGNORECASE

_COOKIE = re.compile(
    r"\b(we|this (web)?site|our (web)?site|site) uses? cookies\b"
    r"|\bcookies? (policy|settings|preferences|notice|consent)\b"
    r"|\b(accept|allow|reject|manage) (all )?cookies\b"
    r"|\buse of cookies\b|\bconsent to (the|our) use\b",
    _I,
)
_COPYRIGHT = re.compile(r"^\s*(©|\(c\)\s*\d{4}|copyright\b)|\ball rights reserved\b|©\s*\d{4}", _I)
# *_START patterns are matched at the start of the line, *_ANY ones anywhere in it
_SHARE_START = re.compile(
    r"(share|tweet|email|print|pin( it)?|whatsapp|facebook|twitter|linkedin|reddit)"
    r"(\s+(news|this|it|now|article|story|post|page|on \w+( \w+)?|via \w+))*[\s.:!|]*$"
    r"|share (this|it|on|the|with)\b"
    r"|(follow|like|join) us( on| at| in)?\b"
    r"|(follow|subscribe to) [\w@'’ .&-]{1,60}\b(on|to) (facebook|twitter|instagram|youtube)\b"
    r"|subscribe to [\w@'’ .&-]{1,40}\byoutube\b"
    r"|(click|tap) (here )?to share\b",
    _I,
)
_SHARE_ANY = re.compile(r"\bshare (it|this( story| article| post)?) with (a|your) friends?\b", _I)
_NEWSLETTER = re.compile(
    r"\b(sign up|subscribe|register)\b.{0,80}\b(newsletter|inbox|updates|alerts)\b"
    r"|\b(newsletter|inbox)\b.{0,60}\b(sign up|subscribe)\b"
    r"|^[\w' -]{0,40}\bnewsletter:?$"
    r"|^get (our|the) .{0,40}newsletter\b",
    _I,
)
_PROMPT_START = re.compile(
    r"(\d+\s+)?comments?:?$|(leave|post|add|write) a (comment|reply)\b"
    r"|tell us what you think\b|(show|view|load|read) (all )?comments?\b"
    r"|(advertisement|advertising|sponsored( content)?|ad)$"
    r"|(story|article) continues below\b|continue reading( below)?\b"
    r"|(scroll|skip) (down|to)\b|back to top$|(read|see) more:?$"
    r"|(reading time|tempo de leitura|temps de lecture|lesezeit|tiempo de lectura)\W*\d+\s*\w*$"
    r"|\d+\s*(min|mins|minutes?)( read)?$"
    r"|an error (has )?occurred\b|this (article|story) has been sent to\b",
    _I,
)
_PROMPT_ANY = re.compile(
    r"\bclick(ing)? here\b"
    r"|\b(if you buy|may (earn|get|receive) a (small )?(commission|share))\b|\baffiliate links?\b",
    _I,
)
_NEWSLETTER_WORDS = ("sign up", "subscribe", "register", "newsletter", "inbox")
_COPYRIGHT_WORDS = ("©", "(c)", "copyright", "rights reserved")
_CONTACT = re.compile(
    r"\b(write to|reach(ed)?|contact|email|e-mail|tips?)\b[^@]{0,80}\b[\w.+-]+@[\w-]+\.[\w.]+", _I
)
_LICENCE = re.compile(r"\bpersonal,? non-?commercial use\b|\bpresentation-ready copies\b", _I)
_BRACKET_TAG = re.compile(r"\[(video|insight|reaction|pics|photos|poll|live|gallery)\]\W*$", _I)
MENU_RUN = 10  # this many tiny lines in a row are a menu, not an article
MENU_LINE = 30
_DIGIT = re.compile(r"\d")
_RELATED = re.compile(
    r"^(related( posts| articles| stories| news| content| coverage| reading)?"
    r"|(you )?(might|may) (also )?(like|enjoy|be interested in)|read next|more (news|stories)"
    r"|recommended( for you| stories| articles)?|popular( posts| stories)?|most read"
    r"|trending( now)?|more from [\w .'-]{1,40}|also read|see also|don'?t miss|explore further"
    r"|popular on [\w .'-]{1,30}|most read in [\w .'-]{1,30}|more great [\w .'-]{1,30} stories)"
    r"[\s:.!]*$",
    _I,
)
_READ_MORE_LINE = re.compile(
    r"^[\[(]?(read more|read also|also read|related|see also|see more|watch|leggi anche( su)?"
    r"|lesen sie auch|lire aussi|leia também|lea también|lee también)\s*[:|»>-]"
    r"|^also on [\w-]+\.[a-z]{2,}\s",
    _I,
)
_DATE_WORDS = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?|mon(day)?|tue(s(day)?)?|wed(nesday)?|thu(rs(day)?)?"
    r"|fri(day)?|sat(urday)?|sun(day)?|a\.?m|p\.?m|[a-z]?[a-z]t|gmt|utc|updated|published|posted"
    r"|last|modified|on|at|de|às|um|le|el|am|a"
    r"|(segunda|terça|quarta|quinta|sexta)(-feira)?|sábado|domingo|janeiro|fevereiro|março|abril"
    r"|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro"
)
_DATELINE = re.compile(rf"^(?:\W|\d|_|(?:{_DATE_WORDS})\b)*$", _I)
_DATE_SIGN = re.compile(r"\b(1[89]|20)\d\d\b|\b\d{1,2}[:.h]\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_LETTER = re.compile(r"[^\W\d_]")
_TAGS = re.compile(r"^(tags?|tagged( with)?|topics?|filed under|categories)\s*[:|]?\s*$", _I)
_TAGS_INLINE = re.compile(r"^(tags?|tagged( with)?|filed under)\s*:", _I)
_LEADING_MARK = re.compile(r"^\s*(?:>|&gt;|›|»\s)+\s*")
_TAG = re.compile(
    r"</?(a|b|i|u|em|strong|span|div|p|br|hr|img|font|small|sup|sub|iframe|script|style"
    r"|h[1-6]|ul|ol|li|table|tr|td|th|figure|figcaption|blockquote|section|article)"
    r"(\s[^<>]{0,400})?/?>",
    re.IGNORECASE,
)
_CLICK_TO_TWEET = re.compile(r"\s*click to tweet$", _I)
_SHORTCODE = re.compile(r"\[/?[a-z_]+(\s[^\]]{0,400})?\]")
_SPACE = re.compile(r"[ \t\u00a0\u200b]+")
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’)\]]\s*$")
_WORD = re.compile(r"\w+")


def clean_paragraph(paragraph: str) -> str:
    """Remove markup artefacts from one paragraph: a leading '>', tags, shortcodes, entities."""
    text = paragraph
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub("", text)
    if "[" in text:
        text = _SHORTCODE.sub("", text)
    text = _LEADING_MARK.sub("", text)
    if text[-5:].lower() == "tweet":
        text = _CLICK_TO_TWEET.sub("", text)
    return _SPACE.sub(" ", text).strip()


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Drop boilerplate paragraphs and strip markup artefacts; the article paragraphs remain."""
    cleaned = _drop_menus([clean_paragraph(p) for p in paragraphs])
    kept: list[str] = []
    skip_links = False
    for index, text in enumerate(cleaned):
        if not text:
            continue
        if skip_links:
            if _is_headline_like(text):
                continue
            skip_links = False
        family = boilerplate_family(text)
        if family is None:
            kept.append(text)
            continue
        logger.debug("dropped %s line %r", family, text[:80])
        if family in {"related", "tags"} and index > 0:
            skip_links = True
    return kept


def _drop_menus(paragraphs: list[str]) -> list[str]:
    """Drop runs of MENU_RUN or more tiny lines in a row (navigation menus swept in).

    Lines with digits end a run: table cells come out as tiny lines too.
    """
    kept: list[str] = []
    run: list[str] = []
    for text in [*paragraphs, ""]:
        if _is_menu_item(text):
            run.append(text)
            continue
        if len(run) < MENU_RUN:
            kept.extend(run)
        else:
            logger.debug("dropped a menu of %d lines", len(run))
        run = []
        if text:
            kept.append(text)
    return kept


def _is_menu_item(text: str) -> bool:
    if not text or len(text) > MENU_LINE or _SENTENCE_END.search(text):
        return False
    return not _DIGIT.search(text)


def boilerplate_family(text: str) -> str | None:
    """Which boilerplate family a cleaned paragraph belongs to, or None for article text."""
    if len(text) >= SHORT:
        return None
    low = text.lower()  # cheap guards before the costlier patterns
    if ("cookie" in low or "consent" in low) and _COOKIE.search(text):
        return "cookie"
    if _is_copyright(text, low):
        return "copyright"
    if "@" in text and len(text) < 200 and _CONTACT.search(text):
        return "contact"
    if len(text) < PROMPT:
        for family, start, anywhere in (
            ("share", _SHARE_START, _SHARE_ANY),
            ("prompt", _PROMPT_START, _PROMPT_ANY),
            ("related", _RELATED, None),
            ("tags", _TAGS, None),
        ):
            if start.match(text) or (anywhere is not None and anywhere.search(text)):
                return family
    if len(text) < LINK_LINE and (
        _READ_MORE_LINE.search(text) or _TAGS_INLINE.search(text) or _BRACKET_TAG.search(text)
    ):
        return "link_line"
    if _is_dateline(text):
        return "dateline"
    if len(text) < 250 and any(w in low for w in _NEWSLETTER_WORDS) and _NEWSLETTER.search(text):
        return "newsletter"
    return None


def _is_copyright(text: str, low: str) -> bool:
    copyright_line = any(w in low for w in _COPYRIGHT_WORDS) and _COPYRIGHT.search(text)
    if copyright_line and len(_WORD.findall(text)) <= 25:
        return True
    if "commercial use" in low or "presentation-ready" in low:
        return _LICENCE.search(text) is not None
    return False


def _is_dateline(text: str) -> bool:
    """A short line of nothing but a date or time ("Updated: Tue., Nov. 19, 2019 - 1:23 pm")."""
    if len(text) >= DATELINE or text.startswith("|") or not _LETTER.search(text):
        return False
    return _DATE_SIGN.search(text) is not None and _DATELINE.match(text) is not None


def drop_title_paragraphs(paragraphs: list[str], title: str | None) -> list[str]:
    """Drop leading paragraphs that repeat the title (the title is kept in its own field)."""
    if not title or not paragraphs:
        return paragraphs
    key = _key(title)
    if not key:
        return paragraphs
    start = 0
    while start < min(2, len(paragraphs)):
        first = _key(paragraphs[start])
        if first and (first == key or (len(first) > 20 and key.startswith(first))):
            start += 1
        else:
            break
    return paragraphs[start:] if start < len(paragraphs) else paragraphs


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _is_headline_like(text: str) -> bool:
    """A short line without sentence punctuation: a headline link in a list."""
    return len(text) < 140 and not _SENTENCE_END.search(text)
