"""A synthetic corpus of realistic trade-talks documents for the ingest benchmark:
readouts, joint statements and news stories about rounds of many mechanisms, with their
leads, dates, places, topics, outcomes and next meetings, several documents reporting the
same round in other words, and syndicated copies. Deterministic for a given seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"]

# (country code, name in text, capital, adjective, lead title, organization)
PARTNERS = [
    ("TWN", "Taiwan", "Taipei", "Taiwan's", "Minister of Economic Affairs", "MOEA"),
    ("JPN", "Japan", "Tokyo", "Japanese", "Vice Minister for Foreign Affairs", "MOFA"),
    ("KOR", "the Republic of Korea", "Seoul", "Korean", "Minister for Trade", "MOTIE"),
    ("CHN", "the People's Republic of China", "Beijing", "Chinese", "Vice Minister of Commerce", "MOFCOM"),
    ("IND", "India", "New Delhi", "Indian", "Commerce Secretary", "Ministry of Commerce and Industry"),
    ("VNM", "Vietnam", "Hanoi", "Vietnamese", "Deputy Minister of Industry and Trade", "Ministry of Industry and Trade"),
    ("IDN", "Indonesia", "Jakarta", "Indonesian", "Coordinating Minister for Economic Affairs", "Ministry of Economic Affairs"),
    ("KEN", "Kenya", "Nairobi", "Kenyan", "Cabinet Secretary for Trade", "Ministry of Trade"),
    ("BRA", "Brazil", "Brasilia", "Brazilian", "Vice Minister of Development", "Ministry of Development"),
    ("MEX", "Mexico", "Mexico City", "Mexican", "Secretary of Economy", "Secretariat of Economy"),
    ("PHL", "the Philippines", "Manila", "Philippine", "Secretary of Trade and Industry", "Department of Trade and Industry"),
    ("THA", "Thailand", "Bangkok", "Thai", "Permanent Secretary of Commerce", "Ministry of Commerce"),
    ("AUS", "Australia", "Canberra", "Australian", "Minister for Trade", "Department of Foreign Affairs and Trade"),
    ("GBR", "the United Kingdom", "London", "British", "Secretary of State for Business and Trade", "Department for Business and Trade"),
    ("CAN", "Canada", "Ottawa", "Canadian", "Minister of International Trade", "Global Affairs Canada"),
    ("SGP", "Singapore", "Singapore", "Singaporean", "Minister for Trade and Industry", "Ministry of Trade and Industry"),
    ("MYS", "Malaysia", "Kuala Lumpur", "Malaysian", "Minister of Investment, Trade and Industry", "Ministry of Investment, Trade and Industry"),
    ("ARE", "the United Arab Emirates", "Abu Dhabi", "Emirati", "Minister of State for Foreign Trade", "Ministry of Economy"),
    ("SAU", "Saudi Arabia", "Riyadh", "Saudi", "Minister of Commerce", "Ministry of Commerce"),
    ("EGY", "Egypt", "Cairo", "Egyptian", "Minister of Trade and Industry", "Ministry of Trade and Industry"),
    ("NGA", "Nigeria", "Abuja", "Nigerian", "Minister of Industry, Trade and Investment", "Ministry of Industry, Trade and Investment"),
    ("ZAF", "South Africa", "Pretoria", "South African", "Minister of Trade, Industry and Competition", "Department of Trade, Industry and Competition"),
    ("ARG", "Argentina", "Buenos Aires", "Argentine", "Secretary of International Economic Relations", "Ministry of Foreign Affairs"),
    ("CHL", "Chile", "Santiago", "Chilean", "Undersecretary of International Economic Relations", "Ministry of Foreign Affairs"),
]
MECH_KINDS = ["Economic Dialogue", "Trade and Investment Dialogue", "Commercial Dialogue", "Trade Policy Forum",
              "Economic Partnership Dialogue", "Working Group on Trade", "Strategic Trade Dialogue",
              "High-Level Economic Dialogue", "Trade and Investment Framework Council", "Energy Policy Dialogue"]
US_LEADS = [("Assistant United States Trade Representative", "USTR"), ("Under Secretary of State for Economic Growth", "Department of State"),
            ("Under Secretary of Commerce for International Trade", "Department of Commerce"),
            ("Deputy United States Trade Representative", "USTR"), ("Assistant Secretary of State for Energy Resources", "Department of State")]
FIRST = ["Sarah", "Michael", "Laura", "David", "Karen", "James", "Maria", "Robert", "Anne", "Thomas", "Elena", "Daniel",
         "Rachel", "Peter", "Julia", "Mark", "Nina", "Paul", "Helen", "Steven"]
LAST = ["Whitfield", "Moreno", "Halvorsen", "Brennan", "Okafor", "Lindqvist", "Castellano", "Drummond", "Sato",
        "Kowalski", "Ferreira", "Abernathy", "Nakamura", "Osei", "Vance", "Petrov", "Delacroix", "Harrington"]
PARTNER_NAMES = {
    "TWN": ["Wang Mei-hua", "Kung Ming-hsin", "Chen Chern-chyi", "Lin Chuan-neng"],
    "JPN": ["Tanaka Hiroshi", "Suzuki Kenji", "Mori Takeo", "Yamada Akira"],
    "KOR": ["Kim Jin-ho", "Park Soo-yeon", "Lee Dong-hyun", "Choi Min-jae"],
    "CHN": ["Wang Shouwen", "Li Chenggang", "Zhang Wei", "Liu Jianguo"],
    "IND": ["Rajesh Agrawal", "Sunil Barthwal", "Anupriya Mehta", "Vikram Rao"],
    "VNM": ["Nguyen Sinh Nhat Tan", "Tran Quoc Khanh", "Do Thang Hai", "Phan Thi Thang"],
    "IDN": ["Airlangga Hartarto", "Mahendra Siregar", "Dewi Lestari", "Bambang Susilo"],
    "KEN": ["Rebecca Miano", "Alfred Mutua", "Johnson Weru", "Grace Wanjiru"],
    "BRA": ["Marcia Costa", "Joao Almeida", "Rafael Souza", "Beatriz Lima"],
    "MEX": ["Raquel Buenrostro", "Luz Maria de la Mora", "Alejandro Encinas", "Carlos Ruiz"],
    "PHL": ["Alfredo Pascual", "Ceferino Rodolfo", "Maria Santos", "Jose Reyes"],
    "THA": ["Kulit Sombatsiri", "Sinit Lertkrai", "Nattaporn Chaiyo", "Somchai Rattana"],
}
GENERIC_PARTNER_NAMES = ["Amelia Hart", "Oliver Grant", "Fatima Al Zahra", "Ahmed Hassan", "Chidi Okonkwo", "Thandi Nkosi",
                         "Lucia Fernandez", "Mateo Rojas", "Tan Wei Ming", "Siti Rahman", "Claire Dubois", "Liam Walsh"]
TOPICS = ["trade facilitation", "digital trade", "agriculture", "supply chain resilience", "critical minerals",
          "intellectual property protection", "labor standards", "environmental protection", "good regulatory practices",
          "market access for U.S. exports", "semiconductors", "clean energy", "customs cooperation", "anticorruption",
          "small and medium-sized enterprises", "investment screening", "export controls", "standards and conformity assessment"]
OUTCOMES = ["The two sides reached consensus in a number of areas.", "Both sides agreed to deepen cooperation on {t}.",
            "Officials identified specific areas of cooperation, including {t}.", "The delegations pledged to continue work on {t}.",
            "The two sides signed a memorandum of understanding on {t}."]
NEWS = ["Harbor Wire", "Pacific Trade Daily", "Global Commerce Times", "Meridian News", "The Trade Ledger", "Capital Economic Review"]


@dataclass
class Meeting:
    code: str
    mech: str
    round: int
    start: date
    days: int
    place: str
    place_country: str
    us_lead: tuple[str, str, str]       # name, title, org
    partner_lead: tuple[str, str, str]
    topics: list[str]
    outcome: str
    next_place: str


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def meetings(n: int, rng: random.Random) -> list[Meeting]:
    """About `n` meetings: rounds of many mechanisms, in order, from 2015 on."""
    mechs = []
    for code, name, capital, _adj, title, org in PARTNERS:
        for kind in rng.sample(MECH_KINDS, 6):
            short = "Taiwan" if code == "TWN" else name.replace("the ", "").replace("People's Republic of China", "China").replace(
                "Republic of Korea", "Korea")
            mechs.append((code, f"U.S.-{short} {kind}", capital, title, org))
    out: list[Meeting] = []
    per = max(1, n // len(mechs))
    for code, mech, capital, title, org in mechs:
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 900))
        us = (_name(rng), *rng.choice(US_LEADS))
        partner = (rng.choice(PARTNER_NAMES.get(code, GENERIC_PARTNER_NAMES)), title, org)
        for r in range(1, per + 1):
            if rng.random() < 0.15:
                us = (_name(rng), *rng.choice(US_LEADS))
            at_home = r % 2 == 0
            out.append(Meeting(code, mech, r, day, rng.choice([1, 1, 2, 2, 3, 4]), "Washington" if at_home else capital,
                               "USA" if at_home else code, us, partner, rng.sample(TOPICS, rng.randint(2, 5)),
                               rng.choice(OUTCOMES).format(t=rng.choice(TOPICS)), capital if at_home else "Washington"))
            day += timedelta(days=rng.randint(20, 60))
    return out


def ordinal(n: int) -> str:
    if n <= len(ORDINALS):
        return ORDINALS[n - 1]
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _dates(m: Meeting) -> str:
    end = m.start + timedelta(days=m.days - 1)
    if m.days == 1:
        return f"on {MONTHS[m.start.month - 1]} {m.start.day}, {m.start.year}"
    if end.month == m.start.month:
        return f"from {MONTHS[m.start.month - 1]} {m.start.day}-{end.day}, {m.start.year}"
    return f"from {MONTHS[m.start.month - 1]} {m.start.day} to {MONTHS[end.month - 1]} {end.day}, {end.year}"


def readout(m: Meeting, rng: random.Random) -> tuple[str, str]:
    published = m.start + timedelta(days=m.days)
    code, name, capital, adj, _, _ = next(p for p in PARTNERS if p[0] == m.code)
    us, partner = m.us_lead, m.partner_lead
    topics = ", ".join(m.topics[:-1]) + f", and {m.topics[-1]}" if len(m.topics) > 1 else m.topics[0]
    next_line = rng.choice([
        f"The two sides agreed to hold the next round in {m.next_place} later this year.",
        "Details on the next round will be shared at a later date.",
        f"Both sides look forward to meeting again in {m.next_place}.",
    ])
    body = f"""---
