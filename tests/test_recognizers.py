"""Actors, people, mechanisms, topics and outcomes, each on its own."""

from __future__ import annotations

import pytest

from tradetalks.extract import actors, later_mentions, mechanisms, outcomes, people, topics


def found_people(text):
    countries = actors.find_countries(text)
    orgs = actors.find_orgs(text)
    return {p.name: p for p in people.find_people(text, countries, orgs)}


def codes(text):
    return {c.code for c in actors.find_countries(text)}


def test_country_names_and_proxies():
    assert codes("The United States and the People’s Republic of China (PRC) met") == {"USA", "CHN"}
    assert codes("talks between Washington and Taipei") == {"USA", "TWN"}
    assert codes("the U.S. and Japan") == {"USA", "JPN"}
    orgs = {o.name: o.country for o in actors.find_orgs("under the auspices of the American Institute in Taiwan (AIT) and TECRO")}
    assert orgs["AIT"] == "USA" and orgs["TECRO"] == "TWN"


def test_regions_are_not_countries():
    assert codes("the North American semiconductor supply chain and Latin America") == set()


def test_organizations_are_canonical():
    names = {o.name for o in actors.find_orgs(
        "officials from the Department of State, the Department of the Treasury, the Food and Drug "
        "Administration, and the United States Agency for International Development")}
    assert {"Department of State", "Department of the Treasury", "FDA", "USAID"} <= names


def test_a_ministry_is_known_by_its_whole_name_not_a_part_of_it():
    names = {o.name: o.country for o in actors.find_orgs(
        "Japan's Ministry of Economy, Trade and Industry hosted Norwegian Minister of Trade and Industry "
        "Jan Christian Vestre and officials of Mexico's Ministry of Economy.")}
    assert names.get("METI") == "JPN" and list(names.values()).count("JPN") == 1


def test_a_sentence_end_is_no_part_of_an_organization_name():
    names = [o.name for o in actors.find_orgs("It was held in February. The Commission said the Agency for "
                                               "Trade Development will help companies in Mexico. Mexico’s Ministry agreed.")]
    assert names and not any(". " in n for n in names)


def test_a_title_ends_at_its_comma_when_a_verb_follows():
    text = ("German State Secretary Joerg Kukies, G7/G20 Sherpa and Economic Advisor of the Federal Chancellor, "
            "met with U.S. Deputy National Security Advisor Mike Pyle, alongside their delegations.")
    found = {p.name: p.title for p in people.find_people(text, actors.find_countries(text), actors.find_orgs(text))}
    assert found == {"Joerg Kukies": "State Secretary", "Mike Pyle": "Deputy National Security Advisor"}


def test_names_written_with_latin_extended_letters():
    text = "EU Trade Commissioner Maroš Šefčovič told MEPs on Tuesday that Zbigniew Brzeziński had been right."
    found = [p.name for p in people.find_people(text, actors.find_countries(text), actors.find_orgs(text))]
    assert found[0] == "Maroš Šefčovič"


def test_a_surname_in_latin_extended_letters_is_found_again_alone():
    text = "EU Trade Commissioner Maroš Šefčovič met the minister on Tuesday. Later, Šefčovič told reporters the talks went well."
    persons = people.find_people(text, actors.find_countries(text), actors.find_orgs(text))
    later_mentions.resolve_mentions(text, persons)
    sef = next(p for p in persons if p.name == "Maroš Šefčovič")
    assert text.rindex("Šefčovič") in [s for s, _ in sef.spans]


def test_a_sentences_first_word_or_a_titles_subject_is_no_name():
    for text in ("Nevertheless, Japanese officials said the talks were useful.",
                 "Responding, a Commission spokesperson said the EU would act.",
                 "Minister for Production, Foreign Trade, Investment and Fisheries Julio Prado said it was historic."):
        names = [p.name for p in people.find_people(text, actors.find_countries(text), actors.find_orgs(text))]
        assert not {"Nevertheless", "Responding", "Production"} & set(names), names


def test_talks_themselves_are_no_mechanism():
    text = "Negotiations for the Singapore-UK digital trade agreement kicked off in June 2021."
    assert mechanisms.find_mechanisms(text) == []


