"""Telegram's HTML subset: check it, measure it, strip it, and split long texts safely."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = [
    "TELEGRAM_TEXT_LIMIT",
    "HtmlError",
    "check_html",
    "visible_length",
    "to_plain",
    "split_html",
]

#: Telegram's limit for one message, counted after entity parsing.
TELEGRAM_TEXT_LIMIT = 4096

_ALLOWED = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "tg-spoiler": set(),
    "span": {"class"},
    "a": {"href"},
    "code": {"class"},
    "pre": set(),
    "blockquote": {"expandable"},
    "tg-emoji": {"emoji-id"},
}
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_ATTR = re.compile(r'\s+([a-zA-Z-]+)(?:\s*=\s*"([^"]*)")?')
_ENTITIES = {"lt", "gt", "amp", "quot"}


class HtmlError(ValueError):
    """A text is not valid Telegram HTML."""


@dataclass(frozen=True)
class _Tok:
    kind: str  # "text", "open", "close"
    value: str  # raw text for "text" (still escaped), tag name for tags
    raw: str  # the raw source of the token


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            out.append(_Tok("text", text[pos : m.start()], text[pos : m.start()]))
        if m.group(2):
            name = m.group(2).lower()
            out.append(_Tok("close" if m.group(1) else "open", name, m.group(0)))
        else:
            out.append(_Tok("text", m.group(0), m.group(0)))
        pos = m.end()
    if pos < len(text):
        out.append(_Tok("text", text[pos:], text[pos:]))
    return out


def check_html(text: str) -> None:
    """Raise HtmlError if ``text`` would be rejected by Telegram's HTML parse mode."""
    stack: list[str] = []
    for tok in _tokens(text):
        if tok.kind == "text":
            if tok.raw.startswith("&"):
                name = tok.raw[1:-1]
                if not name.startswith("#") and name not in _ENTITIES:
                    raise HtmlError(f"unsupported entity {tok.raw}")
                continue
            if "<" in tok.raw:
                raise HtmlError("a bare '<' must be written as &lt;")
            if ">" in tok.raw:
                raise HtmlError("a bare '>' must be written as &gt;")
            if "&" in tok.raw:
                raise HtmlError("a bare '&' must be written as &amp;")
        elif tok.kind == "open":
            if tok.value not in _ALLOWED:
                raise HtmlError(f"tag <{tok.value}> is not allowed by Telegram")
            attrs = _ATTR.findall(tok.raw[len(tok.value) + 1 : -1])
            for attr, _ in attrs:
                if attr.lower() not in _ALLOWED[tok.value]:
                    raise HtmlError(f"attribute {attr!r} is not allowed on <{tok.value}>")
            if tok.value == "a" and not any(a.lower() == "href" for a, _ in attrs):
                raise HtmlError("<a> needs an href")
            stack.append(tok.value)
        else:
            if not stack or stack[-1] != tok.value:
                raise HtmlError(f"unexpected </{tok.value}>")
            stack.pop()
    if stack:
        raise HtmlError(f"unclosed tag <{stack[-1]}>")


def to_plain(text: str) -> str:
    """Drop the tags and decode entities: what the reader sees."""
    return html.unescape("".join(t.raw for t in _tokens(text) if t.kind == "text"))


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_length(text: str) -> int:
    """Length as Telegram counts it: visible characters in UTF-16 code units."""
    return _utf16_len(to_plain(text))


def _hard_pieces(tok: _Tok, limit: int) -> list[_Tok]:
    """Cut a too-long text token at spaces (or anywhere), never inside an entity."""
    pieces: list[_Tok] = []
    rest = tok.raw
    while visible_length(rest) > limit:
        cut = len(rest)
        while cut > 0 and visible_length(rest[:cut]) > limit:
            cut = rest.rfind(" ", 0, cut - 1) + 1 or (cut - 1)
        amp = rest.rfind("&", 0, cut)
        if amp != -1 and ";" not in rest[amp:cut]:
            cut = amp
        cut = max(cut, 1)
        pieces.append(_Tok("text", rest[:cut], rest[:cut]))
        rest = rest[cut:]
    pieces.append(_Tok("text", rest, rest))
    return pieces


def split_html(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split valid Telegram HTML into messages of at most ``limit`` visible characters.

    Cuts at paragraph breaks (blank lines) where possible, then at line breaks, then at
    spaces. Tags open at a cut are closed at the end of one part and reopened in the next.
    """
    if 2 * len(text) <= limit or visible_length(text) <= limit:
        # (A character is at most two UTF-16 units, and tags and entities are never shorter than
        # what they show: most texts are known to fit without parsing them.)
        return [text]
    # Units: paragraphs (kept with their trailing blank line), each a list of tokens.
    units: list[list[_Tok]] = []
    for para in re.split(r"(?<=\n\n)", text):
        if not para:
            continue
        toks = _tokens(para)
        if visible_length(para) > limit:
            lines: list[_Tok] = []
            for tok in toks:
                if tok.kind != "text":
                    lines.append(tok)
                    continue
                for line in re.split(r"(?<=\n)", tok.raw):
                    if line:
                        lines.extend(_hard_pieces(_Tok("text", line, line), limit))
            units.extend([[t] for t in lines])
        else:
            units.append(toks)

    parts: list[str] = []
    open_tags: list[_Tok] = []  # tags open at the start of the current part
    cur: list[_Tok] = []
    cur_len = 0

    def flush() -> None:
        nonlocal cur, cur_len, open_tags
        stack = list(open_tags)
        for tok in cur:
            if tok.kind == "open":
                stack.append(tok)
            elif tok.kind == "close" and stack:
                stack.pop()
        body = "".join(t.raw for t in open_tags) + "".join(t.raw for t in cur)
        body += "".join(f"</{t.value}>" for t in reversed(stack))
        if to_plain(body).strip():
            parts.append(body.strip("\n") if not stack else body)
        open_tags, cur, cur_len = stack, [], 0

    for unit in units:
        ulen = sum(_utf16_len(html.unescape(t.raw)) for t in unit if t.kind == "text")
        if cur and cur_len + ulen > limit:
            flush()
        cur.extend(unit)
        cur_len += ulen
    if cur:
        flush()
    return parts
