"""Read the many ways sources write a date into timezone-aware UTC datetimes.

Invalid dates give ``None``: a bad date never drops an item.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["dateline_date", "from_struct_time", "parse_datetime"]

logger = logging.getLogger(__name__)

_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
_EPOCH_MS_THRESHOLD = 100_000_000_000  # larger epoch numbers are milliseconds


def parse_datetime(value: object) -> datetime | None:
    """ISO-8601 / W3C / RFC 822 text or a Unix epoch (seconds or ms) as aware UTC, else None.

    A time without a zone is taken to be UTC.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return _from_epoch(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"-?\d{9,13}(\.\d+)?", text):
        return _from_epoch(float(text))
    return _from_iso(text) or _from_year_month(text) or _from_rfc822(text)


def from_struct_time(value: object) -> datetime | None:
    """A ``time.struct_time`` in UTC (as feedparser gives) as aware UTC, else None."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _from_epoch(number: float) -> datetime | None:
    if number != number:  # NaN
        return None
    if abs(number) >= _EPOCH_MS_THRESHOLD:
        number /= 1000
    try:
        return datetime.fromtimestamp(number, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _from_iso(text: str) -> datetime | None:
    try:
        return _to_utc(datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        return None


def _from_year_month(text: str) -> datetime | None:
    match = _YEAR_MONTH.match(text)
    if not match:
        return None
    try:
        return datetime(int(match.group(1)), int(match.group(2) or 1), 1, tzinfo=UTC)
    except ValueError:
        return None


def _from_rfc822(text: str) -> datetime | None:
    try:
        return _to_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# month names (and common abbreviations) of the languages met most, lower-case, ASCII-folded
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan enero janvier janv januar jänner gennaio januari janeiro",
        "february feb febrero fevrier févr février februar febbraio februari fevereiro",
        "march mar marzo mars märz maerz maart marco março",
        "april apr abril avril aprile",
        "may mayo mai maggio mei maio",
        "june jun junio juin juni giugno junho",
        "july jul julio juillet juil juli luglio julho",
        "august aug agosto aout août augustus",
        "september sep sept septiembre septembre settembre setembro",
        "october oct octubre octobre oktober ottobre oktober outubro",
        "november nov noviembre novembre novembro",
        "december dec diciembre decembre décembre dezember dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "|".join(sorted((re.escape(name) for name in _MONTHS), key=len, reverse=True))
_DATELINES = (
    # March 27, 2008 / Mar. 27 2008
    re.compile(
        rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b", re.I
    ),
    # 27 March 2008 / 27. März 2008 / 27 de marzo de 2008 / 1er mars 2008
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:\.|er|º)?\s+(?:de\s+)?(?P<month>{_MONTH})\.?\s+(?:de\s+)?"
        rf"(?P<year>(?:19|20)\d\d)\b",
        re.I,
    ),
    # 2008-03-27
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
)


# a date right after one of these words is someone's birthday or a starting point ("Born
# November 27, 1970 in Gwangju", "seit dem 1. Mai 2004"), not the report's date
_NOT_DATELINE = re.compile(
    r"\b(?:born|n[ée]e?|geboren|nacid[oa]|naci[óo]|nat[oa]|since|seit(?:\s+dem)?|desde"
    r"|depuis|dal|dall'|founded|established|until|bis)\s*(?:on\s+|in\s+|el\s+|le\s+|am\s+|il\s+)?$",
    re.I,
)


def dateline_date(text: str, *, chars: int = 300) -> datetime | None:
    """A date written at the top of an article ("March 27, 2008", "27 de marzo de 2008").

    For articles whose source gave no publication date: wire copy and many archives carry
    one in the dateline. Only the first ``chars`` characters are read, so a date the story
    merely mentions further down is not taken for its own; nor is a date right after "born"
    or "since" (in the languages met most). Midnight UTC of that day.
    """
    head = text[:chars]
    for pattern in _DATELINES:
        match = next(
            (m for m in pattern.finditer(head) if not _NOT_DATELINE.search(head[: m.start()])),
            None,
        )
        if match is None:
            continue
        month = match.group("month").lower()
        number = int(month) if month.isdigit() else _MONTHS.get(month)
        if number is None:
            continue
        try:
            return datetime(int(match.group("year")), number, int(match.group("day")), tzinfo=UTC)
        except ValueError:
            continue
    return None
