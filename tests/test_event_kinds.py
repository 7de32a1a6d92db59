"""Kinds of sentence that report an event outside the headline's neighbourhood, and the
headline that reports one by itself; each test is one kind, in sentences of its own."""

from __future__ import annotations

import pytest

from tests.conftest import text_extract


def events(text: str, published: str | None = "2024-10-01"):
    return text_extract(text, published).events


def test_a_group_that_reacts_is_a_third_party_without_a_side():
    text = ("India and the United States signed a trade agreement in New Delhi on Friday.\n\n"
            "India's opposition parties have criticized the deal, saying it favors Washington.\n")
    reactions = [e for e in events(text) if e.type == "reaction"]
    assert len(reactions) == 1 and reactions[0].parties == []
    passive = ("India and the United States signed a trade agreement in New Delhi on Friday.\n\n"
               "The deal has been heavily criticised by farmers' unions in Punjab.\n")
    assert [e.type for e in events(passive)].count("reaction") == 1


def test_a_joint_statement_headline_is_the_agreement_it_records():
    text = ("---\ntitle: Joint Statement on Trade in Steel and Aluminum\ndate: 2021-10-31\n---\n\n"
            "WASHINGTON - The United States and the European Union have today taken joint steps to "
            "restore trade in steel and aluminum.\n")
    evs = events(text, None)
    assert [(e.type, e.status, e.parties) for e in evs][:1] == [("agreement", "held", ["EUU", "USA"])]
    assert evs[0].start == "2021-10-31" and evs[0].confidence < 0.8
    assert "signed" in {o.type for o in evs[0].outcomes}
    shouted = text.replace("Joint Statement on Trade", "JOINT US-EU STATEMENT ON TRADE")
    assert text_extract(shouted, None).document.kind == "joint_statement"


def test_a_mechanism_dated_by_a_possessive_is_a_meeting():
    text = "Officials briefed reporters ahead of tomorrow's U.S.-Mexico High-Level Economic Dialogue in Washington.\n"
    evs = [e for e in events(text) if e.type == "meeting"]
    assert [(e.status, e.start, e.mechanism) for e in evs] == [
        ("planned", "2024-10-02", "U.S.-Mexico High-Level Economic Dialogue")]


def test_confidence_is_higher_for_an_event_with_its_own_date_and_trigger():
    text = ("The United States and Japan held the third round of meetings of the U.S.-Japan Partnership on Trade "
            "in Tokyo on March 3, 2024.\n\nTalks on services continued in Canberra.\n")
    evs = events(text)
    assert all(0 <= e.confidence <= 1 for e in evs)
    assert evs[0].confidence >= 0.8
    assert all(e.confidence < evs[0].confidence for e in evs[1:])


def test_talks_on_a_text_are_a_negotiation():
    text = ("China and Australia will prepare to begin talks on upgrading a bilateral free trade agreement, "
            "a commerce ministry official said Thursday.\n")
    assert ("negotiation_round", "planned") in [(e.type, e.status) for e in events(text)]


def test_a_visit_by_someone_to_a_country():
    text = "The visit by India's Commerce Minister Piyush Goyal to the US this week raised hopes of a trade deal.\n"
    visits = [e for e in events(text) if e.type == "visit"]
    assert [(v.status, v.parties) for v in visits] == [("held", ["IND", "USA"])]


def test_a_visit_as_a_verb_is_an_event():
    text = "Trade Minister Piyush Goyal will visit Washington next month for talks with Commerce Secretary Howard Lutnick.\n"
    assert ("visit", "planned") in [(e.type, e.status) for e in events(text)]


def test_coordinated_clauses_keep_their_own_facts():
    text = ("India and the European Union reached a free trade agreement in January 2026.\n\n"
            "India also signed a comprehensive economic partnership agreement with Oman in December 2025 "
            "and concluded talks for a free trade deal with New Zealand.\n")
    sides = sorted(tuple(e.parties) for e in events(text, "2026-02-07") if e.type == "agreement")
    assert sides == [("EUU", "IND"), ("IND", "NZL"), ("IND", "OMN")]
    dated = text.replace("New Zealand.", "New Zealand in March 2026.")
    when = {tuple(e.parties): e.start for e in events(dated, "2026-04-07") if e.type == "agreement"}
    assert when[("IND", "OMN")] == "2025-12" and when[("IND", "NZL")] == "2026-03"


def test_a_country_inside_another_name_is_not_a_side():
    text = "Officials of the United States and Korea met in Seoul on May 3, 2024 to discuss the Australia Group and export controls.\n"
    assert [(e.type, e.parties) for e in events(text)] == [("meeting", ["KOR", "USA"])]


def test_the_meeting_referred_back_to_gives_its_place_and_round():
    text = ("Today, Under Secretary Jose W. Fernandez convened the inaugural vice-ministerial meeting of the "
            "U.S.-Japan Economic Policy Consultative Committee with Japanese Senior Deputy Minister Suzuki Hiroshi. "
            "At the meeting, held in Washington, D.C., the parties discussed supply chains and President Biden’s "
            "upcoming travel to Japan.\n")
    meetings = [e for e in events(text, "2022-05-06") if e.type == "meeting"]
    assert len(meetings) == 1
    m = meetings[0]
    assert (m.round, m.start, m.location.place) == (1, "2022-05-06", "Washington")
    assert "Biden" not in {p.name for p in m.participants if p.role == "lead"}


def test_a_record_headed_by_a_numbered_meeting_is_that_meeting():
    text = ("---\ntitle: 'Australia-Japan Trade Negotiations: Second Meeting'\ndoc_date: '1956-10-05'\n---\n\n"
            "CANBERRA\n\nMr Phillips recalled the exploratory talks held in Tokyo at the end of 1955 between Australia "
            "and Japan.\n\nThe Japanese delegation presented its request list.\n")
    evs = events(text, None)
    assert (evs[0].type, evs[0].round, evs[0].start) == ("meeting", 2, "1956-10-05")


