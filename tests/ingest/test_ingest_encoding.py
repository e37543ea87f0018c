"""Files that are not UTF-8: detected or given with --encoding, reported, never a traceback, never a silent
U+FFFD."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from ingest_factories import TICKET_HEADER, run, stored, ticket_row
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from parallax.cli.main import app
from parallax.ingest.encoding import Decoding, plan_decoding, utf8_copy
from parallax.kit.errors import ValidationFailed

FRENCH = "Le bagage est arrivé à Orly, très abîmé; où est ma valise ? Ça suffit."


def _csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(TICKET_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _tickets(count: int, text: str = FRENCH) -> list[list[str]]:
    return [ticket_row(i, description=f"{text} ({i})") for i in range(count)]


def _texts(factory: sessionmaker[Session]) -> list[str]:
    return [row.text or "" for row in stored(factory)]


@pytest.mark.parametrize(
    ("encoding", "how", "used"),
    [
        ("latin-1", "detected", "cp1252"),
        ("cp1252", "detected", "cp1252"),
        ("utf-16", "bom", "utf-16"),
        ("utf-8-sig", "bom", "utf-8-sig"),
        ("utf-16-le", "detected", "utf-16-le"),
    ],
)
def test_a_csv_in_another_encoding_is_read_right(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str, encoding: str, how: str, used: str
) -> None:
    path = tmp_path / "tickets.csv"
    path.write_bytes(_csv_bytes(_tickets(30), encoding))
    summary = run(path, "tickets", session_factory, batch_size=7)
    assert summary.decoding is not None
    assert (summary.decoding.how, summary.decoding.encoding) == (how, used)
    assert (summary.inserted, summary.rejected) == (30, 0)
    assert all(text.startswith(f"Bag lost\n\n{FRENCH}") for text in _texts(session_factory))


def test_rows_keep_their_numbers_in_a_transcoded_file(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    rows = _tickets(6)
    rows[3] = ticket_row(3, csat="11", description="Très déçu\nsur deux lignes")
    rows[4] = ticket_row(4, channel="fax")
    path = tmp_path / "tickets.csv"
    path.write_bytes(_csv_bytes(rows, "utf-16"))
    summary = run(path, "tickets", session_factory)
    assert [(e.row, e.field) for e in summary.first_errors] == [(5, "csat"), (6, "channel")]
    assert summary.rejects_path is not None and summary.rejects_path.parent == tmp_path
    assert "Très déçu" in summary.rejects_path.read_text(encoding="utf-8")


def test_a_stray_latin1_byte_deep_in_a_utf8_file_is_read_as_cp1252_and_reported(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    good = _csv_bytes(_tickets(3000, "Ünïcode ✈ déjà vu"), "utf-8")
    lines = good.split(b"\n")
    lines[2500] = lines[2500].replace("déjà".encode(), "déjà".encode("latin-1"))  # line 2501
    path = tmp_path / "tickets.csv"
    path.write_bytes(b"\n".join(lines))
    summary = run(path, "tickets", session_factory)
    assert summary.decoding == Decoding("utf-8", "fallback", (2501,), 1)
    assert summary.decoding.describe() == (
        "utf-8, except bytes that are not UTF-8 on 1 line(s): 2501; those bytes read as cp1252"
    )
    texts = _texts(session_factory)
    assert (summary.inserted, len(texts)) == (3000, 3000)
    assert not any("\ufffd" in text for text in texts)
    assert all("Ünïcode ✈ déjà vu" in text for text in texts)


def test_jsonl_in_utf16_and_with_a_utf8_bom(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    line = '{"external_id": "%s", "channel": "chat", "kind": "message", "occurred_at": "2026-01-05T10:00Z"'
    lines = [line % i + f', "text": "{FRENCH}"}}' for i in range(4)]
    utf16, bom = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    utf16.write_bytes("\n".join(lines).encode("utf-16"))
    bom.write_bytes("\n".join(lines).encode("utf-8-sig"))
    first = run(utf16, "parallax", session_factory)
    second = run(bom, "parallax", session_factory, source="other")
    assert (first.inserted, first.rejected, second.inserted, second.rejected) == (4, 0, 4, 0)
    assert _texts(session_factory) == [FRENCH] * 8


def test_an_encoding_can_be_given(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    path = tmp_path / "tickets.csv"
    path.write_bytes(_csv_bytes(_tickets(5, "Где мой багаж? Рейс задержан."), "cp1251"))
    summary = run(path, "tickets", session_factory, encoding="CP1251")
    assert summary.decoding == Decoding("cp1251", "given")
    assert all("Где мой багаж?" in text for text in _texts(session_factory))


def test_an_encoding_that_does_not_fit_fails_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_bytes(_csv_bytes(_tickets(4), "latin-1"))
    with pytest.raises(
        ValidationFailed, match=r"not valid utf-8: bytes that are not on 4 line\(s\): 2, 3, 4, 5;"
    ):
        plan_decoding(path, "utf-8")
    with pytest.raises(ValidationFailed, match="unknown encoding 'klingon'"):
        plan_decoding(path, "klingon")
    odd = tmp_path / "odd.jsonl"
    odd.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": "\x81"}\n')  # 0x81: no character in cp1252
    with pytest.raises(ValidationFailed, match=r"odd.jsonl is not cp1252 \(given\): byte 0x81 on line 3"):
        _transcode(odd, "cp1252")
    odd.write_bytes(b'{"a": 1}\n')
    with pytest.raises(ValidationFailed, match=r"odd.jsonl is not utf-16 .* does not start with BOM"):
        _transcode(odd, "utf-16")


def _transcode(path: Path, given: str) -> None:
    with utf8_copy(path, plan_decoding(path, given)):
        pass


def test_cp1252_wins_a_tie_between_western_code_pages(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(_csv_bytes(_tickets(5), "latin-1"))
    assert plan_decoding(path).encoding == "cp1252"  # charset-normalizer alone says cp1250: 'à' would be 'ŕ'
    path.write_bytes(_csv_bytes(_tickets(5, "Dzień dobry, gdzie jest mój bagaż? Łódź, opóźniony."), "cp1250"))
    assert plan_decoding(path).encoding == "cp1250"
    path.write_bytes(_csv_bytes(_tickets(5, "Привет, где мой багаж? Рейс задержан."), "cp1251"))
    assert plan_decoding(path).encoding == "cp1251"


def test_the_cli_says_how_the_file_was_read(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_bytes(_csv_bytes(_tickets(3), "latin-1"))
    args = [
        "ingest",
        str(path),
        "--mapping",
        "tickets",
        "--database-url",
        f"sqlite:///{tmp_path / 'c.sqlite'}",
    ]
    detected = CliRunner().invoke(app, args)
    assert detected.exit_code == 0, detected.output
    assert "read as cp1252 (detected; not UTF-8 on 3 line(s): 2, 3, 4)" in detected.output
    given = CliRunner().invoke(app, [*args, "--encoding", "latin-1"])
    assert given.exit_code == 0 and "iso8859-1 (--encoding)" in given.output
    wrong = CliRunner().invoke(app, [*args, "--encoding", "utf-8"])
    assert wrong.exit_code == 2 and "tickets.csv is not valid utf-8" in wrong.output
    assert "Traceback" not in detected.output + given.output + wrong.output
