"""Bytes to text: the checks every input goes through before anything else reads it."""

from __future__ import annotations

import codecs
import re

from tradetalks.errors import InputError

MAX_BYTES = 10 * 1024 * 1024

_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I)
_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode(data: bytes, name: str) -> str:
    """Decode a document's bytes, or raise InputError with a one-line fix."""
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{name}: file is {len(data) // (1024 * 1024)} MB, over the 10 MB limit; "
            "split it or pass only the article"
        )
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _strip_controls(data.decode(enc, errors="replace"))
    head = data[:8192]
    if b"\x00" in head or _control_ratio(head) > 0.1:
        raise InputError(f"{name}: looks like a binary file, not a text or HTML document; pass the text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        declared = _DECLARED.search(data[:4096])
        text = None
        if declared:
            try:
                text = data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                text = None
        if text is None:
            raise InputError(
                f"{name}: not valid UTF-8 (byte {exc.start}) and no usable charset declared; "
                "convert it with: iconv -f <encoding> -t UTF-8"
            ) from None
    text = _strip_controls(text)
    if not text.strip():
        raise InputError(f"{name}: the file is empty; pass a document with text in it")
    return text


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _control_ratio(chunk: bytes) -> float:
    if not chunk:
        return 0.0
    bad = sum(1 for b in chunk if b < 9 or 13 < b < 32)
    return bad / len(chunk)