def test_an_agreement_recalled_from_years_before_is_not_the_headline_agreement():
    text = ("---\ntitle: Joint Statement on a Framework for a United States-Thailand Agreement on Reciprocal Trade\n"
            "date: 2025-10-26\n---\n\n"
            "The United States and Thailand will strengthen their economic relationship. "
            "The Agreement will build upon the Treaty of Amity and Economic Relations, signed in 2002, "
            "and the Trade and Investment Framework Agreement (TIFA) was signed in 2002 too.\n")
    evs = [e for e in events(text, None) if e.type == "agreement"]
    # The first event is the document's own (the primary).
    assert (evs[0].start, evs[0].parties) == ("2025-10-26", ["THA", "USA"])
    assert {e.start for e in evs[1:]} == {"2002"}


def test_a_mechanism_followed_by_the_passive_of_signing_is_an_agreement():
    text = ("China and Hong Kong signed a goods agreement on Friday. "
            "Fifteen years after the Closer Economic Partnership Arrangement (CEPA) was signed in 2003, "
            "the upgrade is a milestone.\n")
    assert "2003" in {e.start for e in events(text) if e.type == "agreement"}


def test_a_government_that_complains_is_a_third_party_reacting():
    text = ("The United States and Japan signed an agreement on semiconductors in July 1986. "
            "The European Community complained the accord breached GATT trade rules.\n")
    reactions = [e for e in events(text) if e.type == "reaction"]
    assert [r.parties for r in reactions] == [["EUU"]]
    # A side that complains about its own deal reacts to nothing new.
    own = text.replace("The European Community complained", "Japan complained")
    assert [e for e in events(own) if e.type == "reaction"] == []


def test_a_round_of_talks_in_negotiations_on_a_text_is_a_negotiating_round():
    text = ("China and South Korea held FTA negotiations in Beijing on Monday. "
            "The next round of talks between China and South Korea is scheduled for later this month in Seoul.\n")
    planned = [e for e in events(text) if e.status == "planned"]
    assert [e.type for e in planned] == ["negotiation_round"]
    # Without negotiations on a text, a round of talks stays a meeting.
    dialogue = text.replace("held FTA negotiations", "held a strategic dialogue")
    assert [e.type for e in events(dialogue) if e.status == "planned"] == ["meeting"]


def test_a_timeline_line_gives_its_round_date_and_place():
    text = ("Timeline of the NZ-EU FTA negotiations\n\n"
            "- July 2018: First round of negotiations, Brussels\n"
            "- October 2018: Second round of negotiations, Wellington\n")
    rounds = sorted((e.round, e.start, e.location.place if e.location else None, e.location.country if e.location else None)
                    for e in events(text) if e.type == "negotiation_round")
    assert rounds == [(1, "2018-07", "Brussels", "BEL"), (2, "2018-10", "Wellington", "NZL")]


def test_a_mechanism_that_will_be_held_is_a_planned_meeting_with_its_date_and_place():
    text = ("The delegations advanced preparations for the upcoming relaunch of the U.S.-Mexico High-Level "
            "Economic Dialogue (HLED), which will be held in Washington on September 9.\n")
    meetings = [e for e in events(text, "2021-08-11") if e.type == "meeting"]
    assert [(e.status, e.start, e.location.place) for e in meetings] == [("planned", "2021-09-09", "Washington")]
    convene = "On September 9, the Administration will convene the first U.S.-Mexico High-Level Economic Dialogue since 2016.\n"
    assert [(e.type, e.status, e.start) for e in events(convene, "2021-08-11")][:1] == [("meeting", "planned", "2021-09-09")]


def test_a_numbered_meeting_that_took_place_keeps_its_date_place_and_co_chairs():
    text = ("Joint Statement of the Trade and Technology Council\n\n"
            "The sixth ministerial meeting of the Trade and Technology Council (TTC) took place in Leuven, Belgium, "
            "on 4 and 5 April 2024.\n\n"
            "It was co-chaired by European Commission Executive Vice President Margrethe Vestager and United States "
            "Secretary of State Antony Blinken, and hosted by the Belgian Presidency of the Council of the European Union.\n")
    evs = [e for e in events(text, "2024-04-05") if e.type == "meeting"]
    assert len(evs) == 1
    e = evs[0]
    assert (e.round, e.start, e.end, e.location.place, e.location.country) == (6, "2024-04-04", "2024-04-05", "Leuven", "BEL")
    assert {p.name for p in e.participants if p.role == "lead"} >= {"Margrethe Vestager", "Antony Blinken"}


def test_a_weekday_before_a_date_names_that_date():
    text = ("Secretary Blinken will co-host the inaugural ministerial meeting of the U.S.-Japan Economic Policy "
            "Consultative Committee with Japanese Foreign Minister Hayashi Yoshimasa on Friday, July 29, at 9:00 a.m. ET.\n")
    assert [e.start for e in events(text, "2022-07-20")] == ["2022-07-29"]


def test_a_meeting_of_a_multilateral_body_has_no_sides():
    text = ("Trade ministers from the United States and Japan attended the ASEAN summit in Vientiane on November 30, 2004.\n")
    assert [(e.type, e.parties) for e in events(text)] == [("meeting", [])]
    bilateral = "Trade ministers of the United States and Japan met in Vientiane on November 30, 2004.\n"
    assert [(e.type, e.parties) for e in events(bilateral)] == [("meeting", ["JPN", "USA"])]


def test_a_venue_is_a_side_only_when_no_other_sides_are_named():
    text = "This week in the Republic of Korea, U.S. President Trump reached a trade deal with President Xi Jinping of China.\n"
    assert [sorted(e.parties) for e in events(text) if e.type == "agreement"] == [["CHN", "USA"]]
    hosted = "Officials of Japan held talks in Australia on Monday.\n"
    assert [sorted(e.parties) for e in events(hosted)] == [["AUS", "JPN"]]


