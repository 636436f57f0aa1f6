"""Read the many ways sources write a date into timezone-aware UTC datetimes.

Invalid dates give ``None``: a bad date never drops an item.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["from_struct_time", "parse_datetime"]

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
