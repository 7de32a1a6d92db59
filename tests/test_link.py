"""Linking alone: name keys, mechanism names, date agreement, match scores,
reconciliation and near-duplicate signatures."""

from __future__ import annotations

from conftest import SEEDS

from tradetalks.link import dedupe, merge
from tradetalks.link.names import fold, mechanism_parts, person_key, slug


def test_person_keys_ignore_order_accents_initials_and_honorifics():
    assert person_key("Kung Ming-hsin") == person_key("Ming-hsin Kung") == person_key("KUNG, Ming-Hsin")
    assert person_key("Joseph R. Biden, Jr.") == person_key("Joseph Biden")
    assert person_key("Andrés Manuel López Obrador") == person_key("Andres Manuel Lopez Obrador")
    assert person_key("Sen. Tammy Duckworth") == person_key("Tammy Duckworth")
    assert person_key("Wang Wentao") != person_key("Wang Wenbin")


def test_mechanism_parts_split_the_leading_countries():
    assert mechanism_parts("U.S.-Taiwan Initiative on 21st-Century Trade") == ("initiative on 21st century trade", ["TWN", "USA"])
    assert mechanism_parts("United States-Thailand Energy Policy Dialogue") == ("energy policy dialogue", ["THA", "USA"])
    assert mechanism_parts("Commercial Issues Working Group") == ("commercial issues working group", [])
    assert mechanism_parts("U.S.-China Commercial Issues Working Group")[0] == "commercial issues working group"
    # A region is part of the name, not a side.
    assert mechanism_parts("North American Semiconductor Conference") == ("north american semiconductor conference", [])


def test_fold_and_slug():
    assert fold("U.S.–Japan  Partnership") == "us japan partnership"
    assert slug("U.S.-China Commercial Issues Working Group") == "us-china-commercial-issues-working-group"
    assert slug("!!!") == "x"


def test_dates_agree_at_the_precision_both_give():
    assert merge.dates_agree("2024-04", None, "2024-04-04", "2024-04-04") is True
    assert merge.dates_agree("2023-01-17", "2023-01-17", "2023-01-14", "2023-01-17") is True
    assert merge.dates_agree("2023-01-18", None, "2023-01-14", "2023-01-17") is False
    assert merge.dates_agree("2024", None, "2023-12", None) is False
    assert merge.dates_agree(None, None, "2024", None) is None


def _cand(**kw):
    base = dict(id=1, type="meeting", status="held", mechanism_id="m", round=None, start=None, end=None, place=None,
                parties="TWN USA", sort_date="2023-01-14", published=["2023-01-17"])
    base.update(kw)
    return merge.Candidate(**base)


def _ev(**kw):
    base = {"type": "negotiation_round", "status": "held", "parties": ["TWN", "USA"], "participants": []}
    base.update(kw)
    return base


def test_score_links_the_same_round_and_keeps_others_apart():
    c = _cand(start="2023-01-14", end="2023-01-17", round=1, place="Taipei")
    assert merge.score(_ev(start="2023-01-14", end="2023-01-17"), "m", "2023-01-18", c) is not None
    assert merge.score(_ev(start="2023-01-14", round=2), "m", "2023-01-18", c) is None       # another round
    assert merge.score(_ev(start="2023-06-01"), "m", "2023-06-02", c) is None                # another date
    assert merge.score(_ev(start="2023-01-14"), "other", "2023-01-18", c) is None            # another mechanism
    assert merge.score(_ev(type="launch"), "m", "2023-01-18", c) is None                     # another type
    # With no mechanism, the sides must agree and something else must be shared.
    assert merge.score(_ev(start="2023-01-15", parties=["CHN", "USA"]), None, "2023-01-18", c) is None
    assert merge.score(_ev(start="2023-01-15"), None, "2023-01-18", c) is not None


def test_score_planned_then_held_but_not_held_before_the_plan():
    plan = _cand(status="planned", start="2024-06", round=3, published=["2024-03-01"])
    assert merge.score(_ev(start="2024-06-11", end="2024-06-13", round=3), "m", "2024-06-14", plan) is not None
    assert merge.score(_ev(start="2024-06-11", round=3), "m", "2024-02-01", plan) is None


def test_undated_reports_link_only_when_close_in_time():
    plan = _cand(status="planned", type="negotiation_round", published=["2023-01-17"])
    assert merge.score(_ev(status="planned", type="meeting"), "m", "2023-01-19", plan) is not None
    assert merge.score(_ev(status="planned"), "m", "2023-06-19", plan) is None


def test_reconcile_prefers_exact_dates_named_rounds_and_held_status():
    sources = [
        ({"type": "meeting", "status": "planned", "start": "2024-06", "round": 3, "parties": ["KEN", "USA"],
          "location": {"place": "Nairobi", "country": "KEN"}, "participants": [], "topics": ["agriculture"],
          "outcomes": [], "organizations": []}, "2024-03-01"),
        ({"type": "negotiation_round", "status": "held", "start": "2024-06-11", "end": "2024-06-13", "round": None,
          "parties": ["KEN", "USA"], "location": {"place": None, "country": "KEN"}, "topics": ["digital_trade"],
          "participants": [{"name": "Ms. Jane Doe", "role": "member"}, {"name": "Jane Doe", "role": "lead", "title": "Envoy"}],
          "outcomes": [{"type": "consensus", "text": "made progress"}], "organizations": ["USTR"]}, "2024-06-14"),
    ]
    rec = merge.reconcile(sources)
    assert (rec["status"], rec["start"], rec["end"], rec["round"]) == ("held", "2024-06-11", "2024-06-13", 3)
    assert rec["type"] == "negotiation_round" and rec["topics"] == ["agriculture", "digital_trade"]
    assert [(p["name"], p["role"], p.get("title")) for p in rec["participants"]] == [("Ms. Jane Doe", "lead", "Envoy")]


def test_near_duplicate_signatures():
    a = SEEDS[0].read_text()
    b = a.replace("productive", "fruitful").replace("Taipei, Taiwan", "Taipei") + "\nSyndicated by Another Site."
    sa, sb, sc = dedupe.signature(a), dedupe.signature(b), dedupe.signature(SEEDS[1].read_text())
    assert sa and sb and sc
    assert dedupe.similarity(sa, sb) >= dedupe.THRESHOLD
    assert dedupe.similarity(sa, sc) < 0.2
    assert set(dedupe.bands(sa)) & set(dedupe.bands(sb))
    assert dedupe.signature("too short to compare") is None


def test_events_without_sides_or_mechanism_never_link():
    bare = _cand(mechanism_id=None, parties="", status="planned", published=["2020-01-01"])
    assert merge.score(_ev(status="planned", parties=[]), None, "2020-01-02", bare) is None
    one_side = _cand(mechanism_id=None, parties="USA", start="2020-01-02")
    assert merge.score(_ev(parties=["USA"], start="2020-01-02"), None, "2020-01-03", one_side) is None


def test_a_chain_of_next_rounds_stays_apart():
    plan = _cand(status="planned", type="meeting", published=["2023-01-01", "2023-02-10"])
    assert merge.score(_ev(status="planned", type="meeting"), "m", "2023-02-20", plan) is None
