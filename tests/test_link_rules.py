"""Linking never merges two real meetings: what a report states (and only what it states
itself) must not conflict with its record; a held meeting without a date is one of the
week before its report; a plan of "the next meeting" is the next meeting held."""

from __future__ import annotations

import dataclasses

from tradetalks.link import merge
from tradetalks.link.prepared import Sentences, borrowed, supporting_sentences


def _cand(**kw):
    base = dict(id=1, type="meeting", status="held", mechanism_id="ttc", round=None, start=None, end=None, place=None,
                parties="EUU USA", sort_date="2023-05-31", published=["2023-05-31"])
    base.update(kw)
    return merge.Candidate(**base)


def _ev(**kw):
    base = {"type": "meeting", "status": "held", "parties": ["EUU", "USA"], "participants": []}
    base.update(kw)
    return base


def test_another_place_round_or_month_is_another_meeting():
    lulea = _cand(round=4, start="2023-05-31", end="2023-05-31", place="Luleå")
    assert merge.score(_ev(start="2023-05", location={"place": "Lulea"}), "ttc", "2024-01-31", lulea) is not None
    assert merge.score(_ev(start="2023-05", location={"place": "Leuven"}), "ttc", "2024-04-05", lulea) is None
    assert merge.score(_ev(round=6), "ttc", "2024-04-05", lulea) is None
    assert merge.score(_ev(start="2022-12"), "ttc", "2023-05-31", lulea) is None


def test_a_date_taken_from_another_sentence_is_left_aside():
    """The fourth meeting's report whose date comes from a sentence about the third is
    not the third meeting, and its record does not take that date."""
    third = _cand(start="2022-12-05", end="2022-12-05", sort_date="2022-12-05", published=["2022-12-05"])
    fourth = _ev(round=4, start="2022-12", end="2022-12", borrowed=["date", "location"], location={"place": "Australia"})
    assert merge.score(fourth, "ttc", "2023-05-31", third) is None
    rec = merge.reconcile([(fourth, "2023-05-31"), (_ev(start="2023-05", end="2023-05"), "2024-01-31")])
    assert (rec["start"], rec["round"], rec["location"]) == ("2023-05", 4, None)


def test_borrowed_fields_are_those_stated_away_from_the_report():
    text = "The TTC met in Lulea on 31 May 2023. It was co-chaired by three. More. At the December 2022 meeting, they agreed."
    split = Sentences(text)
    at = text.index
    evidence = [{"field": "type", "start": at("met"), "end": at("met") + 3},
                {"field": "start", "start": at("December 2022"), "end": at("December 2022") + 13},
                {"field": "location", "start": at("Lulea"), "end": at("Lulea") + 5}]
    assert borrowed(evidence, split) == ["date"]


def test_held_meetings_without_dates_in_other_weeks_are_two():
    """Two reports of talks in Beijing, published a month apart, without dates of their own."""
    may = _cand(mechanism_id=None, parties="CHN USA", place="Beijing", sort_date="2018-05-05", published=["2018-05-05"])
    june = _ev(parties=["CHN", "USA"], location={"place": "Beijing"})
    assert merge.score(june, None, "2018-06-04", may) is None
    assert merge.score(june, None, "2018-05-05", may) is not None


def test_a_plan_moved_by_a_day_is_the_meeting_held():
    plan = _cand(status="planned", start="2021-09-10", end="2021-09-10", mechanism_id="hled", parties="MEX USA",
                 sort_date="2021-09-10", published=["2021-09-08"])
    held = _ev(parties=["MEX", "USA"], start="2021-09-09", end="2021-09-09")
    assert merge.score(held, "hled", "2021-09-09", plan) is not None
    assert merge.score(_ev(parties=["MEX", "USA"], start="2021-10-09"), "hled", "2021-10-09", plan) is None


def test_a_plan_announced_after_the_meeting_is_not_of_it():
    june = _cand(start="2021-06", end="2021-06", mechanism_id="hled", parties="MEX USA", sort_date="2021-06",
                 published=["2021-09-09"])
    plan = _ev(status="planned", parties=["MEX", "USA"], start="2021", end="2021")
    assert merge.score(plan, "hled", "2021-09-03", june) is None