def test_the_headline_and_the_lede_reporting_one_meeting_on_one_day_are_one_event():
    text = ("Modi and Merz meet in Gandhinagar\n\n"
            "Indian Prime Minister Narendra Modi and German Chancellor Friedrich Merz met on Monday in the Indian city "
            "of Gandhinagar to strengthen economic ties.\n\n"
            "NEW DELHI -- Indian Prime Minister Narendra Modi and German Chancellor Friedrich Merz met on Monday in "
            "western Gujarat state to push for deeper economic and security ties.\n")
    assert [(e.type, e.start) for e in events(text, "2026-01-13") if e.type == "meeting"] == [("meeting", "2026-01-12")]


def test_the_people_present_at_a_recorded_meeting_are_its_participants():
    text = ("Australia-Japan Trade Negotiations: First Meeting\n\n"
            "Record of a meeting held in the Department of Trade, Canberra, on 29th August, 1956.\n\n"
            "PRESENT:\n\nMr G.P. Phillips, Chairman.\n\nMr Atsushi Uyama, Counsellor, Japanese Embassy.\n\n"
            "Mr R.G. Robertson, Department of Trade.\n\n"
            "MR PHILLIPS welcomed the Japanese representatives and said the meeting would review the position.\n")
    meeting = events(text, None)[0]
    roles = {p.name: p.role for p in meeting.participants}
    assert roles.get("G.P. Phillips") == "lead"
    assert roles.get("R.G. Robertson") == "member" and "Atsushi Uyama" in roles
    assert "Department of Trade" in meeting.organizations


def test_the_round_a_headline_numbers_is_the_primary_rounds():
    text = ("EFTA and India hold eighth round of FTA negotiations\n\n"
            "EFTA and India hold eighth round of FTA negotiations\n\n"
            "Delegations from Switzerland and India held FTA negotiations in New Delhi on 15 June 2011.\n")
    assert [(e.type, e.round) for e in events(text, None)][:1] == [("negotiation_round", 8)]


def test_a_governments_own_cabinet_meeting_is_not_between_sides():
    text = "He told a cabinet meeting on Tuesday that negotiations around a trade deal with India were progressing.\n"
    assert [e for e in events(text) if e.type == "meeting"] == []


@pytest.mark.parametrize("sentence", [
    "Robust rules of origin will be established to ensure that the benefits accrue to India and the United States.",
    "The United States and India recalled Executive Order 14346 (Establishing Procedures for Trade Agreements).",
])
def test_establishing_something_that_is_not_a_mechanism_is_no_launch(sentence):
    assert [e for e in events(sentence + "\n") if e.type == "launch"] == []


def test_establishing_a_mechanism_is_a_launch():
    text = "The United States, Mexico, and Canada committed to establish biannual dialogues among officials.\n"
    assert [(e.type, e.status) for e in events(text) if e.type == "launch"] == [("launch", "planned")]
    passive = "The United States and Japan said the joint working group was established in 2019.\n"
    assert [e.type for e in events(passive)].count("launch") == 1


def test_the_speaker_named_after_the_verb_and_a_title_is_the_speaker():
    text = ("India and the European Union signed a free trade agreement in New Delhi on Tuesday.\n\n"
            "'We delivered the mother of all deals', said European Commission president, Ursula von der Leyen, "
            "in a press briefing in New Delhi.\n")
    speakers = [p.name for e in events(text, "2026-01-28") if e.type == "statement" for p in e.participants]
    assert speakers == ["Ursula von der Leyen"]


def test_the_subject_after_his_visit_is_the_visitor():
    text = ("During his first visit to South Korea last week, Chinese President Xi Jinping pledged more efforts "
            "to accelerate the FTA negotiation.\n")
    visits = [e for e in events(text) if e.type == "visit"]
    assert [(p.name, p.role) for e in visits for p in e.participants] == [("Xi Jinping", "lead")]


def test_the_last_round_held_is_not_todays_meeting():
    text = ("India-EU negotiations\n\n"
            "Chief Negotiators of India and the European Union held a meeting today in New Delhi to discuss the BTIA negotiations.\n\n"
            "The last round of negotiations was held in 2013 and thereafter negotiations had been suspended.\n")
    held = sorted((e.start or "") for e in events(text, None) if e.type in ("meeting", "negotiation_round") and e.status == "held")
    assert held == ["", "2013"]
    final = ("Korea-China FTA\n\nThe two sides held talks in Seoul on Monday. "
             "The last round of negotiations will be held on Thursday in Beijing.\n")
    assert [e.status for e in events(final, "2015-02-23") if e.type in ("meeting", "negotiation_round")].count("planned") == 1


def test_a_numbered_mechanism_named_at_length_is_a_meeting():
    text = ("On September 9, the Administration will convene the first U.S.-Mexico High-Level Economic Dialogue "
            "since 2016.\n")
    assert [(e.type, e.status, e.start) for e in events(text, "2021-08-11")][:1] == [("meeting", "planned", "2021-09-09")]


def test_a_spokesperson_statement_merged_over_sentences_is_about_the_talks():
    text = ("BEIJING, April 19 (Xinhua) -- China's Ministry of Commerce said Thursday it had held no talks with the United States.\n\n"
            "The U.S. move follows WTO procedures, said MOC spokesperson Gao Feng.\n\n"
            "Gao said the two sides have not yet held any bilateral talks over the U.S. Section 301 investigation.\n")
    assert "Gao Feng" in {p.name for e in events(text, "2018-04-19") if e.type == "statement" for p in e.participants}


def test_what_participants_say_in_the_record_of_a_meeting_is_the_meeting():
    text = ("Record of Officials' Meeting\n\n"
            "Australian and New Zealand officials met in Canberra on 12 March 1980 to discuss trade.\n\n"
            "Mr Clark said New Zealand wanted faster progress on tariffs and trade in agricultural products.\n")
    assert [e.type for e in events(text, None)] == ["meeting"]