def test_a_name_ends_a_titles_list_of_portfolios():
    text = ("The agreement was signed by Chinese Commerce Minister Wang Wentao and Ecuadorian Minister for "
            "Production, Foreign Trade, Investment and Fisheries Julio Prado.")
    found = {p.name: p.title for p in people.find_people(text, actors.find_countries(text), actors.find_orgs(text))}
    assert found == {"Wang Wentao": "Commerce Minister",
                     "Julio Prado": "Minister for Production, Foreign Trade, Investment and Fisheries"}


def test_title_before_name_gives_org_and_side():
    ps = found_people("led by U.S. Under Secretary of Commerce for International Trade Marisa Lago and "
                      "PRC Vice Minister of Commerce Wang Shouwen.")
    assert ps["Marisa Lago"].title == "Under Secretary of Commerce for International Trade"
    assert ps["Marisa Lago"].org == "Department of Commerce" and ps["Marisa Lago"].country == "USA"
    assert ps["Wang Shouwen"].org == "MOFCOM" and ps["Wang Shouwen"].country == "CHN"


def test_plural_title_with_party_and_state():
    ps = found_people("Sens. Tammy Duckworth (D-Ill.), Dan Sullivan (R-Alaska) and Chris Coons (D-Del.) arrived.")
    assert set(ps) == {"Tammy Duckworth", "Dan Sullivan", "Chris Coons"}
    assert all(p.title == "Senator" and p.country == "USA" for p in ps.values())


def test_appositive_title_and_commentators():
    ps = found_people("Chen Ming, deputy minister of the Ministry of Economic Affairs, said. "
                      "Wei Jianguo, former vice-minister of commerce, said.")
    assert ps["Chen Ming"].org == "MOEA" and ps["Chen Ming"].country == "TWN"
    assert not ps["Chen Ming"].commentator
    assert ps["Wei Jianguo"].commentator


def test_country_after_the_name():
    ps = found_people("led by Prime Minister Kishida Fumio of Japan and President Yoon Suk Yeol of the Republic of Korea (ROK).")
    assert ps["Kishida Fumio"].country == "JPN" and ps["Yoon Suk Yeol"].country == "KOR"


def test_surname_mentions_resolve_to_the_nearest_person():
    text = ("U.S. Secretary of Commerce Gina Raimondo met PRC Minister of Commerce Wang Wentao. "
            "PRC Vice Minister of Commerce Wang Shouwen spoke. Later Wang said more. Raimondo agreed.")
    ps = found_people(text)
    later = text.index("Later Wang")
    assert any(s == later + 6 for s, _ in ps["Wang Shouwen"].spans)
    assert len(ps["Gina Raimondo"].spans) == 2


def test_mechanism_full_name_acronym_and_short_form():
    text = ("the sixth round of the U.S.-Taiwan Economic Prosperity Partnership Dialogue (EPPD). "
            "The EPPD began in 2020. The Dialogue also covered supply chains.")
    found = mechanisms.find_mechanisms(text)
    assert {m.name for m in found} == {"U.S.-Taiwan Economic Prosperity Partnership Dialogue"}
    assert len(found) == 4 and sum(m.short for m in found) == 3  # (EPPD), The EPPD, The Dialogue
    assert found[0].parties == ["TWN", "USA"]


def test_unknown_mechanism_by_shape():
    found = mechanisms.find_mechanisms(
        "met for the second United States-Thailand Energy Policy Dialogue on February 17.")
    assert [(m.name, m.parties) for m in found] == [("United States-Thailand Energy Policy Dialogue", ["THA", "USA"])]


def test_mechanism_names_with_and_inside():
    found = mechanisms.find_mechanisms("held the fourth round of the U.S.-Kenya Strategic Trade and Investment Partnership "
                                       "in Nairobi, and the Transatlantic Trade and Labor Dialogue met in Brussels.")
    assert [m.name for m in found] == ["U.S.-Kenya Strategic Trade and Investment Partnership",
                                       "Transatlantic Trade and Labor Dialogue"]
    assert found[0].parties == ["KEN", "USA"]
    # "and" joins two capitalised words of a name, not a name and what follows it
    assert [m.name for m in mechanisms.find_mechanisms("the Harbor Logistics Forum and the Fisheries Working Group")] == \
        ["Harbor Logistics Forum", "Fisheries Working Group"]


def test_mechanism_name_stops_before_a_place():
    found = mechanisms.find_mechanisms("the first meeting of the Task Force on the Promotion of Human Rights "
                                       "and International Labor Standards in Supply Chains in Tokyo.")
    assert found[0].name == "Task Force on the Promotion of Human Rights and International Labor Standards in Supply Chains"