def test_the_next_meeting_is_the_first_held_after_the_plan():
    fifth = _cand(id=5, round=5, start="2024-01-30", sort_date="2024-01-30", published=["2024-01-31"])
    sixth = _cand(id=6, round=6, sort_date="2024-04-05", published=["2024-04-05"])
    other = _cand(id=7, mechanism_id="tald", sort_date="2023-09-01", published=["2023-09-01"])
    plan = _ev(status="planned")
    assert merge.best_match(plan, "ttc", "2023-05-31", [sixth, fifth, other], set()) is fifth
    # The document reports the fourth meeting held: its "next meeting" is the fifth, not a sixth.
    assert merge.best_match(plan, "ttc", "2023-05-31", [sixth], set(), held_round=4) is None
    assert merge.best_match(plan, "ttc", "2025-06-01", [sixth, fifth], set()) is None  # none held after it


def test_an_announcement_dated_a_day_apart_is_the_same_one():
    """A joint statement issued late Friday in Washington is Saturday's in Delhi; two
    meetings a day apart stay two."""
    friday = _cand(type="agreement", mechanism_id=None, parties="IND USA", start="2026-02-06", end="2026-02-06",
                   sort_date="2026-02-06", published=["2026-02-09"])
    saturday = _ev(type="agreement", parties=["IND", "USA"], start="2026-02-07", end="2026-02-07")
    assert merge.score(saturday, None, "2026-02-07", friday) is not None
    assert merge.score(dict(saturday, start="2026-02-08", end="2026-02-08"), None, "2026-02-08", friday) is None
    meeting = _cand(mechanism_id=None, parties="IND USA", start="2026-02-06", end="2026-02-06", sort_date="2026-02-06")
    assert merge.score(_ev(parties=["IND", "USA"], start="2026-02-07", end="2026-02-07"), None, "2026-02-07", meeting) is None


def test_an_undated_announcement_is_one_of_the_week_before_its_report():
    """'India and the United States released a framework' (no date, reported on the 7th)
    is the agreement of the 6th between the same sides; not one of a month before."""
    framework = _cand(type="agreement", mechanism_id=None, parties="IND USA", start="2026-02-06", end="2026-02-06",
                      sort_date="2026-02-06", published=["2026-02-06"])
    released = _ev(type="agreement", parties=["IND", "USA"])
    assert merge.score(released, None, "2026-02-07", framework) is not None
    assert merge.score(released, None, "2026-03-09", framework) is None
    said = dataclasses.replace(framework, type="statement")
    assert merge.score(dict(released, type="statement"), None, "2026-02-07", said) is None  # statements: not announced acts


def test_a_launch_recalled_without_a_date_is_the_latest_before_the_report():
    """'Since relaunching the HLED a year ago' is the 2021 relaunch, not the 2013 founding."""
    founded = _cand(id=1, type="launch", mechanism_id="hled", parties="MEX USA", start="2013", end="2013",
                    sort_date="2013", published=["2021-09-03"])
    relaunch = _cand(id=2, type="launch", mechanism_id="hled", parties="MEX USA", start="2021-09-09", end="2021-09-09",
                     sort_date="2021-09-09", published=["2021-09-09"])
    since = _ev(type="launch", parties=["MEX", "USA"], start="2021-12", end="2021-12", borrowed=["date"])
    assert merge.best_match(since, "hled", "2022-09-12", [founded, relaunch], set()) is relaunch
    assert merge.best_match(since, "hled", "2021-09-05", [founded, relaunch], set()) is founded
    assert merge.best_match(since, "other", "2022-09-12", [founded, relaunch], set()) is None