def test_a_deal_issued_as_a_joint_statement_is_dated_by_its_release():
    text = ("India and US release framework for an interim trade agreement\n\n"
            "India and the United States released a framework for an interim trade agreement to lower tariffs.\n\n"
            "The joint statement, released Friday, came after the president announced his plan last week.\n")
    assert [(e.type, e.start) for e in events(text, "2026-02-07")][:1] == [("agreement", "2026-02-06")]


def test_one_planned_agreement_told_in_headline_caption_and_lead_is_one_event():
    text = ("Canada and Mexico to conclude trade deal by 2025\n\n"
            "Canada and Mexico are aiming to conclude the negotiations on a free trade agreement by 2025.\n\n"
            "Officials said both sides aim to conclude the negotiations on a free trade agreement by 2025.\n")
    agreements = [e for e in events(text, "2023-07-01") if e.type == "agreement"]
    assert [(e.status, e.start, e.parties) for e in agreements] == [("planned", "2025", ["CAN", "MEX"])]


def test_two_agreements_of_one_year_that_were_made_stay_two():
    text = ("Canada and Mexico signed a fisheries agreement in 2019. Canada and Mexico also "
            "reached a deal on steel in 2019, officials recalled.\n")
    held = [e for e in events(text, "2023-07-01") if e.type == "agreement" and e.status == "held"]
    assert len(held) == 2


def test_remarks_delivered_by_an_official_are_a_statement():
    text = ("At a conference in Los Angeles, U.S. Secretary of Commerce Penny Pritzker delivered remarks "
            "on the U.S.-Japan economic partnership.\n")
    statements = [e for e in events(text) if e.type == "statement"]
    assert [p.name for p in statements[0].participants] == ["Penny Pritzker"]


def test_a_call_between_two_leaders_is_a_meeting_they_both_lead():
    text = ("---\ntitle: Fact Sheet: The United States and India Announce a Trade Deal\ndate: '2026-02-09'\n---\n\n"
            "The United States and India announced a framework for an Interim Agreement on Friday.\n\n"
            "Friday’s Joint Statement follows a call between President Trump and Indian Prime Minister Narendra Modi "
            "last week, in which the leaders reached a framework for an Interim Agreement on reciprocal trade.\n")
    calls = [e for e in events(text, None) if e.type == "meeting"]
    assert [(e.status, e.start, e.parties) for e in calls] == [("held", "2026-02", ["IND", "USA"])]
    assert {p.name for p in calls[0].participants if p.role == "lead"} == {"Narendra Modi", "Trump"}


@pytest.mark.parametrize("sentence", [
    "US President Donald Trump will meet with his top trade advisers on Thursday to decide on tariffs against China.",
    "Trump called the ruling a disgrace after being informed about it during a meeting with governors.",
])
def test_a_meeting_with_ones_own_advisers_is_no_event(sentence):
    assert [e for e in events(sentence + "\n") if e.type == "meeting"] == []


@pytest.mark.parametrize("sentence", [
    "Officials said actually signing a deal has proved elusive.",
    "Ministers hoped that the arrangement on aviation security could be signed as soon as possible.",
    "The two sides signaled their intent to move forward with a memorandum of understanding on critical minerals.",
])
def test_a_signing_not_done_is_no_signed_outcome(sentence):
    text = "India and the United States held trade talks in New Delhi on Monday. " + sentence + "\n"
    assert all("signed" not in {o.type for o in e.outcomes} for e in events(text))


def test_a_deal_reached_is_held_though_its_signing_proved_elusive():
    text = ("Despite Mr. Trump’s Oct. 11 announcement that the United States and China had reached a “historic” "
            "Phase 1 trade agreement, actually signing a deal has proved elusive.\n")
    held = [e for e in events(text, "2019-12-01") if e.type == "agreement" and e.status == "held"]
    assert [(e.start, sorted(o.type for o in e.outcomes)) for e in held] == [("2019-10-11", ["deal"])]


@pytest.mark.parametrize("sentence", [
    "Ministers noted the next Commonwealth Heads of Government Meeting to be held in Lusaka in 1979.",
    "Australia and New Zealand attended the UN Climate Change Conference in Glasgow in November.",
])
def test_a_meeting_of_the_un_or_the_commonwealth_has_no_sides(sentence):
    meetings = [e for e in events(sentence + "\n", "1979-03-01") if e.type in ("meeting", "negotiation_round")]
    assert meetings and all(e.parties == [] for e in meetings)


def test_an_event_word_starts_a_word():
    text = ("The Swiss government has been very kind in providing us this venue, and I think that led to "
            "a great deal of productivity in the talks between the United States and China.\n")
    assert [e for e in events(text) if e.type == "agreement"] == []


def test_a_meeting_outside_a_city_is_placed_there():
    text = "The U.S.-EU Trade and Technology Council (TTC) met outside Washington, D.C., on December 5, 2022.\n"
    meetings = [e for e in events(text, "2022-12-06") if e.type == "meeting"]
    assert meetings and meetings[0].location is not None and meetings[0].location.place == "Washington"


def test_a_round_kicked_off_is_a_round_held_not_a_launch():
    kicked = "China and the Republic of Korea on Tuesday kicked off their second round of talks on bilateral free trade.\n"
    assert [(e.type, e.start, e.round) for e in events(kicked, "2012-07-04")] == [("meeting", "2012-07-03", 2)]
    began = "The bilateral FTA went into effect in December 2015, and the first round of the follow-up talks began in 2018.\n"
    assert [(e.start, e.round) for e in events(began, "2022-07-13")] == [("2018", 1)]


def test_a_body_created_is_a_launch_and_jobs_created_are_not():
    planned = "As a first step, the United States and the EU will create a technical working group on steel.\n"
    assert [(e.type, e.status) for e in events(planned)] == [("launch", "planned")]
    jobs = "The United States and the EU said the agreement creates good-paying jobs and will create initiatives.\n"
    assert "launch" not in {e.type for e in events(jobs)}


