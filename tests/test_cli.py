"""The command line: formats, exit codes, and one clear line per bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SEEDS
from tradetalks import lexicons
from tradetalks.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_jsonl_one_contract_document_per_line():
    r = run("extract", "--format", "jsonl", *map(str, SEEDS))
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == len(SEEDS)
    for doc, path in zip(lines, SEEDS, strict=True):
        assert doc["schema"] == "tradetalks/extraction-v1"
        assert doc["document"]["source"] == str(path)
        assert set(doc["document"]) >= {"source", "title", "published", "publisher", "kind", "dateline", "text"}
        for ev in doc["events"]:
            assert set(ev) >= {"type", "status", "mechanism", "round", "start", "end", "location", "parties",
                               "participants", "organizations", "topics", "outcomes", "evidence"}


def test_json_is_pretty_and_parsable():
    r = run("extract", str(SEEDS[0]))
    assert r.exit_code == 0
    assert json.loads(r.stdout)["events"][0]["type"] == "negotiation_round"


def test_table_fits_a_100_column_terminal():
    r = run("extract", "--format", "table", *map(str, SEEDS))
    assert r.exit_code == 0
    assert "negotiation_round" in r.stdout and "McCartin" in r.stdout and "Wang Wenbin" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 100


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("make,message", [
    (lambda t: t / "missing.txt", "missing.txt: no such file; check the path"),
    (lambda t: t, "is a directory; pass the files in it"),
    (lambda t: write(t, "empty.txt", b"  \n"), "empty.txt: the file is empty; pass a document with text in it"),
    (lambda t: write(t, "img.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
     "img.png: looks like a binary file, not a text or HTML document; pass the text"),
    (lambda t: write(t, "huge.txt", b"a" * (10 * 1024 * 1024 + 1)),
     "huge.txt: file is 10 MB, over the 10 MB limit; split it or pass only the article"),
])
def test_bad_input_one_line_error_and_the_batch_goes_on(tmp_path, make, message):
    bad = make(tmp_path)
    r = run("extract", "--format", "jsonl", str(bad), str(SEEDS[1]))
    assert r.exit_code == 1
    err_lines = [x for x in r.stderr.splitlines() if x.startswith("Error:")]
    assert len(err_lines) == 1 and message in err_lines[0]
    assert "1 of 2 documents failed" in r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [d["document"]["source"] for d in out] == [str(SEEDS[1])]


def test_undeclared_charset_is_detected_and_said(tmp_path):
    p = write(tmp_path, "latin.txt", "Délégation à Genève pour les négociations commerciales".encode("latin-1"))
    r = run("extract", "--format", "jsonl", str(p))
    assert r.exit_code == 0, r.stderr
    assert "Délégation à Genève" in json.loads(r.stdout)["document"]["text"]
    assert f"Note: {p}: not valid UTF-8; read as " in r.stderr


def test_declared_charset_is_honoured(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"><title>Réunion</title></head><body><p>The United States and France held talks in Paris on March 3, 2024 on trade.</p></body></html>'
    p = write(tmp_path, "page.html", page.encode("latin-1"))
    r = run("extract", "--format", "jsonl", str(p))
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["document"]["title"] == "Réunion"


EXE = str(Path(sys.executable).parent / "tradetalks")


@pytest.mark.parametrize("args,message", [
    (["extract", "--published", "17/01/2023", "x.txt"],
     "Error: Invalid value for '--published': '17/01/2023' is not a date; give it as YYYY-MM-DD, e.g. 2024-04-05 (see: tradetalks extract --help)"),
    (["extract", "--published", "2023-02-30", "x.txt"], "is not a real calendar date; give it as YYYY-MM-DD"),
    (["extract", "--format", "xml", "x.txt"], "'xml' is not a format; use one of: json, jsonl, table"),
    (["extract"], "Error: Missing argument 'files'. (see: tradetalks extract --help)"),
    (["extract", "--nope", "x.txt"], "Error: No such option: --nope"),
])
def test_bad_usage_is_one_line_and_exits_2(args, message):
    out = subprocess.run([EXE, *args], capture_output=True, text=True)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_lexicon_extension(tmp_path):
    lex = tmp_path / "mine.yaml"
    lex.write_text(
        "mechanisms:\n  - name: U.S.-Kenya Strategic Trade and Investment Partnership\n"
        "    acronyms: [STIP]\n    parties: [KEN, USA]\n")
    doc = write(tmp_path, "stip.txt", b"The United States and Kenya held the third round of STIP negotiations "
                b"in Nairobi on May 2, 2024.")
    try:
        r = run("extract", "--format", "jsonl", "--lexicon", str(lex), str(doc))
        assert r.exit_code == 0, r.output
        ev = json.loads(r.stdout)["events"][0]
        assert ev["mechanism"] == "U.S.-Kenya Strategic Trade and Investment Partnership"
        assert ev["round"] == 3 and ev["location"] == {"place": "Nairobi", "country": "KEN"}
    finally:
        lexicons.reset()


def test_bad_lexicon_says_which_keys_exist(tmp_path):
    lex = tmp_path / "bad.yaml"
    lex.write_text("mechanismz: []\n")
    out = subprocess.run([EXE, "extract", "--lexicon", str(lex), str(SEEDS[0])], capture_output=True, text=True)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip() == (f"Error: lexicon file {lex} has unknown key 'mechanismz'; use one of: "
                                  "countries, not_countries, organizations, publishers, titles, mechanisms, topics, outcomes, triggers, headlines")


def test_unknown_topic_code_lists_the_known_ones():
    with pytest.raises(Exception, match="unknown topic 'trade'; known topics: agriculture"):
        lexicons.get().topic("trade")


def test_every_command_has_help():
    r = run("--help")
    assert r.exit_code == 0 and "extract" in r.stdout
    r = run("extract", "--help")
    assert "--published" in r.stdout and "--lexicon" in r.stdout


def test_console_script_runs():
    out = subprocess.run([EXE, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("tradetalks ")


def test_explain_cleaning_prints_each_removed_block_whole_with_its_rule():
    r = run("extract", "--explain-cleaning", str(SEEDS[3]))
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"== {SEEDS[3]}\n")
    assert "[contact] a contact line" in r.stdout
    assert "\n    Phone: 202-482-3809\n" in r.stdout
    assert "[end_marker] an end-of-release mark" in r.stdout
    assert "\n    About the International Trade Administration\n" in r.stdout
    assert "held" not in r.stdout.split("\n", 2)[1]  # a list of removals, not the extraction
