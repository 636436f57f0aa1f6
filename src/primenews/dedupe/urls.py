"""URL canonicalisation: one spelling per page, so the same article is stored once.

Besides case, default ports, fragments and tracking parameters, the AMP and mobile editions of a
page are folded into the main one: ``amp.``/``m.``/``mobile.`` host prefixes, an ``/amp`` path
prefix or suffix, and the ``amp=1``/``amp=true``/``outputType=amp`` query switches. Everything
else is kept as it is: two URLs that might name different articles are never merged.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["canonicalize_url"]

# query parameters that track a click, never select content
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "hsa_", "oly_", "vero_", "_hs")
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "igshid",
        "mkt_tok",
        "ref_src",
        "ref_url",
        "cmpid",
        "ncid",
        "ocid",
        "sr_share",
        "smid",
        "wt_mc",
        "at_medium",
        "at_campaign",
        "_ga",
        "_gl",
        "spm",
        "s_cid",
        "ito",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "CMP",
        "__twitter_impression",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# host prefixes of a site's mobile or AMP edition (the rest must still be a domain: a.b)
_EDITION_HOST_PREFIXES = ("amp.", "m.", "mobile.")
# query switches that only ask for the AMP rendering: name -> values that mean "AMP on"
_AMP_SWITCHES = {"amp": frozenset({"", "1", "true"}), "outputtype": frozenset({"amp"})}


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters.

    AMP and mobile editions become the main page (``https://m.example.com/amp/a?amp=1`` ->
    ``https://example.com/a``). Non-HTTP identifiers (``urn:``, ``file:``) are returned
    stripped but otherwise as they are.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return url
    host = _main_host((parts.hostname or "").lower().rstrip("."))
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key not in _TRACKING_PARAMS
        and not key.lower().startswith(_TRACKING_PREFIXES)
        and not _is_amp_switch(key, value)
    ]
    path = _main_path(parts.path or "/")
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def _main_host(host: str) -> str:
    """``m.example.com`` -> ``example.com``; a bare ``m.example`` is not touched."""
    for prefix in _EDITION_HOST_PREFIXES:
        rest = host.removeprefix(prefix)
        if rest != host and "." in rest:
            return rest
    return host


def _main_path(path: str) -> str:
    """``/amp/a/b``, ``/a/b/amp`` and ``/a/b/amp/`` -> ``/a/b`` (a path of just ``/amp`` stays)."""
    if path.startswith("/amp/") and path.strip("/") != "amp":
        path = path[len("/amp") :]
    for suffix in ("/amp/", "/amp"):
        if path.endswith(suffix) and len(path) > len(suffix):
            return path[: -len(suffix)]
    return path


def _is_amp_switch(key: str, value: str) -> bool:
    values = _AMP_SWITCHES.get(key.lower())
    return values is not None and value.lower() in values