def test_a_dialogue_travelled_to_on_a_date_is_a_planned_meeting_there():
    text = ("Under Secretary Jose Fernandez will travel to Brasilia for the U.S.-Brazil High-Level Dialogue on April 25. "
            "He will co-chair the Dialogue with Brazilian officials.\n")
    meetings = [e for e in events(text, "2022-04-20") if e.type == "meeting"]
    assert [(e.status, e.start, e.location.place if e.location else None) for e in meetings] == [("planned", "2022-04-25", "Brasilia")]


def test_a_person_named_inside_a_quotation_is_not_its_speaker():
    text = ("India and the United States held trade talks in New Delhi on Monday.\n\n"
            "“The strategy was a reaction, as I read it, to what Donald Trump did,” trade economist Biswajit Dhar told AFP.\n")
    assert [e for e in events(text) if e.type == "statement"] == []


def test_the_chairs_of_each_side_lead_one_meeting():
    text = ("Today, senior government officials from the United States and Mexico met in Mexico City to convene the "
            "U.S.-Mexico High-Level Economic Dialogue (HLED). Secretary of State Antony J. Blinken and Secretary of "
            "Commerce Gina Raimondo chaired the meeting for the United States. Secretary of Economy Tatiana Clouthier and "
            "Secretary of Foreign Relations Marcelo Ebrard chaired the meeting for Mexico.\n\n"
            "As our presidents stated at their meeting in July, North America is an economic powerhouse.\n")
    meetings = [e for e in events(text, "2022-09-12") if e.type == "meeting" and e.start == "2022-09-12"]
    assert len(meetings) == 1
    assert {"Antony J. Blinken", "Tatiana Clouthier"} <= {p.name for p in meetings[0].participants if p.role == "lead"}


def test_a_person_named_in_anothers_title_is_only_mentioned():
    text = ("Deputy National Security Advisor Daleep Singh met yesterday with Lars-Hendrik Röller, Chief Economic "
            "Advisor of Chancellor Merkel, in Berlin.\n")
    roles = {p.name: p.role for e in events(text, "2021-09-21") for p in e.participants}
    assert roles.get("Merkel") in (None, "mentioned") and roles["Daleep Singh"] == "lead"


def test_this_was_the_first_round_numbers_the_meeting_told_before():
    text = ("Deputy National Security Advisor Daleep Singh met yesterday with German counterparts to discuss our close "
            "cooperation. This was the first round of talks under the aegis of the U.S.-Germany Economic Dialogue "
            "announced by President Biden and Chancellor Merkel in the July 15 Washington Declaration.\n")
    meetings = [e for e in events(text, "2021-09-21") if e.type in ("meeting", "negotiation_round")]
    assert [(e.start, e.round) for e in meetings] == [("2021-09-20", 1)]
    assert {p.name for p in meetings[0].participants if p.role == "lead"} == {"Daleep Singh"}


def test_a_forums_meeting_stays_a_meeting_whatever_negotiations_it_speaks_of():
    text = ("The seventh meeting of the Australia-Indonesia Ministerial Forum was held in Canberra on 18 March 2005.\n\n"
            "Ministers placed the highest priority on the successful conclusion to the WTO Doha Round of trade negotiations.\n")
    assert [e.type for e in events(text, "2005-03-18")][:1] == ["meeting"]


def test_a_statements_preamble_recalls_and_its_headline_place_reports():
    text = ("---\ntitle: Joint Statement on U.S.-China Economic and Trade Meeting in Stockholm\ndate: '2025-08-11'\n---\n\n"
            "Recalling the Joint Statement on U.S.-China Economic and Trade Meeting in Geneva on May 12, 2025;\n\n"
            "This Joint Statement is based on the discussions that took place during the U.S.-China Economic and "
            "Trade Meeting in Stockholm, which was held under the mechanism established by the Geneva Joint Statement.\n")
    first = events(text, None)[0]
    assert first.location is not None and first.location.place == "Stockholm"


def test_a_council_that_met_for_the_first_time_held_its_first_meeting():
    text = "The U.S.-EU Trade and Technology Council (TTC) met for the first time in Pittsburgh on September 29, 2021.\n"
    assert [(e.round, e.start) for e in events(text, "2021-09-30")] == [(1, "2021-09-29")]
    since = "The two sides met for the first time since 2016 in Washington on Monday.\n"
    assert [e.round for e in events(since, "2021-09-30")] == [None]


def test_an_undated_event_takes_the_date_the_text_gives_its_place():
    text = ("---\ntitle: Joint Statement on U.S.-China Economic and Trade Meeting in Stockholm\ndate: '2025-08-11'\n---\n\n"
            "Reflecting on their meetings in London on June 9 and 10, 2025, and in Stockholm on July 28 and 29, 2025;\n\n"
            "This Joint Statement is based on the discussions that took place during the U.S.-China Economic and "
            "Trade Meeting in Stockholm.\n")
    stockholm = [e for e in events(text, None) if e.location and e.location.place == "Stockholm"]
    assert [(e.start, e.end) for e in stockholm] == [("2025-07-28", "2025-07-29")]


def test_a_date_in_an_opening_since_phrase_dates_what_the_phrase_names():
    text = ("Since the restart of negotiations in January this year, the fourth and fifth rounds of the two parties’ "
            "official negotiations took place on March 28-31 (Seoul) and June 6-9 (Riyadh), respectively.\n")
    assert "2022-01" not in {e.start for e in events(text, "2022-10-24") if e.type != "launch"}
    plain = "Since May 2012, 11 rounds of talks have been conducted between China and South Korea on the FTA.\n"
    assert "2012-05" in {e.start for e in events(plain, "2014-07-08")}


def test_had_a_talk_with_someone_is_a_meeting():
    text = "Today I saw the US Treasury Secretary Paul O’Neill and we had a lengthy talk about economic recovery.\n"
    assert [e.type for e in events(text, "2002-02-02")] == ["meeting"]


