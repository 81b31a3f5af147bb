"""HTML reader: the main text by trafilatura, then the same cleaning as plain text.

trafilatura runs once per page in its fast mode (no readability/jusText fallbacks: on news
pages they rarely change the text and they double the time) and without the extensive date
search (which reads dates from the body, i.e. event dates, as the publication date).
"""

from __future__ import annotations

import codecs
import re
from datetime import date
from html import unescape
from typing import Any

from harmledger.config import Settings
from harmledger.errors import MSG_BAD_HTML, ReadError
from harmledger.ingest.text import (
    check_bytes_size,
    clean_text,
    decode,
    finish,
    parse_date,
    refuse_binary,
)
from harmledger.model import Document, DocumentMeta

READER = "html.v5"

#: How far into a page to look for a <meta charset> declaration.
CHARSET_SNIFF_BYTES = 4096
# Labels browsers treat as Windows-1252 (WHATWG Encoding Standard).
_CP1252_LABELS = frozenset({"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "cp1252"})
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_LANG = re.compile(r"""<html[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)""", re.I)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TAGS = re.compile(r"<[^>]+>")
_DOCUMENT_TAG = re.compile(r"<(?:html|body)\b", re.IGNORECASE)


def decode_html(data: bytes, name: str) -> str:
    """Decode a page: a BOM, else a declared charset that decodes strictly, else as text."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        refuse_binary(data, name)
        m = _CHARSET.search(data[:CHARSET_SNIFF_BYTES])
        if m:
            label = m.group(1).decode("ascii").lower()
            encoding = "cp1252" if label in _CP1252_LABELS else label
            try:
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration: fall back to sniffing
    return decode(data, name)


def read_html(
    name: str,
    data: bytes | str,
    settings: Settings,
    *,
    meta: DocumentMeta | None = None,
    reader: str = READER,
) -> Document:
    """Read a web page. Raises :class:`ReadError` when no main text can be extracted."""
    if isinstance(data, bytes):
        check_bytes_size(name, len(data), settings)
        raw = decode_html(data, name)
    else:
        check_bytes_size(name, len(data.encode("utf-8", "surrogatepass")), settings)
        raw = data
    refuse_binary(raw, name)
    url = meta.url if meta else None
    text, page_meta = extract_html(raw, name=name, url=url)
    # trafilatura writes one block (paragraph, heading, list item) per line; a blank line
    # between blocks makes them paragraphs as in plain-text wire copy.
    cleaned = clean_text(text.replace("\n", "\n\n"))
    return finish(
        name,
        raw,
        cleaned,
        settings,
        meta=meta,
        found_meta=page_meta,
        reader=reader,
        media_type="text/html",
    )


def extract_html(
    html: str, *, name: str = "<html>", url: str | None = None
) -> tuple[str, DocumentMeta]:
    """The main text of a page and its metadata (title, byline, date, site, section, url)."""
    import trafilatura  # heavy import: only when a page is read
    from trafilatura.utils import load_html

    if not _DOCUMENT_TAG.search(html[:5000]):
        # a fragment ("<p>...</p>", common in JSON Lines): trafilatura needs a whole page
        html = f"<html><body>{html}</body></html>"
    try:
        tree = load_html(html)
        if tree is None:
            raise ReadError(name, MSG_BAD_HTML.format(detail="not an HTML page"))
        _escape_ampersands(tree)
        result = trafilatura.bare_extraction(
            tree,
            url=url,
            fast=True,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except ReadError:
        raise
    except RecursionError as e:
        raise ReadError(name, MSG_BAD_HTML.format(detail="its elements nest too deeply")) from e
    except Exception as e:  # trafilatura/lxml raise many kinds of errors on broken pages
        raise ReadError(name, MSG_BAD_HTML.format(detail=f"{type(e).__name__}: {e}")) from e
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise ReadError(name, MSG_BAD_HTML.format(detail="no main text found"))
    return text, _page_meta(html, result)


def _escape_ampersands(tree: Any) -> None:
    """Write every ``&`` of the parsed page's (an lxml tree) text and attributes as ``&amp;``.

    Parsing decodes a page's entities once ("&amp;lt;" is the text "&lt;"), and
    trafilatura then unescapes its output once more ("&lt;" would become "<": text the
    page showed as code would become markup). Escaped here, that second pass gives back
    exactly what the page shows: its entities are decoded once."""
    for el in tree.iter():
        if isinstance(el.tag, str):
            if el.text and "&" in el.text:
                el.text = el.text.replace("&", "&amp;")
            for key, value in el.attrib.items():
                if "&" in value:
                    el.attrib[key] = value.replace("&", "&amp;")
        if el.tail and "&" in el.tail:
            el.tail = el.tail.replace("&", "&amp;")


def _page_meta(html: str, result: object) -> DocumentMeta:
    tags = _meta_tags(html[:200_000])

    def first(*values: object) -> str | None:
        for v in values:
            if isinstance(v, str) and v.strip():
                return " ".join(v.split())
        return None

    title_tag = _TITLE.search(html)  # the page as written: entities decoded here, once
    categories = getattr(result, "categories", None) or []
    published = _to_date(getattr(result, "date", None)) or _to_date(
        first(tags.get("article:published_time"), tags.get("date"), tags.get("pubdate"))
    )
    lang = _LANG.search(html[:5000])
    return DocumentMeta(
        title=first(
            getattr(result, "title", None),
            tags.get("og:title"),
            unescape(_TAGS.sub("", title_tag.group(1))) if title_tag else None,
        ),
        byline=first(getattr(result, "author", None), tags.get("author")),
        publisher=first(getattr(result, "sitename", None), tags.get("og:site_name")),
        published=published,
        url=first(getattr(result, "url", None), tags.get("og:url")),
        section=first(*categories, tags.get("article:section")),
        language=first(getattr(result, "language", None), lang.group(1) if lang else None),
    )


def _meta_tags(html: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in _META_TAG.finditer(html):
        attrs = {
            m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
            for m in _ATTR.finditer(tag.group())
        }
        key = (attrs.get("property") or attrs.get("name") or "").lower()
        if key and "content" in attrs:
            out.setdefault(key, unescape(attrs["content"]))  # written as in the page
    return out


def _to_date(value: object) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return parse_date(value.strip()[:10]) or parse_date(value)