def test_a_head_word_inside_a_longer_word_makes_no_mechanism():
    assert mechanisms.find_mechanisms("EU Trade Commissioner Anna Berg and the Economic Councillor met.") == []
    assert [m.name for m in mechanisms.find_mechanisms("the EU Trade Commission met")] == ["EU Trade Commission"]


def test_organizations_are_not_mechanisms():
    assert mechanisms.find_mechanisms("the Development Research Center of the State Council said") == []


def test_topics_from_cues_and_not_from_names():
    found = {c for _, _, c in topics.find_topics(
        "proposed texts covering trade facilitation, anticorruption, small and medium-sized enterprises, "
        "good regulatory practices, and services domestic regulation; safeguarding AI supply chains")}
    assert found == {"trade_facilitation", "anticorruption", "smes", "regulatory_practices", "services",
                     "artificial_intelligence", "supply_chains"}


def test_outcomes():
    found = {k for _, _, k in outcomes.find_outcomes(
        "Officials reached consensus in a number of areas and pledged to maintain an ambitious schedule. "
        "The session resulted in identifying specific areas of cooperation.")}
    assert found == {"consensus", "commitment", "cooperation"}


def test_a_handle_is_the_person_named_in_full_or_nobody():
    found = found_people("Commerce Secretary Howard Lutnick met the minister. \"Held a constructive meeting with "
                    "Secretary @HowardLutnick,\" the minister wrote, tagging @TradeDesk.")
    assert set(found) == {"Howard Lutnick"}
    assert len(found["Howard Lutnick"].spans) == 2


def test_he_is_a_surname_before_a_given_name_and_a_pronoun_otherwise():
    found = found_people("The Chinese side was led by Vice Premier He Lifeng. He said the talks were candid. "
                         "He Lifeng, Vice Premier of the State Council, spoke first.")
    assert set(found) == {"He Lifeng"}
    assert found["He Lifeng"].title == "Vice Premier"


def test_titles_written_in_lower_case():
    found = found_people("US commerce secretary Howard Lutnick met India's federal commerce minister Piyush Goyal "
                         "and China's vice premier He Lifeng.")
    assert {(p.name, p.title, p.country) for p in found.values()} == {
        ("Howard Lutnick", "commerce secretary", "USA"), ("Piyush Goyal", "federal commerce minister", "IND"),
        ("He Lifeng", "vice premier", "CHN")}
    assert found["Piyush Goyal"].org is None  # China's Ministry of Commerce only for China's minister


def test_people_with_an_acronym_in_their_title_or_a_title_after_their_name():
    text = ("U.S. Trade Representative (USTR) Robert Lighthizer said on Wednesday that talks could succeed. "
            "Such a move contradicts its commitments, Zhang Xiangchen, Chinese ambassador to the WTO, said on Monday.")
    found = {p.name: p.title for p in people.find_people(text, [], [])}
    assert found["Robert Lighthizer"] == "Trade Representative"
    assert found["Zhang Xiangchen"] == "ambassador to the WTO"


def test_a_chief_executive_who_holds_an_office_is_not_a_commentator():
    text = "Deputy Secretary Wendy Sherman met with Chief Executive and Secretary of Foreign Affairs and Trade Chris Seed today."
    seed = {p.name: p for p in people.find_people(text, [], [])}["Chris Seed"]
    assert not seed.commentator
    business = {p.name: p for p in people.find_people("Acme Chief Executive John Smith said exports fell.", [], [])}
    assert business["John Smith"].commentator


def test_a_researcher_at_an_institute_in_lower_case_is_a_commentator():
    text = ("The talks matter, Bai Ming, deputy director of the Beijing-based international market research "
            "institute at the Ministry of Commerce, said.")
    assert {p.name: p for p in people.find_people(text, [], [])}["Bai Ming"].commentator


def test_one_mechanism_under_two_spellings_is_one_name():
    text = "The Mineral Security Partnership met in Paris. Later the Minerals Security Partnership agreed on projects."
    assert {m.name for m in mechanisms.find_mechanisms(text)} == {"Mineral Security Partnership"}