@pytest.mark.parametrize("sentence", [
    "ASEAN and Canada are aiming to conclude the negotiations on a free trade agreement by 2025.",
    "The GCC and Britain are likely to sign a free trade deal before the end of 2024.",
])
def test_an_event_with_a_bloc_as_a_side_has_no_sides(sentence):
    evs = [e for e in events(sentence + "\n", "2023-08-01") if e.type == "agreement"]
    assert evs and all(e.parties == [] for e in evs)


def test_a_meetings_joint_statement_is_no_text_it_signed():
    text = ("The Eighth U.S.-UAE Economic Policy Dialogue was held in Washington on June 1, 2022. "
            "The two sides issued a joint statement on their cooperation.\n")
    meetings = [e for e in events(text, "2022-06-02") if e.type == "meeting"]
    assert meetings and all("signed" not in {o.type for o in e.outcomes} for e in meetings)


def test_talks_a_multilateral_body_holds_have_no_sides():
    text = "The World Trade Organisation (WTO) is to hold membership talks with both Iraq and Afghanistan.\n"
    rounds = [e for e in events(text, "2004-05-27") if e.type in ("meeting", "negotiation_round")]
    assert rounds and all(e.parties == [] for e in rounds)


def test_an_event_told_in_a_transcript_is_less_sure():
    body = "Australia and Japan held the Economic Ministerial Dialogue in Canberra on 18 March 2005.\n"
    said = "TRANSCRIPT OF PRESS CONFERENCE\n\n" + body
    assert text_extract(said, "2005-03-19").document.kind == "speech"
    assert events(said, "2005-03-19")[0].confidence == round(events(body, "2005-03-19")[0].confidence - 0.1, 2)


def test_who_convenes_alongside_another_leads_with_them():
    text = ("Under Secretary Jose W. Fernandez convened the vice-ministerial U.S.-Japan Economic Policy Consultative "
            "Committee in Washington on May 6, 2022 alongside Under Secretary of Commerce Marisa Lago.\n")
    leads = {p.name for e in events(text, "2022-05-07") for p in e.participants if p.role == "lead"}
    assert {"Jose W. Fernandez", "Marisa Lago"} <= leads


def test_co_chairs_who_join_a_meeting_lead_it():
    text = ("The fifth ministerial meeting of the U.S.-EU Trade and Technology Council took place in Washington on "
            "January 30, 2024. Secretary of State Antony Blinken was joined by EU TTC co-chairs Executive Vice "
            "President Margrethe Vestager and Executive Vice President Valdis Dombrovskis.\n")
    roles = {p.name: p.role for e in events(text, "2024-01-31") for p in e.participants}
    assert roles["Margrethe Vestager"] == roles["Valdis Dombrovskis"] == "lead"


def test_the_ones_joined_by_the_co_chairs_lead_with_them():
    text = ("The Trade and Technology Council held its inaugural meeting in Pittsburgh on September 29, 2021. "
            "U.S. Co-Chairs, Secretary of State Antony Blinken, Secretary of Commerce Gina Raimondo, and U.S. Trade "
            "Representative Katherine Tai, were joined by EU Co-Chairs Margrethe Vestager and Valdis Dombrovskis.\n")
    leads = {p.name for e in events(text, "2021-09-29") for p in e.participants if p.role == "lead"}
    assert {"Antony Blinken", "Gina Raimondo", "Katherine Tai"} <= leads


def test_the_place_visited_is_the_visits_place():
    text = ("The Prime Minister of Australia, Malcolm Fraser, visited Wellington on 20-21 March for consultations "
            "with the Prime Minister of New Zealand.\n")
    visits = [e for e in events(text, "1980-03-21") if e.type == "visit"]
    assert visits and visits[0].location is not None and (visits[0].location.place, visits[0].location.country) == ("Wellington", "NZL")


def test_one_who_spoke_with_a_counterpart_held_a_call():
    text = ("Deputy Secretary of State Wendy Sherman spoke today with Australia Department of Foreign Affairs and "
            "Trade Secretary Jan Adams about economic cooperation.\n")
    calls = [e for e in events(text, "2022-07-14") if e.type == "meeting"]
    assert [(e.status, e.start) for e in calls] == [("held", "2022-07-14")]
    assert {p.name for p in calls[0].participants if p.role == "lead"} == {"Wendy Sherman", "Jan Adams"}


def test_a_list_before_a_verb_of_leading_leads_but_a_relative_clause_does_not():
    from tradetalks.extract.attach import ref_role
    listed = "Antony Blinken, Gina Raimondo, and Katherine Tai were joined by the EU co-chairs."
    assert ref_role(listed, (0, len(listed)), 0, len("Antony Blinken")) == "lead"
    aside = "Katherine Tai, whose counterpart Valdis Dombrovskis led the EU side, spoke to reporters."
    assert ref_role(aside, (0, len(aside)), 0, len("Katherine Tai")) == "mentioned"


def test_an_agreement_to_begin_talks_is_a_commitment_beside_the_talks_to_come():
    text = ("Japan and Canada have agreed to start negotiations on a digital trade pact, "
            "Trade Minister Ken Saito announced on Monday.\n")
    evs = events(text)
    agreements = [e for e in evs if e.type == "agreement"]
    assert [(e.status, sorted(o.type for o in e.outcomes)) for e in agreements] == [("held", ["commitment"])]
    assert agreements[0].parties == ["CAN", "JPN"]
    assert [e.status for e in evs if e.type == "negotiation_round"] == ["planned"]


def test_an_agreement_to_begin_talks_is_not_merged_with_an_older_deal():
    text = ("Brazil and Mexico have agreed to resume talks on a broader trade deal.\n\n"
            "The two countries reached a narrower agreement in 2002, which covers cars.\n")
    agreements = [(e.start, [o.type for o in e.outcomes]) for e in events(text) if e.type == "agreement"]
    assert len(agreements) == 2 and ("2002", ["deal"]) in agreements


