"""The llm backend: any OpenAI-compatible chat endpoint writes the page, the verifier checks it.

One request per story: ``POST {llm_url}/chat/completions`` (Ollama, llama.cpp server, vLLM or
a hosted API) with the numbered evidence of :mod:`.prompt`, the model answers strict JSON with
``[E3]`` citations, :func:`parse_draft` reads that answer tolerantly (code fences, prose around
it), and :func:`~primenews.synthesize.verify.verify_draft` keeps only what its cited evidence
supports. A timeout, a connection error, an error status, an answer that is not the JSON asked
for, or a page left with no sentence after verification is logged with the story id and the
story is written by the fallback backend instead (whose page keeps its own backend name, so a
story version says which backend really wrote it). The API key is sent as a bearer token and
never logged.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

import httpx

from primenews.embed import Embedder
from primenews.errors import ConfigError, SynthesisError
from primenews.models import Report, StoryPage
from primenews.synthesize.prompt import PromptOptions, build_messages, select_evidence
from primenews.synthesize.protocol import Synthesizer
from primenews.synthesize.verify import (
    Draft,
    DraftQuote,
    DraftSection,
    DraftSentence,
    VerifyOptions,
    verify_draft,
)

__all__ = ["LLMSettings", "LLMSynthesizer", "parse_draft"]

logger = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 2 * 1024 * 1024
MAX_TOKENS = 2048
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_MAX_DECODE_TRIES = 200


class LLMSettings(Protocol):
    """The settings the llm backend reads (:class:`~primenews.config.Settings` has them)."""

    @property
    def llm_url(self) -> str: ...
    @property
    def llm_model(self) -> str: ...
    @property
    def llm_api_key(self) -> str: ...
    @property
    def llm_timeout(self) -> float: ...


class LLMSynthesizer:
    """Writes story pages through an OpenAI-compatible chat endpoint, verified, with a fallback."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        fallback: Synthesizer,
        embedder: Embedder | None = None,
        prompt_options: PromptOptions | None = None,
        verify_options: VerifyOptions | None = None,
    ) -> None:
        if not _is_http_url(settings.llm_url):
            raise ConfigError(
                f"llm_url {_safe_url(settings.llm_url)!r} is not an http(s) URL; the llm backend "
                "needs one such as http://127.0.0.1:11434/v1"
            )
        if not settings.llm_model.strip():
            raise ConfigError("the llm backend needs llm_model, the model name the endpoint serves")
        self.name = f"llm:{settings.llm_model}"
        self._url = settings.llm_url.strip().rstrip("/") + "/chat/completions"
        self._model = settings.llm_model
        self._api_key = settings.llm_api_key
        self._timeout = settings.llm_timeout
        self._fallback = fallback
        self._embedder = embedder
        self._prompt_options = prompt_options or PromptOptions()
        self._verify_options = verify_options or VerifyOptions()

    def __repr__(self) -> str:  # never shows the key
        return f"LLMSynthesizer(model={self._model!r}, url={_safe_url(self._url)!r})"

    def write(self, story_id: int, reports: Sequence[Report]) -> StoryPage:
        """The verified page the model wrote, or the fallback's page when that failed."""
        started = time.monotonic()
        try:
            page = self._write(story_id, reports)
        except SynthesisError as exc:
            logger.warning(
                "story %d: llm backend %s failed (%s); writing with %s instead",
                story_id,
                self.name,
                exc,
                self._fallback.name,
                extra=_context(story_id, started, reason=str(exc)),
            )
            return self._fallback.write(story_id, reports)
        logger.info(
            "story %d: written by %s", story_id, self.name, extra=_context(story_id, started)
        )
        return page

    def _write(self, story_id: int, reports: Sequence[Report]) -> StoryPage:
        evidence = select_evidence(reports, self._prompt_options)
        if not evidence:
            raise SynthesisError("the reports have no sentence usable as evidence")
        draft = parse_draft(self._complete(build_messages(evidence, reports)))
        page, verdicts = verify_draft(
            draft,
            evidence,
            reports,
            story_id=story_id,
            backend=self.name,
            embedder=self._embedder,
            options=self._verify_options,
        )
        for verdict in verdicts:
            logger.debug(
                "story %d: verifier %s at %s: %s",
                story_id,
                verdict.check,
                verdict.target,
                verdict.message,
                extra={"story_id": story_id, "stage": "synthesize", "check": verdict.check},
            )
        if page is None:
            raise SynthesisError(
                f"no sentence of the model's page survived verification ({len(verdicts)} findings)"
            )
        logger.info(
            "story %d: verifier kept %d sentences, made %d repairs or drops",
            story_id,
            1 + sum(len(section.sentences) for section in page.sections),
            len(verdicts),
            extra={"story_id": story_id, "stage": "synthesize", "verdicts": len(verdicts)},
        )
        return page

    def _complete(self, messages: list[dict[str, str]]) -> str:
        """The model's answer text; :class:`SynthesisError` on any failure to get one."""
        body = {
            "model": self._model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": MAX_TOKENS,
            "stream": False,
            "response_format": {"type": "json_object"},
        }
        endpoint = _safe_url(self._url)
        try:
            raw = self._post(body)
        except httpx.TimeoutException as exc:
            raise SynthesisError(f"{endpoint} did not answer within {self._timeout:g}s") from exc
        except httpx.HTTPError as exc:
            raise SynthesisError(f"request to {endpoint} failed: {type(exc).__name__}") from exc
        return _answer_text(raw, endpoint)

    def _post(self, body: Mapping[str, Any]) -> bytes:
        """POST ``body``; the whole exchange must end within ``llm_timeout`` seconds."""
        headers = {"Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        deadline = time.monotonic() + self._timeout
        with (
            httpx.Client(timeout=httpx.Timeout(self._timeout), trust_env=False) as client,
            client.stream("POST", self._url, json=body, headers=headers) as response,
        ):
            if response.status_code >= 400:
                raise SynthesisError(f"{_safe_url(self._url)} answered HTTP {response.status_code}")
            return b"".join(_capped(response.iter_bytes(), deadline))


def _capped(chunks: Iterator[bytes], deadline: float) -> Iterator[bytes]:
    """The body's chunks, stopped at the deadline (slow drip) or past the size cap."""
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise SynthesisError(f"the answer is larger than {MAX_ANSWER_BYTES} bytes")
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the answer took longer than the llm timeout")
        yield chunk


def _answer_text(raw: bytes, endpoint: str) -> str:
    """The message content of a chat completion."""
    try:
        data = json.loads(raw)
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise SynthesisError(f"{endpoint} did not answer with a chat completion") from exc
    if not isinstance(content, str) or not content.strip():
        raise SynthesisError(f"{endpoint} answered an empty message")
    return content


def parse_draft(content: str) -> Draft:
    """The model's page from its answer: the first JSON object shaped like a page in it.

    Tolerates code fences, prose before or after the object, a reasoning block, cites written
    as ``"E3"``, ``"[E3]"``, ``3`` or ``"E3, E7"``, and a summary or sentence given as a bare
    string (its citations then come from its ``[E3]`` markers).
    """
    page = _page_object(_THINKING.sub("", content))
    sections = tuple(
        DraftSection(_text(item.get("heading")), _sentences(item.get("sentences")))
        for item in _list(page.get("sections"))
        if isinstance(item, dict)
    )
    quotes = tuple(
        DraftQuote(
            _text(item.get("evidence")),
            _text(item.get("speaker")) or None,
            _text(item.get("text")) or None,
        )
        for item in _list(page.get("quotes"))
        if isinstance(item, dict)
    )
    summary = _sentence(page.get("summary"))
    draft = Draft(_text(page.get("headline")), summary, sections, quotes)
    if summary is None and not any(section.sentences for section in sections):
        raise SynthesisError("the model's answer has no sentences")
    return draft


def _page_object(text: str) -> dict[str, Any]:
    decoder = json.JSONDecoder()
    for tries, match in enumerate(re.finditer(r"\{", text)):
        if tries >= _MAX_DECODE_TRIES:
            break
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict) and value.keys() & {"headline", "summary", "sections"}:
            return value
    raise SynthesisError("the model's answer holds no JSON page object")


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _sentences(value: object) -> tuple[DraftSentence, ...]:
    return tuple(s for item in _list(value) if (s := _sentence(item)) is not None)


def _sentence(value: object) -> DraftSentence | None:
    if isinstance(value, str):
        return DraftSentence(value.strip()) if value.strip() else None
    if not isinstance(value, dict):
        return None
    text = _text(value.get("text"))
    if not text:
        return None
    return DraftSentence(text, _cites(value.get("cites", value.get("citations"))))


def _cites(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    cites: list[str] = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            cites.append(f"E{item}")
        elif isinstance(item, str):
            cites.extend(f"E{number}" for number in re.findall(r"\d+", item))
    return tuple(cites)


def _is_http_url(url: str) -> bool:
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host)


def _safe_url(url: str) -> str:
    """``url`` without user info or query (either may hold a secret), for messages."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "(an invalid URL)"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}{parsed.path}"


def _context(story_id: int, started: float, **more: object) -> dict[str, object]:
    duration_ms = int((time.monotonic() - started) * 1000)
    return {"story_id": story_id, "stage": "synthesize", "duration_ms": duration_ms, **more}