title: "Readout of the {ordinal(m.round).capitalize()} Round of the {m.mech}"
date: {published.isoformat()}
source_url: https://www.ustr.gov/about-us/policy-offices/press-office/press-releases/{published.year}/{m.mech.lower().replace(' ', '-')}-{m.round}
---

{m.place.upper()} – The United States and {name} held the {ordinal(m.round)} round of the {m.mech} in {m.place} {_dates(m)}.

{us[1]} {us[0]} led the U.S. delegation, which included officials from the Department of State, the Department of Commerce and the Department of Agriculture. The {adj} delegation was led by {partner[1]} {partner[0]}.

During the meeting, the two sides discussed {topics}. {m.outcome}

{us[0].split()[-1]} underscored the importance of a fair and reciprocal trade relationship that benefits workers and businesses in both economies. The U.S. side raised concerns about non-tariff barriers facing American exporters and urged further progress on {m.topics[0]}, while welcoming steps taken since the last round to improve transparency and predictability for companies operating in both markets.

The {adj} side presented its priorities for the year ahead, including expanded cooperation on {m.topics[-1]} and closer coordination on regional economic initiatives. Both delegations reviewed the work of technical working groups established under the dialogue and discussed ways to involve the private sector and civil society more closely in its work.

The {m.mech} serves as a platform for the two governments to address trade and investment issues, deepen economic ties, and promote shared prosperity. Since its launch, the dialogue has produced concrete results for businesses and workers in both economies.

