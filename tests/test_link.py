"""Linking alone: name keys, mechanism names, date agreement, match scores,
reconciliation and near-duplicate signatures."""

from __future__ import annotations

import json

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


# --- Decisions of linking, without a database -------------------------------------------

from tradetalks.link import events as linking  # noqa: E402
from tradetalks.link import registry  # noqa: E402
from tradetalks.link.prepared import prepare, sha256  # noqa: E402


def test_a_stored_input_is_unchanged_and_a_stored_source_changed():
    found = [(3, "aaa"), (7, "bbb")]
    assert dedupe.stored_state(found, "bbb") == ("unchanged", 7)
    assert dedupe.stored_state(found, "ccc") == ("changed", 3)
    assert dedupe.stored_state([], "ccc") == ("new", None)


def test_a_copy_is_the_same_text_or_a_close_one_with_the_same_events():
    text = " ".join(f"word{i}" for i in range(200))
    sig = dedupe.signature(text)
    facts = '["meeting|held|2024-01-02|None"]'
    other = '["meeting|held|2024-05-06|2"]'
    assert dedupe.copy_of([(4, None, facts, "h")], "h", sig, facts) == (4, 1.0)
    assert dedupe.copy_of([(4, None, other, "h")], "h", sig, facts) is None  # one template, two stories
    assert dedupe.copy_of([(5, sig, facts, "x"), (6, sig, other, "y")], "h", sig, facts) == (5, 1.0)
    assert dedupe.copy_of([(5, sig, facts, "x")], "h", None, facts) is None
    assert dedupe.same_story(facts, other, 0.95) is False
    assert dedupe.same_story('["a", "b"]', '["a"]', 0.95) is True


def test_the_candidates_wanted_for_a_report():
    ev = {"type": "negotiation_round", "parties": ["USA", "TWN"], "mechanism_id": "m", "round": 2,
          "start": "2023-01-14", "end": "2023-01-17"}
    w = linking.wanted(ev, "2023-01-18")
    assert w.types == ("meeting", "negotiation_round") and w.parties == "TWN USA" and w.mechanism_id == "m"
    assert (w.since, w.until, w.round, w.days) == ("2022", "2024-12-31", 2, ("2023-01-14", "2023-01-17"))
    w = linking.wanted({"type": "agreement", "parties": [], "start": "2023-05"}, None)
    assert w.types == ("agreement",) and (w.since, w.round, w.days) == ("2022", None, None)
    assert linking.wanted({"type": "agreement", "parties": []}, None).since is None


def test_a_new_version_keeps_the_records_of_its_unchanged_reports():
    old = {"type": "meeting", "status": "held", "mechanism": "M", "round": None, "start": "2024-01", "end": None,
           "parties": ["USA"]}
    assert linking.same_report(dict(old), [(9, old)], set()) == 9
    assert linking.same_report(dict(old), [(9, old)], {9}) is None
    assert linking.same_report(dict(old, status="planned"), [(9, old)], set()) is None


def test_an_events_fields_and_side_rows_from_its_reports():
    rec = {"type": "meeting", "status": "planned", "mechanism": "M", "round": None, "start": "2024-03", "end": None,
           "location": {"place": "Taipei", "country": "TWN"}, "parties": ["TWN", "USA"], "topics": ["energy"],
           "organizations": [], "outcomes": [],
           "participants": [{"name": "Katherine Tai", "role": "lead", "person_id": "katherine-tai", "country": "USA"},
                            {"name": "Katherine Tai", "role": "lead", "person_id": "katherine-tai"},
                            {"name": "Someone Else", "role": "mentioned"}]}
    versions = [({"mechanism_id": "m", "sentences": ["They met.", "They met."]}, "2024-03-05"),
                ({"mechanism_id": "m", "sentences": ["Again."]}, "2024-04-01")]
    fields = linking.event_fields(7, rec, versions, "now")
    assert fields["sort_date"] == "2024-03-06"  # planned "this month": just after the report that announced it
    assert (fields["first_report"], fields["last_report"], fields["n_sources"]) == ("2024-03-05", "2024-04-01", 2)
    assert fields["mechanism_id"] == "m" and fields["people_keys"] == person_key("Katherine Tai")
    side = linking.side_rows(7, rec, versions)
    assert len(side["event_people"]) == 1 and side["event_parties"][1] == {"event_id": 7, "country": "USA"}
    assert side["event_text"][0]["body"].endswith("They met.\nAgain.")
    assert linking.sort_date(dict(rec, status="held", start=None), None) == ""


def test_registry_decisions():
    assert registry.unique_id("tai", set()) == "tai"
    assert registry.unique_id("tai", {"tai", "tai-2"}) == "tai-3"
    rows = [("a", "U.S.-China Working Group", "CHN USA"), ("b", "Working Group", "JPN USA")]
    assert registry.pick_mechanism(rows, "JPN USA", True)[0] == "b"
    assert registry.pick_mechanism(rows, "KOR USA", True) is None
    assert registry.pick_mechanism(rows[:1], "", False)[0] == "a"  # a name without sides: the one of that name
    people = [("p1", "Gina Raimondo", "USA"), ("p2", "Gina Raimondo", None)]
    assert registry.pick_person(people, "USA")[0] == "p1"
    assert registry.pick_person(people, None)[0] == "p1"
    assert registry.pick_person(people, "USA", by_word=True) is None  # a surname alone fits two people
    assert registry.pick_person(people[:1], "USA", by_word=True)[0] == "p1"
    assert registry.title_dates(("2024-01-01", "2024-02-01"), "2023-05-05") == ("2023-05-05", "2024-02-01")
    assert registry.title_dates(("2024-01-01", "2024-02-01"), None) == ("2024-01-01", "2024-02-01")


def test_prepare_needs_no_database(seed):
    ex = seed("000")
    ready = prepare(ex)
    assert ready.text_hash == sha256(ex.document.text) and len(ready.events) == len(ex.events)
    assert all(s in ex.document.text for ev in ready.events for s in ev["sentences"])
    assert "text" not in json.loads(ready.extraction_json)["document"]