def test_a_mechanism_that_took_place_is_a_held_meeting():
    text = ("The two ministers welcomed the successful U.S.-Canada Energy Dialogue that took place "
            "September 3 in Ottawa.\n")
    meetings = [e for e in events(text) if e.type == "meeting"]
    assert [(e.status, e.start, e.mechanism) for e in meetings] == [("held", "2024-09-03", "U.S.-Canada Energy Dialogue")]


def test_one_who_will_speak_to_a_named_counterpart_plans_a_call():
    text = "Foreign Minister Penny Wong will speak to Secretary of State Antony Blinken later today.\n"
    calls = [e for e in events(text) if e.type == "meeting"]
    assert [(e.status, e.start) for e in calls] == [("planned", "2024-10-01")]
    assert not [e for e in events("Minister Penny Wong spoke to reporters in Canberra about the trade talks.\n") if e.type == "meeting"]


def test_a_readiness_to_negotiate_is_no_event():
    text = "Officials in Seoul said they are willing to negotiate with Washington over the steel dispute.\n"
    assert not [e for e in events(text) if e.type in ("negotiation_round", "meeting")]
    assert [e.type for e in events("Seoul and Washington will negotiate over the steel dispute next month.\n")] == ["negotiation_round"]


def test_a_government_that_says_is_a_side_speaking_and_one_statement_with_its_spokesperson():
    text = ("Japan on Friday said its trade framework with the United States remains on track.\n\n"
            "\"The framework stands,\" METI spokesperson Kenji Mori said at a briefing.\n")
    statements = [e for e in events(text, "2024-10-04") if e.type == "statement"]
    assert len(statements) == 1
    assert statements[0].start == "2024-10-04" and [p.name for p in statements[0].participants] == ["Kenji Mori"]
    assert set(statements[0].parties) == {"JPN", "USA"}


def test_a_country_ending_another_name_or_announcing_a_measure_is_no_government_speaking():
    named = "\"Orders are down,\" a spokesman of the Seafood Exporters Association of India said about the tariffs.\n"
    assert not [e for e in events(named) if e.type == "statement"]
    measure = "The US announced new tariffs on steel imports from India last month.\n"
    assert not [e for e in events(measure) if e.type == "statement"]


def test_a_body_named_inside_the_quotation_is_not_the_speaker():
    text = ("\"The strategy of the European Commission in the trade conflict with Washington has failed,\" "
            "said Anna Weber, an economics professor at a university in Munich.\n")
    assert not [e for e in events(text) if e.type == "statement"]
    assert [e.type for e in events(text.replace("said Anna Weber, an economics professor at a university in Munich",
                                                  "said Trade Commissioner Anna Weber"))] == ["statement"]


def test_a_warning_a_claim_or_a_post_by_an_official_is_a_statement():
    for verb in ("warned on Friday", "claimed on Friday", "reiterated on Friday", "stressed on Friday", "emphasized on Friday",
                 "wrote on social media on Friday", "posted on social media on Friday"):
        text = f"Canada will face 35% tariffs from August, U.S. President Donald Trump {verb}.\n"
        statements = [e for e in events(text, "2024-10-04") if e.type == "statement"]
        assert [(s.start, [p.name for p in s.participants]) for s in statements] == [("2024-10-04", ["Donald Trump"])], verb


def test_the_government_just_before_the_verb_speaks_not_a_body_of_an_earlier_clause():
    text = ("Details of the deal remain sparse, limited to a joint statement and a White House factsheet, "
            "but New Delhi says an interim pact should be finalised by March.\n\n"
            "India says its energy policy is driven by national interests.\n")
    statements = [e for e in events(text) if e.type == "statement"]
    assert len(statements) == 1 and "IND" in statements[0].parties


def test_rounds_held_since_a_date_are_undated_and_the_talks_began_then():
    text = "Since May 2012, eleven rounds of negotiations between China and South Korea have been held.\n"
    found = events(text)
    assert [(e.type, e.start) for e in found if e.type == "launch"] == [("launch", "2012-05")]
    assert [e.start for e in found if e.type == "negotiation_round"] == [None]


def test_talks_to_be_concluded_are_a_planned_agreement():
    for clause in ("conclude negotiations on a free trade agreement", "conclude their trade talks"):
        text = f"Australia and India said on Friday that they would conclude {clause.split(' ', 1)[1]} by December.\n"
        assert ("agreement", "planned") in [(e.type, e.status) for e in events(text, "2024-10-05")], clause


def test_events_without_sides_of_their_own_take_the_headline_meetings_sides_not_every_country_it_mentions():
    text = ("The sixth ministerial meeting of the U.S.-EU Trade and Technology Council took place in Leuven, Belgium, "
            "on 5 April 2024, in the context of Russia's continued aggression against Ukraine.\n\n"
            "The ministers launched the Talent for Growth Task Force to share best practices.\n")
    found = events(text, "2024-04-05")
    assert [sorted(e.parties) for e in found if e.type == "launch"] == [["EUU", "USA"]]
    assert [sorted(e.parties) for e in found if e.type == "meeting"] == [["EUU", "USA"]]


def test_an_agreement_to_reopen_talks_is_a_commitment_with_talks_to_come():
    text = "Peter Mandelson said on Tuesday that the EU and the US had agreed to reopen talks in the aircraft subsidies row.\n"
    kinds = sorted((e.type, e.status) for e in events(text))
    assert ("agreement", "held") in kinds and ("negotiation_round", "planned") in kinds


def test_the_official_who_announces_an_agreement_at_the_end_of_its_sentence_leads_it():
    text = ("The EU and US have agreed to begin talks on ending subsidies given to aircraft makers, "
            "EU Trade Commissioner Peter Mandelson has announced.\n")
    agreement = next(e for e in events(text) if e.type == "agreement")
    assert [(p.name, p.role) for p in agreement.participants] == [("Peter Mandelson", "lead")]
    about = "The EU and US have agreed to begin talks on ending subsidies given to aircraft makers such as Airbus, owned by Peter Mandelson.\n"
    assert [p.role for e in events(about) if e.type == "agreement" for p in e.participants] in ([], ["mentioned"])


