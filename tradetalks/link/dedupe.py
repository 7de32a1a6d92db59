"""Near-duplicate documents: the same story syndicated with small differences.

Each cleaned text gets a MinHash signature of its five-word shingles; signatures are cut
into bands, and documents that share a band are candidates, checked by the share of equal
signature values (an estimate of the shingles' Jaccard similarity). A band lookup is one
indexed query, so the check stays cheap as the record grows.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib

import numpy as np

PERMUTATIONS = 64
ROWS = 4                       # values per band: 16 bands
SHINGLE = 5
THRESHOLD = 0.7                # estimated Jaccard similarity at which two texts are one story
_PRIME = np.uint64((1 << 31) - 1)
_rng = np.random.default_rng(20240405)
_A = _rng.integers(1, (1 << 31) - 1, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 31) - 1, PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def signature(text: str) -> bytes | None:
    """The MinHash signature of a text, or None when it is too short to compare."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE * 4:
        return None
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = np.fromiter((zlib.crc32(s.encode()) for s in shingles), dtype=np.uint64, count=len(shingles))
    values = ((_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME).min(axis=1)
    return values.astype(np.uint32).tobytes()


def bands(sig: bytes) -> list[int]:
    """The band keys of a signature, as signed 64-bit integers (one per band)."""
    width = ROWS * 4
    out = []
    for i in range(0, len(sig), width):
        digest = hashlib.blake2b(bytes([i // width]) + sig[i:i + width], digest_size=8).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return out


def similarity(a: bytes, b: bytes) -> float:
    va, vb = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    return float((va == vb).mean()) if len(va) == len(vb) else 0.0


def similarities(sig: bytes, others: list[bytes]) -> list[float]:
    """The similarity of one signature to each of many, at once."""
    if not others:
        return []
    mine = np.frombuffer(sig, dtype=np.uint32)
    same = [o for o in others if len(o) == len(sig)]
    if len(same) != len(others):
        return [similarity(sig, o) for o in others]
    return (np.frombuffer(b"".join(others), dtype=np.uint32).reshape(len(others), -1) == mine).mean(axis=1).tolist()


def stored_state(found: list[tuple[int, str]], content_hash: str) -> tuple[str, int | None]:
    """Of the stored documents with an input's hash or its source (rows id, content_hash,
    oldest first): ('unchanged', id) when this exact input is stored, ('changed', id) when
    the same source is stored with other content, ('new', None) otherwise."""
    same = next((doc_id for doc_id, h in found if h == content_hash), None)
    if same is not None:
        return "unchanged", int(same)
    return ("changed", int(found[0][0])) if found else ("new", None)


def same_story(facts: str, other: str | None, similarity: float) -> bool:
    """Near-identical words are one story only when the events agree (`facts`: the JSON
    list of their keys): two readouts made from one template, of different rounds or
    dates, are two stories."""
    a, b = set(json.loads(facts)), set(json.loads(other or "[]"))
    if a == b:
        return True
    overlap = len(a & b) / max(1, len(a | b))
    return similarity >= 0.9 and overlap >= 0.5


def copy_of(found: list[tuple[int, bytes | None, str | None, str]], text_hash: str, sig: bytes | None,
            facts: str) -> tuple[int, float] | None:
    """The stored story a text is a copy of, with the similarity, among the stored
    documents that may be (rows id, signature, facts, text hash)."""
    for doc_id, _, other, h in found:
        if h == text_hash and same_story(facts, other, 1.0):
            return int(doc_id), 1.0
    if sig is None:
        return None
    hits = [r for r in found if r[1]]
    best: tuple[int, float] | None = None
    for (doc_id, _, other_facts, _), s in zip(hits, similarities(sig, [bytes(r[1] or b"") for r in hits]), strict=True):
        if s >= THRESHOLD and (best is None or s > best[1]) and same_story(facts, other_facts, s):
            best = (int(doc_id), s)
    return best


def first_copy(mine: tuple[str | None, str], stored: tuple[str | None, str] | None) -> bool:
    """Whether a document (its date and content hash) comes before the stored copy of its
    story, which it then replaces as the one holding the story's reports: the earlier
    published, then the lower hash, so that which copy holds them does not depend on
    which was ingested first."""
    if stored is None:
        return False
    return (mine[0] or "~", mine[1]) < (stored[0] or "~", stored[1])
