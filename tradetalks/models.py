"""The extraction contract (schema ``tradetalks/extraction-v1``) as pydantic models."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from tradetalks import SCHEMA

EventType = Literal[
    "negotiation_round", "meeting", "agreement", "launch", "statement", "visit", "reaction"
]
# Every event type, in the contract's order: the CLI's --type, the web's type filter and
# the trigger lexicon's entries are read from here (add a type here and to the lexicon).
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
# The types that are one gathering of the sides (a round is a meeting with a number):
# extraction merges them and linking matches them with each other.
MEETING_FAMILY: frozenset[EventType] = frozenset({"meeting", "negotiation_round"})
Status = Literal["held", "planned"]
Role = Literal["lead", "member", "mentioned"]
OutcomeType = Literal["consensus", "signed", "deal", "commitment", "cooperation"]
DocKind = Literal[
    "readout", "joint_statement", "press_release", "news", "fact_sheet", "speech", "other"
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Place(_Model):
    place: str | None = None
    country: str | None = None


class Participant(_Model):
    name: str
    title: str | None = None
    org: str | None = None
    country: str | None = None
    role: Role = "mentioned"


class Outcome(_Model):
    type: OutcomeType
    text: str


class Evidence(_Model):
    field: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Event(_Model):
    type: EventType
    status: Status = "held"
    mechanism: str | None = None
    round: int | None = None
    start: str | None = None
    end: str | None = None
    location: Place | None = None
    parties: list[str] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    # How sure the extractor is that the event is real and its fields right (see CONTRACT.md).
    confidence: float | None = Field(default=None, ge=0, le=1)


class Document(_Model):
    source: str
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    kind: DocKind = "other"
    dateline: Place | None = None
    text: str = ""


class Extraction(_Model):
    schema_: str = Field(default=SCHEMA, alias="schema")
    document: Document
    events: list[Event] = Field(default_factory=list)

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json")
