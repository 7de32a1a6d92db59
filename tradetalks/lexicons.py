"""Lexicons: the data files in ``tradetalks/extract/lexicon`` (countries, the stop-list of
phrases that hold a country's name but are not that country, organizations, publishers,
titles, mechanisms, topic, outcome, event and headline cues), loaded once through
:func:`get`, extendable with a user's YAML file of the same shape."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tradetalks.errors import InputError, LexiconError

FILES = ("countries", "not_countries", "organizations", "publishers", "titles", "mechanisms",
         "topics", "outcomes", "triggers", "headlines")


@dataclass
class Lexicons:
    countries: dict[str, dict[str, Any]]
    not_countries: list[str]  # "North America", "Washington Post": no country
    organizations: dict[str, dict[str, Any]]
    publishers: dict[str, dict[str, Any]]
    titles: dict[str, Any]
    mechanisms: list[dict[str, Any]]
    topics: dict[str, dict[str, Any]]
    outcomes: dict[str, list[str]]
    triggers: dict[str, Any]
    headlines: dict[str, Any]
    place_index: dict[str, str] = field(default_factory=dict)  # PLACE (upper) -> country

    def __post_init__(self) -> None:
        for code, entry in self.countries.items():
            for place in entry.get("places") or []:
                self.place_index.setdefault(place.upper(), code)
            for name in entry.get("names") or []:
                self.place_index.setdefault(name.upper(), code)

    def country_of_place(self, place: str | None) -> str | None:
        if not place:
            return None
        return self.place_index.get(place.upper().strip(" ."))

    def country(self, code: str) -> dict[str, Any]:
        """The entry of a country code; raises LexiconError listing the codes that exist."""
        try:
            return self.countries[code]
        except KeyError:
            known = ", ".join(sorted(self.countries))
            raise LexiconError(f"unknown country code {code!r}; known codes: {known}") from None

    def topic(self, code: str) -> dict[str, Any]:
        try:
            return self.topics[code]
        except KeyError:
            known = ", ".join(sorted(self.topics))
            raise LexiconError(f"unknown topic {code!r}; known topics: {known}") from None


def _read(name: str) -> Any:
    path = resources.files("tradetalks.extract").joinpath("lexicon", f"{name}.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


_cache: Lexicons | None = None
_extra: list[Path] = []
_on_change: list[Callable[[], None]] = []


def on_change(forget: Callable[[], None]) -> Callable[[], None]:
    """Have `forget` (a cache's ``cache_clear``) called whenever the lexicons change: the
    recognizers register what they build from the lexicons, so that this module, plain data,
    imports none of them."""
    _on_change.append(forget)
    return forget


def _changed() -> None:
    global _cache
    _cache = None
    for forget in _on_change:
        forget()


def get() -> Lexicons:
    """The lexicons, with every user file given to :func:`extend` merged in."""
    global _cache
    if _cache is None:
        data = {name: _read(name) for name in FILES}
        data["not_countries"] = data["not_countries"]["not_countries"]
        for path in _extra:
            _merge(data, _load_user(path))
        _cache = Lexicons(**data)
    return _cache


def extend(path: str | Path) -> None:
    """Add a user's lexicon file (YAML with any of the keys of the package files)."""
    p = Path(path)
    _load_user(p)  # fail early, with the file's name
    _extra.append(p)
    _changed()


def reset() -> None:
    """Back to the package's own lexicons, without the files given to :func:`extend`."""
    _extra.clear()
    _changed()


def _load_user(path: Path) -> dict[str, Any]:
    from tradetalks.sources.files import read_file  # here: the sources package imports the pipeline

    if not path.exists():
        raise LexiconError(f"lexicon file {path} not found; check the path given to --lexicon")
    try:
        text, _notes = read_file(path)  # a regular file only, capped: a FIFO would hang the run
    except InputError as exc:
        raise LexiconError(f"lexicon file {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" at line {line + 1}" if line is not None else ""
        raise LexiconError(f"lexicon file {path} is not valid YAML{where}; fix it and retry") from None
    if not isinstance(data, dict):
        raise LexiconError(f"lexicon file {path} must be a mapping with keys among: {', '.join(FILES)}")
    data = {_RENAMED.get(key, key): value for key, value in data.items()}
    unknown = sorted(set(data) - set(FILES))
    if unknown:
        raise LexiconError(
            f"lexicon file {path} has unknown key {unknown[0]!r}; use one of: {', '.join(FILES)}"
        )
    for key in ("topics", "outcomes", "triggers", "headlines"):
        for cue in _patterns(data.get(key)):
            try:
                re.compile(cue)
            except re.error as exc:
                raise LexiconError(f"lexicon file {path}: bad pattern {cue!r} in {key}: {exc}") from None
    return data


# Keys of a user's file under an earlier name: "regions" held the stop-list before it was
# named for its job.
_RENAMED = {"regions": "not_countries"}


def _patterns(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for item in value for v in _patterns(item)]
    if isinstance(value, dict):
        return [v for item in value.values() for v in _patterns(item)]
    return []


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if key == "not_countries":
            items = value.get("not_countries") or value.get("regions") or [] if isinstance(value, dict) else value
            base["not_countries"] = list(base["not_countries"]) + list(items)
        elif key == "mechanisms":
            base["mechanisms"] = list(value) + list(base["mechanisms"])
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged = dict(base[key])
            for k, v in value.items():
                if isinstance(v, dict) and isinstance(merged.get(k), dict):
                    merged[k] = {**merged[k], **v}
                else:
                    merged[k] = v
            base[key] = merged
        else:
            base[key] = value
