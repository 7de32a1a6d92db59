"""The error tree carries what each interface makes of it (issue 14): the CLI's exit code
and the web's HTTP status are read from the exception, in one place each."""

from __future__ import annotations

from typer.testing import CliRunner

from tradetalks import errors
from tradetalks.cli import app


def test_every_error_carries_its_exit_code_and_status():
    expected = {errors.QueryError: (2, 400), errors.LexiconError: (2, 400), errors.InputError: (1, 400),
                errors.BudgetExceeded: (1, 400), errors.NotFound: (1, 404), errors.Unauthorized: (1, 401),
                errors.Forbidden: (1, 403), errors.FetchError: (1, 502), errors.StoreError: (1, 503),
                errors.DiskFull: (1, 503), errors.TooBusy: (1, 503), errors.ExtractionFailed: (1, 400),
                errors.OutputError: (1, 500)}
    for cls, (code, status) in expected.items():
        assert (cls.exit_code, cls.http_status) == (code, status), cls


def test_the_cli_translates_any_error_once(monkeypatch):
    from tradetalks import cli

    def refuse(*_a, **_k):
        raise errors.FetchError("the server refused; try later")

    monkeypatch.setattr(cli, "_ask", refuse)
    r = CliRunner().invoke(app, ["relationships"])
    assert r.exit_code == 1 and r.output.strip() == "Error: the server refused; try later"
