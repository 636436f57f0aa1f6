"""What an HTTP status means for PrimeNews: retry or not, how long to wait, what to say."""

from __future__ import annotations

import email.utils
import http
from datetime import UTC, datetime

from primenews.errors import HTTPStatusError
from primenews.models import utcnow

__all__ = [
    "REDIRECT_STATUSES",
    "RETRY_STATUSES",
    "parse_retry_after",
    "status_error",
]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_ADVICE = {
    401: "the page needs a login; PrimeNews cannot read it",
    403: "the server refuses access (paywall, login, or it blocks crawlers)",
    404: "the page does not exist; the link is wrong or dead",
    410: "the page was removed for good; drop this URL from its source",
    429: "the server is rate-limiting PrimeNews; raise per_host_delay for this host",
}


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or utcnow())).total_seconds())


def status_error(
    url: str, status: int, *, final_url: str | None = None, retry_after: str | None = None
) -> HTTPStatusError:
    """The HTTPStatusError for an error answer, with a message that says what to do."""
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "(unknown status)"
    if status in _ADVICE:
        advice = _ADVICE[status]
    elif status >= 500:
        advice = "the server failed; PrimeNews retries it and tries again at the next check"
    else:
        advice = "PrimeNews cannot use this answer"
    where = url if not final_url or final_url == url else f"{url} (redirected to {final_url})"
    return HTTPStatusError(
        f"{where} answered HTTP {status} {phrase}: {advice}",
        url=url,
        status=status,
        retry_after=parse_retry_after(retry_after),
    )
