"""Bytes in: charsets, non-HTML bytes, hostile HTML."""

from __future__ import annotations

import codecs
import time

import pytest

from primenews.errors import ExtractError, PrimeNewsError, SkipArticle
from primenews.extract import ExtractOptions, decode_html, extract_article, extract_html
from primenews.models import Page

FRENCH = (
    "Le maire a annoncé mercredi que la bibliothèque municipale rouvrira ses portes après "
    "dix-huit mois de travaux. « Les habitants ont été très patients », a-t-il déclaré, en "
    "précisant que l'entrée resterait gratuite pour les élèves et les étudiants de la région."
)


def _page(text: str, head: str = "", title: str = "Bibliothèque") -> str:
    body = f"<article><p>{text}</p><p>{text}</p></article>"
    return f"<html><head>{head}<title>{title}</title></head><body>{body}</body></html>"


def test_windows_1252_page_without_any_charset_is_decoded_right() -> None:
    body = _page(FRENCH + " Coût : 5 € – «ok»").encode("windows-1252")
    article = extract_article(Page(url="https://ville.example/a", body=body), ExtractOptions())
    assert "bibliothèque municipale" in article.text
    assert "5 €" in article.text and "«" in article.text


def test_iso_8859_1_declared_only_in_http_header() -> None:
    body = _page(FRENCH).encode("iso-8859-1")
    page = Page(
        url="https://ville.example/b", body=body, content_type="text/html; charset=ISO-8859-1"
    )
    assert "annoncé" in extract_article(page, ExtractOptions()).text


def test_meta_charset_is_honoured() -> None:
    text = "Сегодня в городе открылась новая библиотека, и жители очень рады этому событию."
    body = _page(text * 3, head='<meta charset="windows-1251">', title="Библиотека").encode(
        "windows-1251"
    )
    assert decode_html(body).count("библиотека") == 6
    assert decode_html(body, "utf-8").count("библиотека") == 6  # not valid UTF-8: meta wins


def test_windows_1252_bytes_under_a_utf8_header_are_decoded_right() -> None:
    body = _page(FRENCH + " Zürich Straße café").encode("windows-1252")
    page = Page(url="https://ville.example/c", body=body, content_type="text/html; charset=utf-8")
    assert "Zürich Straße café" in decode_html(body, "utf-8")
    text = extract_article(page, ExtractOptions()).text
    assert "Zürich Straße café" in text and "\ufffd" not in text


def test_a_wrong_header_falls_back_to_the_meta_charset() -> None:
    text = "Сегодня в городе открылась новая библиотека."
    body = _page(text, head='<meta charset="koi8-r">', title="x").encode("koi8-r")
    assert decode_html(body, "utf-8").count("библиотека") == 2


def test_meta_http_equiv_charset_is_honoured() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
    assert "€" in decode_html(_page("Prix 5 €", head=head).encode("iso-8859-15"))


def test_utf8_bom_wins_over_a_wrong_declaration() -> None:
    body = codecs.BOM_UTF8 + _page(FRENCH).encode("utf-8")
    assert "annoncé" in decode_html(body, "windows-1252")


def test_utf8_bytes_declared_as_latin1_are_read_as_utf8() -> None:
    assert "annoncé" in decode_html(_page(FRENCH).encode("utf-8"), "iso-8859-1")


@pytest.mark.parametrize(
    "body",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0JFIF",
    ],
)
def test_non_html_bytes_are_refused_as_not_html(body: bytes) -> None:
    with pytest.raises(SkipArticle) as caught:
        extract_article(Page(url="https://files.example/x", body=body), ExtractOptions())
    assert caught.value.reason == "not_html"


def test_plain_text_without_tags_is_an_extract_error() -> None:
    with pytest.raises(ExtractError, match="does not look like HTML"):
        extract_html("just some words, no markup at all", None, ExtractOptions())


def test_deeply_nested_divs_do_not_crash() -> None:
    html = (
        "<html><body>"
        + "<div>" * 10_000
        + f"<p>{FRENCH}</p>"
        + "</div>" * 10_000
        + "</body></html>"
    )
    started = time.perf_counter()
    try:
        article = extract_html(html, None, ExtractOptions(gate=False))
    except PrimeNewsError as exc:  # a clear, recorded error is fine; a crash is not
        assert "the page" in str(exc)
    else:
        assert "bibliothèque" in article.text or article.text
    assert time.perf_counter() - started < 30


def test_huge_attribute_does_not_crash() -> None:
    attribute = "a" * 5_000_000
    html = (
        f'<html><body><div data-x="{attribute}"><p>{FRENCH}</p><p>{FRENCH}</p></div></body></html>'
    )
    article = extract_html(html, None, ExtractOptions())
    assert "bibliothèque municipale" in article.text


def test_html_over_the_size_cap_is_refused() -> None:
    with pytest.raises(ExtractError, match="cap"):
        extract_html(_page(FRENCH * 50), None, ExtractOptions(max_html_chars=1000))


def test_script_only_page_gives_a_clear_error() -> None:
    html = (
        "<html><head><script>"
        + "var a=1;" * 10000
        + "</script></head><body><script>run()</script></body></html>"
    )
    with pytest.raises(ExtractError, match="no article text"):
        extract_html(html, "https://app.example/", ExtractOptions())