def test_a_group_that_says_is_a_third_party_reacting():
    for subject in ("Business groups", "A public policy study group", "The think tank Global Trade Research Initiative"):
        text = f"{subject} said the U.S.-Canada trade talks would help exporters.\n"
        assert [(e.type, e.parties) for e in events(text + "The two sides met in Ottawa on Monday.\n") if e.type == "reaction"] \
            == [("reaction", [])], subject


def test_a_group_inside_a_quotation_or_in_a_union_name_is_no_reaction():
    quoted = "\"Farmers here may have concerns,\" said an Indian commerce ministry official about the trade talks.\n"
    assert not [e for e in events(quoted) if e.type == "reaction"]
    union = "The United States and the European Union reiterate our strong condemnation of the war.\n"
    assert not [e for e in events(union) if e.type == "reaction"]


def test_meeting_needs_or_expectations_is_no_meeting():
    for clause in ("its commitment to meeting the infrastructure needs of the developing world",
                   "recent U.S. economic data meeting lowered expectations"):
        text = f"The United States and China spoke of {clause}.\n"
        assert not [e for e in events(text) if e.type == "meeting"], clause
    assert [e.type for e in events("The United States and China held a meeting on the needs of exporters in Geneva.\n")] == ["meeting"]


def test_an_officials_words_far_from_the_governments_are_a_statement_of_their_own():
    filler = "".join(f"Exports of item {i} rose last year.\n" for i in range(5))
    text = ("India on Thursday said its trade deal with the United States remains on track.\n" + filler +
            "Prime Minister Narendra Modi said the trade deal with the United States would create jobs.\n")
    assert len([e for e in events(text, "2024-10-04") if e.type == "statement"]) == 2


def test_what_an_official_says_during_the_visit_the_text_reports_is_the_visits():
    text = ("A senior U.S. delegation led by National Security Advisor Jake Sullivan traveled to Mexico City on Tuesday.\n\n"
            "During his visit, National Security Advisor Sullivan stressed that the United States and Mexico share joint priorities.\n")
    found = events(text, "2021-10-01")
    assert [e.type for e in found] == ["visit"]
    alone = "National Security Advisor Jake Sullivan stressed that the United States and Mexico share joint priorities in trade.\n"
    assert [e.type for e in events(alone)] == ["statement"]


def test_bodies_established_under_a_mechanism_are_how_it_is_organised_not_a_launch():
    text = ("These outcomes represent tangible progress across all workstreams established under the "
            "U.S.-EU Trade and Technology Council.\n")
    assert not [e for e in events(text) if e.type == "launch"]
    launched = "The United States and the EU established the U.S.-EU Trade and Technology Council in June 2021.\n"
    assert [e.type for e in events(launched) if e.type == "launch"] == ["launch"]


def test_a_group_of_countries_as_one_side_leaves_the_event_without_sides():
    for side in ("the African Union Commission", "Mercosur", "the Pacific Alliance"):
        text = f"The United States and {side} held talks in Washington on March 11, 2022.\n"
        meetings = [e for e in events(text, "2022-03-12") if e.type == "meeting"]
        assert [e.parties for e in meetings] == [[]], side
    assert [sorted(e.parties) for e in events("The United States and Kenya held talks in Washington on March 11, 2022.\n", "2022-03-12")
            if e.type == "meeting"] == [["KEN", "USA"]]


def test_a_mechanism_announced_by_leaders_on_a_date_is_its_launch_and_the_talks_under_it_keep_it():
    text = ("This was the first round of talks under the aegis of the U.S.-Germany Economic Dialogue announced by "
            "President Biden and Chancellor Merkel in the July 15 Washington Declaration.\n")
    found = {e.type: e for e in events(text, "2021-09-21")}
    assert (found["launch"].status, found["launch"].start, found["launch"].mechanism) == ("held", "2021-07-15", "U.S.-Germany Economic Dialogue")
    assert found["meeting"].mechanism == "U.S.-Germany Economic Dialogue" and found["meeting"].start is None
    planned = "The two countries plan to work with partners through the Minerals Security Partnership announced on June 14, 2022.\n"
    assert [(e.type, e.status, e.start) for e in events(planned, "2022-07-01")] == [("launch", "held", "2022-06-14")]


def test_a_summit_later_this_week_and_the_rounds_a_later_clause_recalls_are_two_events():
    text = ("Ahead of his first visit to India to attend the G20 Leaders' Summit in New Delhi later this week, "
            "Sunak updated his team on the ongoing trade talks with India which have completed 12 rounds of negotiations.\n")
    found = sorted((e.type, e.status, e.start) for e in events(text, "2023-09-05"))
    assert found == [("meeting", "planned", "2023-09"), ("negotiation_round", "held", None)]


def test_a_ministry_speaking_and_its_spokesperson_at_the_briefing_are_one_statement():
    text = ("BEIJING, May 17 (Xinhua) -- China hopes for constructive outcomes from the Sino-U.S. trade consultations, "
            "the Ministry of Commerce (MOC) said Thursday. \"We hope that the two sides can meet each other halfway,\" "
            "MOC spokesperson Gao Feng said at a press conference.\n")
    statements = [e for e in events(text, None) if e.type == "statement"]
    assert len(statements) == 1 and [p.name for p in statements[0].participants] == ["Gao Feng"]


def test_an_official_a_report_quotes_is_its_source_not_the_lead_of_the_round():
    text = ("The report quoted Ambassador Franz Jessen, head of the Delegation of the European Union to Vietnam, as saying "
            "that the ninth round of negotiations between Vietnam and the EU would be held in Da Nang.\n")
    rounds = [e for e in events(text) if e.type == "negotiation_round"]
    assert [(p.name, p.role) for e in rounds for p in e.participants] == [("Franz Jessen", "mentioned")]