def test_reports_in_any_order_are_grouped_alike():
    """The grouping is that of the reports in canonical order, whatever order they are
    given in: a day-dated report places a vaguer one of the same date first."""
    from itertools import permutations

    from tradetalks.link import events, regroup

    reps = [
        regroup.Report(_ev(start="2023-05-31", end="2023-05-31", mechanism_id="ttc", round=4), "2023-05-31", 1),
        regroup.Report(_ev(start="2023-05", end="2023-05", mechanism_id="ttc", location={"place": "Lulea"}), "2024-01-31", 2),
        regroup.Report(_ev(mechanism_id="ttc", round=5, start="2024-01-30", end="2024-01-30"), "2024-01-31", 2),
        regroup.Report(_ev(mechanism_id="ttc", status="planned"), "2023-05-31", 1),
    ]

    def grouping(order):
        groups = regroup.place(list(order), [], lambda r: events.wanted(r.data, r.published))
        return sorted(sorted((r.document, r.data.get("round") or 0, r.data.get("status")) for r in g.members) for g in groups)

    first = grouping(reps)
    assert all(grouping(p) == first for p in permutations(reps))
    assert [(1, 4, "held"), (2, 0, "held")] in first  # Luleå in May 2023 is the fourth meeting
    assert [(1, 0, "planned"), (2, 5, "held")] in first  # the next meeting planned is the fifth


def test_a_surname_alone_is_the_full_name_of_its_record():
    rec = merge.reconcile([(_ev(participants=[{"name": "Biden", "role": "lead", "person_id": "biden", "country": "USA"}]),
                            "2021-09-09"),
                           (_ev(participants=[{"name": "Joseph R. Biden", "role": "member", "person_id": "joseph-biden",
                                               "country": "USA"}]), "2021-09-10")])
    assert [(p["name"], p["person_id"], p["role"]) for p in rec["participants"]] == [("Joseph R. Biden", "joseph-biden", "lead")]
    two = [{"name": "Joseph Biden", "role": "lead", "person_id": "joseph-biden"},
           {"name": "Jill Biden", "role": "member", "person_id": "jill-biden"}, {"name": "Biden", "role": "lead", "person_id": "biden"}]
    assert len(merge.reconcile([(_ev(participants=two), None)])["participants"]) == 3  # which Biden: not guessed


def test_ids_and_shown_names_do_not_depend_on_the_first_spelling():
    from tradetalks.link.names import person_slug
    from tradetalks.link.registry import better_name

    assert person_slug("Joseph R. Biden, Jr.") == person_slug("Joseph Biden") == "joseph-biden"
    assert better_name("Andrés Manuel López Obrador", "Andres Manuel Lopez Obrador")
    assert not better_name("Andres Manuel Lopez Obrador", "Andrés Manuel López Obrador")


def test_of_two_copies_of_a_story_the_first_published_holds_its_reports():
    from tradetalks.link.dedupe import first_copy

    assert first_copy(("2023-01-18", "b"), ("2023-01-19", "a"))
    assert not first_copy(("2023-01-19", "a"), ("2023-01-18", "b"))
    assert first_copy(("2023-01-18", "a"), ("2023-01-18", "b")) and not first_copy(("2023-01-18", "b"), ("2023-01-18", "a"))
    assert first_copy(("2023-01-18", "z"), (None, "a")) and not first_copy(("2023-01-18", "a"), None)


def test_supporting_sentences_are_cut_as_extraction_cuts_them():
    """One splitter (extract/sentences.py): sentences run together are apart, an
    abbreviated month or 'No.' before a number does not end one."""
    text = ('BEIJING, Sept. 13 (Xinhua) -- China received an invitation to hold talks.The talks resume in May. '
            'China will modify the duty of Announcement No. 4 of 2025.')
    split = Sentences(text)
    at = text.index
    evidence = [{"field": "type", "start": at("invitation"), "end": at("invitation") + 10},
                {"field": "start", "start": at("May"), "end": at("May") + 3},
                {"field": "outcomes", "start": at("4 of 2025"), "end": at("4 of 2025") + 9}]
    assert supporting_sentences(evidence, split) == [
        "BEIJING, Sept. 13 (Xinhua) -- China received an invitation to hold talks.", "The talks resume in May.",
        "China will modify the duty of Announcement No. 4 of 2025."]