def test_two_names_run_together_are_not_one_mechanism():
    found = {m.name for m in mechanisms.find_mechanisms("According to the EPA The Commission on Trade Remedies met in May.")}
    assert found == {"Commission on Trade Remedies"}


def test_a_place_after_other_ins_is_cut_off_a_mechanism_name():
    # The place is the second "in" of the name: every "in" is read, not the first only.
    names = [m.name for m in mechanisms.find_mechanisms("The Task Force on Investment in Energy in Japan met on Monday. "
                                                         "The Working Group on Trade in Services in Honolulu met.")]
    assert names == ["Task Force on Investment in Energy", "Working Group on Trade in Services"]


def test_a_body_introduced_by_where_it_sits_is_an_institution_not_a_mechanism():
    for text in ("the Washington-based Atlantic Council said in a study",
                 "according to the Delhi-based Global Trade Research Initiative"):
        assert mechanisms.find_mechanisms(text) == [], text
    assert [m.name for m in mechanisms.find_mechanisms("the Global Trade Research Initiative met")] == ["Global Trade Research Initiative"]


def test_an_office_holder_without_a_country_in_the_title_takes_the_side_of_the_table():
    text = ("Yesterday, President Donald J. Trump announced a landmark economic agreement with Japan. "
            "Trump said the deal was historic. President Javier Milei of the Argentine Republic was not there, "
            "nor was President John Smith.")
    persons = people.find_people(text, actors.find_countries(text), actors.find_orgs(text))
    assert {p.name: p.country for p in persons}.get("Donald J. Trump") is None  # the title says nothing
    people.fill_from_holders(persons)
    countries = {p.name: p.country for p in persons}
    assert countries["Donald J. Trump"] == "USA"
    assert countries.get("John Smith") is None


@pytest.mark.parametrize("name, key", [
    ("Joseph R. Biden, Jr.", ("joseph", "biden")), ("Ursula von der Leyen", ("ursula", "leyen")),
    ("Andrés Manuel López Obrador", ("andres", "obrador")), ("S. Jaishankar", ("jaishankar",)),
])
def test_a_holders_key_is_the_first_and_last_words_of_the_name(name, key):
    assert people.holder_key(name) == key


def test_a_joint_body_keeps_joint_in_its_name_and_a_name_ends_before_and_the():
    names = [m.name for m in mechanisms.find_mechanisms("the UK-Thailand Joint Economic and Trade Committee (JETCO) met")]
    assert names[0] == "UK-Thailand Joint Economic and Trade Committee"
    text = "welcomed the India-U.S. Joint Working Group on Counter Terrorism and the 4th Session of the Designations Dialogue"
    assert mechanisms.find_mechanisms(text)[0].name == "India-U.S. Joint Working Group on Counter Terrorism"
    assert mechanisms.find_mechanisms("the Joint Commission met") == []  # a bare head is no name


def test_a_countrys_name_of_two_parts_after_a_hyphen_is_that_country():
    text = "the 2nd ASEAN Economic Ministers-Hong Kong, China Consultations, chaired by Secretary Edward Yau"
    assert [(c.code, text[c.start:c.end]) for c in actors.find_countries(text)] == [("HKG", "Hong Kong, China")]
    assert mechanisms.find_mechanisms(text) == []  # no "China Consultations"
    assert [c.code for c in actors.find_countries("talks between China and the Philippines")] == ["CHN", "PHL"]


@pytest.mark.parametrize("title, country", [
    ("Ambassador to Germany", None), ("Ambassador to the United States", None),
    ("Indian Ambassador to the United States", "IND"), ("U.S. Ambassador to Mexico", "USA"),
])
def test_an_ambassadors_post_is_not_their_side(title, country):
    from tradetalks.extract.titles import read_title
    assert read_title(title, "", 0).country == country


def test_a_title_with_an_ampersand_and_a_mechanisms_word_before_a_comma_are_read_right():
    text = ("at the 2nd ASEAN Economic Ministers-Hong Kong, China Consultations, chaired by Secretary for Commerce & "
            "Economic Development Edward Yau and Philippine Secretary of Trade & Industry Ramon Lopez in Pasay City.")
    found = {p.name: (p.title, p.country) for p in people.find_people(text, actors.find_countries(text), actors.find_orgs(text))}
    assert found == {"Edward Yau": ("Secretary for Commerce & Economic Development", None),
                     "Ramon Lopez": ("Secretary of Trade & Industry", "PHL")}
