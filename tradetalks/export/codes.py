"""CAMEO event codes and PLOVER event types of each event type and status, read from
``extract/lexicon/event_codes.yaml`` (where the sources of the codes are named)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from tradetalks.errors import LexiconError

FILE = "event_codes.yaml"


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, dict[str, Any]]]:
    """Event type -> status -> {cameo: [...], plover: TYPE or None, plover_mode: ...}."""
    path = resources.files("tradetalks.extract").joinpath("lexicon", FILE)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise LexiconError(f"{FILE}: expected a mapping of event types to their codes")
    return data


def codes(type_: str, status: str) -> dict[str, Any]:
    """The CAMEO codes and PLOVER type of an event: {"cameo": [...], "plover": ...};
    empty lists and None for a type the table does not know."""
    entry = table().get(type_, {}).get(status) or {}
    return {"cameo": list(entry.get("cameo") or []), "plover": entry.get("plover"),
            "plover_mode": entry.get("plover_mode")}
