"""Cleaning crafted inputs (issue 12): each is about 200 KB of a shape that once made a
pattern backtrack or lost the text; the result must be right. How long they take is measured
by benchmarks/adversarial.py, not here."""

from __future__ import annotations

from tradetalks.clean import clean
from tradetalks.clean.htmltext import fragment_to_text

KB200 = 200_000


def test_runs_of_blank_lines_collapse_and_a_release_mark_after_them_is_seen():
    c = clean("The ministers met in Geneva.\n" + "\n" * KB200 + "   \n" * 1000 + "FOR IMMEDIATE RELEASE\n\nThey agreed.")
    assert c.text == "The ministers met in Geneva.\n\nThey agreed."
    assert c.flags.get("press_release")


def test_a_front_matter_that_is_not_yaml_is_read_line_by_line():
    raw = "---\ntitle: Talks resume\nbroken: [\nnote: a" + " " * KB200 + "b\n---\nThe talks resumed in Geneva on Monday.\n"
    c = clean(raw)
    assert c.fmt == "front_matter" and c.title == "Talks resume"
    assert c.text == "The talks resumed in Geneva on Monday."


def test_a_front_matter_longer_than_any_real_one_still_gives_its_title():
    keys = "".join(f"key{i}: value {i}\n" for i in range(KB200 // 16))
    c = clean(f"---\ntitle: Talks resume\n{keys}date: 2024-05-02\n---\nThe talks resumed.\n")
    assert (c.title, c.published, c.text) == ("Talks resume", "2024-05-02", "The talks resumed.")


def test_a_metadata_value_built_from_aliases_is_not_expanded():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))
    c = clean(f"---\n{bomb}title: *i\n---\nThe talks resumed.\n")
    assert c.title is None or len(c.title) < 100
    assert c.text == "The talks resumed."


def test_a_url_of_a_hundred_thousand_labels_names_no_publisher():
    c = clean("---\ntitle: x\nurl: http://" + "a." * 100_000 + "com/story\n---\nThe talks resumed.\n")
    assert c.publisher is None and c.text == "The talks resumed."


def test_markup_nested_a_hundred_thousand_deep_keeps_its_text():
    depth = 100_000
    page = ("<html><head><title>Talks</title></head><body>" + "<div>" * depth
            + "<p>The talks were held in Geneva.</p>" + "</div>" * depth + "</body></html>")
    assert clean(page).text == "The talks were held in Geneva."
    assert fragment_to_text("<div>" * 300 + "<p>Round two.</p>" + "</div>" * 300) == "Round two."


def test_unclosed_markers_leave_the_text_alone():
    for opener in ("<!-- ", "{{ ", "{% ", "**a ", "__a ", "[a", "![a", "<p ", "<http://a"):
        raw = "The talks resumed. " + opener * (KB200 // len(opener))
        text = clean(raw).text
        assert text.startswith("The talks resumed.") and len(text) > KB200 // 2, opener


def test_a_feed_item_with_unclosed_elements_gives_its_description():
    raw = ("<item><title>Talks</title><description>The talks resumed in Geneva.</description>"
           + "<content:encoded>" * (KB200 // 17) + "</item>")
    assert clean(raw).text == "The talks resumed in Geneva."


def test_wire_copy_with_unclosed_tags_keeps_its_text():
    raw = "<REUTERS>\n<BODY>Talks resumed in Geneva. " + "<a" * (KB200 // 2) + "\n Reuter\n</BODY></REUTERS>"
    text = clean(raw).text
    assert text.startswith("Talks resumed in Geneva.") and not text.endswith("Reuter")


def test_many_teasers_and_repeated_paragraphs_are_removed_whole():
    para = "The same paragraph of the article, repeated here again and again."
    teaser = "The ministers agreed to meet again before the end of the year in..."
    raw = "\n\n".join([teaser, "The ministers agreed to meet again before the end of the year in Geneva."]
                      + [para] * (KB200 // len(para)))
    c = clean(raw)
    assert c.text == "The ministers agreed to meet again before the end of the year in Geneva.\n\n" + para
    assert {r.rule for r in c.removed} == {"teaser", "repeated"}


def test_a_page_of_unclosed_paragraphs_is_not_taken_for_deep_markup():
    from tradetalks.clean.htmltext import too_deep

    assert not too_deep("<html><body>" + "<p>One more paragraph of the talks." * 1000 + "</body></html>")
    assert too_deep("<div>" * 300 + "text" + "</div>" * 300)