{next_line}

Contact: Press Office, media@ustr.example, 202-555-0100
"""
    return f"ustr/{published.year}/{m.mech.lower().replace(' ', '-')}-round-{m.round}.md", body


def news(m: Meeting, rng: random.Random) -> tuple[str, str]:
    published = m.start + timedelta(days=m.days + rng.randint(0, 2))
    code, name, capital, adj, _, _ = next(p for p in PARTNERS if p[0] == m.code)
    outlet = rng.choice(NEWS)
    us, partner = m.us_lead, m.partner_lead
    body = f"""---
title: "U.S. and {name.replace('the ', '')} wrap up round of trade talks in {m.place}"
date: {published.isoformat()}
source_url: https://{outlet.lower().replace(' ', '')}.example/{published.year}/{m.code.lower()}-us-talks-{m.round}-{rng.randrange(10**6)}
---

{m.place.upper()}, {MONTHS[published.month - 1][:3]} {published.day} ({outlet}) - Negotiators from the United States and {name} ended talks in {m.place} {_dates(m)}, the {ordinal(m.round)} round of the {m.mech}, officials said.

The talks covered {m.topics[0]} and {m.topics[-1]}, according to a statement. {us[1]} {us[0]} headed the U.S. side, while {partner[1]} {partner[0]} led the {adj} team.

"We made real progress," {partner[0]} told reporters after the session. Analysts said the round was closely watched by exporters in both economies, who have pressed both governments to resolve long-standing disputes over tariffs, standards and market access.

Trade between the two economies has grown steadily in recent years, although officials on both sides have acknowledged that differences remain on several issues. Business groups said they hoped the talks would lead to practical steps that lower costs for companies and give them more certainty when planning investments.

Officials did not give details of the texts under discussion, saying only that both sides would continue technical work between rounds.

No date has been set for the next round.

({outlet} reporting; editing by the {outlet} desk)
"""
    return f"news/{outlet.lower().replace(' ', '-')}/{published.isoformat()}-{m.code.lower()}-{m.round}-{rng.randrange(10**6)}.md", body


def corpus(total: int = 20_000, seed: int = 20240405) -> list[tuple[str, str]]:
    """`total` (name, text) documents: each meeting has a readout, most a news story, some
    a second story or a syndicated copy."""
    rng = random.Random(seed)
    docs: list[tuple[str, str]] = []
    for m in meetings(int(total * 0.62), rng):
        docs.append(readout(m, rng))
        if rng.random() < 0.8:
            name, text = news(m, rng)
            docs.append((name, text))
            if rng.random() < 0.15:  # syndicated by another site with a different footer
                docs.append((name.replace("news/", "syndicated/"), text.replace("source_url: https://", "source_url: https://syndicated.")
                             + "\nRepublished with permission.\n"))
        if len(docs) >= total:
            break
    rng.shuffle(docs)
    return docs[:total]
