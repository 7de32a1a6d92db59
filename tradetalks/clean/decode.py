"""Bytes to text: the checks every input goes through before anything else reads it.

Text is decoded by the first of these that works: a byte-order mark, UTF-8, the charset
the document declares, the charset detected from its bytes, and last UTF-8 with the bytes
that are not UTF-8 replaced (U+FFFD). Every step past the declared charset is reported as
a note, so that a document is read whatever it declares, and the user is told how."""

from __future__ import annotations

import codecs
import re

from tradetalks.errors import InputError, shown

MAX_BYTES = 10 * 1024 * 1024

_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I)
_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16's: its mark starts with UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode(data: bytes, name: str) -> str:
    """Decode a document's bytes, or raise InputError with a one-line fix."""
    return decode_noted(data, name)[0]


def decode_noted(data: bytes, name: str, declared: str | None = None) -> tuple[str, list[str]]:
    """A document's text and the notes on how it was decoded (empty when it was UTF-8 or
    what it declared). `declared`: a charset given from outside (an HTTP header), tried
    before the one the document declares. Raises InputError for what is not text."""
    label = shown(name)
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{label}: file is {len(data) // (1024 * 1024)} MB, over the 10 MB limit; "
            "split it or pass only the article"
        )
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(enc, errors="replace"), label), []
    head = data[:8192]
    wide = _utf16_order(head)
    if wide:
        note = f"{label}: no byte-order mark; read as {wide.upper()} (detected)"
        return _checked(data.decode(wide, errors="replace"), label), [note]
    if b"\x00" in head or _control_ratio(head) > 0.1:
        raise InputError(f"{label}: looks like a binary file, not a text or HTML document; pass the text")
    text, notes = _text(data, label, declared)
    return _checked(text, label), notes


def _text(data: bytes, label: str, outside: str | None) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    notes: list[str] = []
    found = _DECLARED.search(data[:4096])
    for charset in (outside, found.group(1).decode("ascii") if found else None):
        if not charset:
            continue
        text = _try(data, charset)
        if text is not None:
            return text, notes
        notes.append(f"{label}: the declared charset {shown(charset)!r} is unknown or does not fit the bytes")
    detected = _detect(data)
    if detected:
        text = _try(data, detected)
        if text is not None:
            return text, [*notes, f"{label}: not valid UTF-8; read as {detected} (detected)"]
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    return text, [*notes, f"{label}: not valid UTF-8 (from byte {bad_at}) and no charset fits; read as UTF-8 with "
                          f"{replaced} undecodable bytes replaced; convert it with: iconv -f <encoding> -t UTF-8"]


def _try(data: bytes, charset: str) -> str | None:
    """The bytes decoded as `charset`, or None when it is no text codec or does not fit
    (Python's 'undefined' codec raises UnicodeError on any input; 'rot13' is no text codec)."""
    try:
        if not codecs.lookup(charset)._is_text_encoding:
            return None
        return data.decode(charset)
    except (LookupError, UnicodeError, ValueError, TypeError):
        return None


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency of trafilatura
        return None
    found = list(from_bytes(data[:65536]))
    if not found:
        return None
    # Among the least chaotic readings, windows-1252 (the web's default for undeclared
    # text) wins: a few accented letters do not tell West European code pages apart.
    least = min(m.chaos for m in found)
    clean = [m.encoding for m in found if m.chaos <= least]
    return "cp1252" if "cp1252" in clean else found[0].encoding


def _utf16_order(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for text in UTF-16 without a byte-order mark: mostly
    Latin text has a zero in nearly every second byte, and none in the others."""
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.3 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def _checked(text: str, label: str) -> str:
    text = _strip_controls(text)
    if not text.strip():
        raise InputError(f"{label}: the file is empty; pass a document with text in it")
    return text


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _control_ratio(chunk: bytes) -> float:
    if not chunk:
        return 0.0
    bad = sum(1 for b in chunk if b < 9 or 13 < b < 32)
    return bad / len(chunk)
