"""Every input handled or refused on its own: a FIFO, a device, a symbolic link loop, a
charset that does not exist, UTF-16 without a byte-order mark, a file name made to forge a
second error line; the batch goes on and says what happened to each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from tradetalks.clean.decode import decode_noted
from tradetalks.cli import app
from tradetalks.errors import InputError, shown
from tradetalks.sources.files import read_file

EXE = str(Path(sys.executable).parent / "tradetalks")
UNDEFINED = (b'<html><head><meta charset="undefined"><title>Talks</title></head><body><p>Trade ministers met in '
             b'Gen\xe8ve on March 3, 2024 and agreed to meet again.</p></body></html>')


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as exc:
        read_file(fifo)
    assert str(exc.value) == (f"{fifo}: is a FIFO (named pipe), not a regular file; only files are read, so copy "
                              "what it gives into a file and pass that")


def test_a_lexicon_given_as_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "lexicon.yaml"
    os.mkfifo(fifo)
    out = subprocess.run([sys.executable, "-m", "tradetalks.cli", "extract", "--lexicon", str(fifo), str(SEEDS[0])],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip() == (f"Error: lexicon file {fifo}: is a FIFO (named pipe), not a regular file; "
                                  "only files are read, so copy what it gives into a file and pass that")


def test_a_device_that_says_it_is_empty_is_refused():
    with pytest.raises(InputError, match=r"^/dev/zero: is a character device, not a regular file"):
        read_file("/dev/zero")


def test_a_symlink_loop_is_named_as_such(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(InputError) as exc:
        read_file(tmp_path / "a")
    assert str(exc.value) == f"{tmp_path / 'a'}: is a symbolic link loop (the links point at each other); fix or remove the link"


def test_a_charset_that_does_not_exist_falls_back_and_says_so():
    text, notes = decode_noted(UNDEFINED, "page.html")
    assert "Genève" in text
    assert notes[0] == "page.html: the declared charset 'undefined' is unknown or does not fit the bytes"
    assert notes[1].startswith("page.html: not valid UTF-8; read as ")


def test_bytes_no_charset_fits_are_replaced_and_said():
    text, notes = decode_noted(b"Trade talks \xff\xfe\x80 resumed in Geneva", "x.txt", declared="undefined")
    assert "Trade talks" in text and "resumed in Geneva" in text
    assert notes[0] == "x.txt: the declared charset 'undefined' is unknown or does not fit the bytes"


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text(order):
    text, notes = decode_noted("The United States and Japan met in Tokyo.".encode(order), "wide.txt")
    assert text == "The United States and Japan met in Tokyo."
    assert notes == [f"wide.txt: no byte-order mark; read as {order.upper()} (detected)"]


def test_names_are_shown_with_control_characters_escaped():
    assert shown("a\nError: forged\x1b[2J\udcff") == "a\\nError: forged\\x1b[2J\\udcff"


def test_extract_batch_one_line_per_bad_input(tmp_path):
    fifo, loop, forged, bad = tmp_path / "pipe.txt", tmp_path / "loop.txt", tmp_path / "x\nError: forged.txt", tmp_path / "bad.html"
    os.mkfifo(fifo)
    loop.symlink_to(loop)
    bad.write_bytes(UNDEFINED)
    r = CliRunner().invoke(app, ["extract", "--format", "jsonl", str(fifo), "/dev/zero", str(loop), str(forged),
                                 str(bad), str(SEEDS[0])])
    assert r.exit_code == 1
    errors = [x for x in r.stderr.splitlines() if x.startswith("Error:")]
    assert errors == [
        f"Error: {fifo}: is a FIFO (named pipe), not a regular file; only files are read, so copy what it gives into a "
        "file and pass that",
        "Error: /dev/zero: is a character device, not a regular file; only files are read, so copy what it gives into "
        "a file and pass that",
        f"Error: {loop}: is a symbolic link loop (the links point at each other); fix or remove the link",
        f"Error: {tmp_path}/x\\nError: forged.txt: no such file; check the path",
    ]
    assert f"Note: {bad}: the declared charset 'undefined' is unknown or does not fit the bytes" in r.stderr
    assert "4 of 6 documents failed" in r.stderr
    assert [json.loads(x)["document"]["source"] for x in r.stdout.splitlines()] == [str(bad), str(SEEDS[0])]


def test_ingest_folder_with_fifo_bad_charset_and_good_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a-pipe.txt")
    (folder / "b-undefined.html").write_bytes(UNDEFINED)
    (folder / "c-good.txt").write_text(SEEDS[0].read_text())
    (folder / "d-wide.txt").write_bytes(SEEDS[1].read_text().encode("utf-16-le"))
    out = subprocess.run([EXE, "ingest", "--no-progress", "--db", str(tmp_path / "r.db"), str(folder)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert [x for x in lines if x.startswith("Error:")] == [
        f"Error: {folder / 'a-pipe.txt'}: is a FIFO (named pipe), not a regular file; only files are read, so copy "
        "what it gives into a file and pass that"]
    assert f"Note: {folder / 'b-undefined.html'}: the declared charset 'undefined' is unknown or does not fit the bytes" in lines
    assert f"Note: {folder / 'd-wide.txt'}: no byte-order mark; read as UTF-16-LE (detected)" in lines
    assert lines[-1].startswith("added 3, updated 0, unchanged 0, near-duplicates linked 0, skipped 0, failed 1;")


def test_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        with pytest.raises(InputError, match=r"s\.sock: is a socket \(or a device with nothing behind it\), not a regular file"):
            read_file(path)


def test_a_config_that_is_a_fifo_is_refused(tmp_path):
    from tradetalks.sources import load_config

    fifo = tmp_path / "sources.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"sources\.yaml: is a FIFO \(named pipe\), not a regular file"):
        load_config(str(fifo))
