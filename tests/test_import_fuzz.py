"""Hostile import files: whatever is wrong, one line on stderr and the register untouched.

A seeded generator (so a failure can be replayed) damages good files in the ways an
adversarial run found: truncations, bit flips, odd encodings, zip members that are
encrypted, Deflate64 or corrupt, huge numbers, pipes and devices. Every case runs
``riskdesk import`` in-process: an exception escaping ``main`` fails the test.
"""

from __future__ import annotations

import io
import os
import random
import sqlite3
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

from riskdesk.cli.main import main
from riskdesk.importers.errors import ImportFileError
from riskdesk.importers.limits import ReadLimits, read_limits
from riskdesk.importers.riskdesk_format import is_riskdesk_export, read_riskdesk
from riskdesk.importers.tables import read_table

SEED = 20261203
HEADER = ["Name", "Department", "People affected", "Stage", "Vendor", "Notes"]
ROWS = [
    ["Chat assistant", "Support", "12,000", "Production", "OpenAI", "answers customers"],
    ["CV screening", "HR", "800", "Pilot", "Acme HR", "ranks applicants"],
    ["Fraud scoring", "Finance", "2,500,000", "Production", "", "flags payments"],
]


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def run_import(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["import", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _csv_bytes(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(f'"{c}"' for c in row) for row in rows).encode() + b"\n"


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Uses"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _riskdesk_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    """riskdesk's own workbook and CSV tables, of a small register."""
    db = tmp_path / "source.db"
    source = tmp_path / "source.csv"
    source.write_bytes(_csv_bytes([HEADER, *ROWS]))
    assert run_import(capsys, str(source), "--db", str(db))[0] == 0
    files = {}
    for suffix in ("xlsx", "zip"):
        out = tmp_path / f"export.{suffix}"
        capsys.readouterr()
        assert main(["export", "--db", str(db), "--out", str(out)]) == 0
        files[f"export.{suffix}"] = out.read_bytes()
    return files


# --- ways to damage a file ---------------------------------------------------------------


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _flip_bits(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _zip_members(data: bytes) -> Iterator[tuple[int, int]]:
    """(local header offset, central header offset) of each member."""
    central = data.find(b"PK\x01\x02")
    while central != -1:
        local = struct.unpack_from("<I", data, central + 42)[0]
        yield local, central
        central = data.find(b"PK\x01\x02", central + 4)


def _encrypted(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for local, central in _zip_members(data):
        out[local + 6] |= 0x1  # general purpose flag bit 0: encrypted
        out[central + 8] |= 0x1
    return bytes(out)


def _deflate64(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for local, central in _zip_members(data):
        struct.pack_into("<H", out, local + 8, 9)  # compression method 9: Deflate64
        struct.pack_into("<H", out, central + 10, 9)
    return bytes(out)


def _corrupt_deflate(data: bytes, rng: random.Random) -> bytes:
    """Garbage inside each compressed member, headers intact (zlib.error, bad CRC)."""
    out = bytearray(data)
    for local, _central in _zip_members(data):
        size = struct.unpack_from("<I", data, local + 18)[0]
        name_len, extra_len = struct.unpack_from("<HH", data, local + 26)
        start = local + 30 + name_len + extra_len
        for offset in range(start + size // 3, start + max(size // 3 + 1, 2 * size // 3)):
            out[offset] = rng.randrange(256)
    return bytes(out)


def _utf16_odd(data: bytes, rng: random.Random) -> bytes:
    return b"\xff\xfe" + data.decode("latin-1").encode("utf-16-le") + b"\x00"


def _utf16_lone_surrogate(data: bytes, rng: random.Random) -> bytes:
    return b"\xff\xfe" + "Name,x\n".encode("utf-16-le") + b"\x00\xd8" + "y\n".encode("utf-16-le")


def _cp1252_and_nul(data: bytes, rng: random.Random) -> bytes:
    text = data.replace(b"Support", "Süpport – “x”".encode("cp1252"))
    return text if rng.random() < 0.5 else text.replace(b"HR", b"H\x00R")


Damage = Callable[[bytes, random.Random], bytes]
ZIP_DAMAGE: list[Damage] = [_truncate, _flip_bits, _encrypted, _deflate64, _corrupt_deflate]
TEXT_DAMAGE: list[Damage] = [
    _truncate,
    _flip_bits,
    _utf16_odd,
    _utf16_lone_surrogate,
    _cp1252_and_nul,
]
HUGE = [str(2**63), "9" * 5000, 2**63, 10**10 + 1]


def _check(
    capsys: pytest.CaptureFixture[str], path: Path, db: Path, *extra: str
) -> tuple[int, str, str]:
    before = dump(db) if db.exists() else None
    code, out, err = run_import(capsys, str(path), "--db", str(db), *extra)
    assert "Traceback" not in err
    assert code in (0, 1, 2), (path.name, code, err)
    if code:
        assert len(err.strip().splitlines()) == 1, (path.name, err)
        after = dump(db) if db.exists() else None
        assert after == before, f"{path.name}: a refused import changed the register"
    return code, out, err


def test_hostile_files_end_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(SEED)
    db = _seeded_db(tmp_path, capsys)
    originals = {
        "table.csv": _csv_bytes([HEADER, *ROWS]),
        "table.xlsx": _xlsx_bytes([HEADER, *ROWS]),
        **_riskdesk_exports(tmp_path, capsys),
    }
    # The register holds something, so "unchanged" means something.
    assert (
        run_import(
            capsys, str(_write(tmp_path, "seed.csv", originals["table.csv"])), "--db", str(db)
        )[0]
        == 0
    )
    outcomes: dict[int, int] = {}
    case = 0
    for name, data in originals.items():
        damages = TEXT_DAMAGE if name.endswith(".csv") else ZIP_DAMAGE
        for damage in damages:
            for _ in range(4 if damage in (_truncate, _flip_bits) else 1):
                case += 1
                path = _write(tmp_path, f"case{case}-{damage.__name__}-{name}", damage(data, rng))
                code, _out, _err = _check(capsys, path, db)
                outcomes[code] = outcomes.get(code, 0) + 1
    assert outcomes.get(2, 0) >= 10  # the damage really was damage


@pytest.mark.parametrize("value", HUGE)
def test_huge_numbers_are_a_problem_in_their_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: object
) -> None:
    db = _seeded_db(tmp_path, capsys)
    bad = [["Huge", "Ops", value, "Production", "", ""]]
    for path in (
        _write(tmp_path, "huge.csv", _csv_bytes([HEADER, *ROWS, *[[str(c) for c in bad[0]]]])),
        _write(tmp_path, "huge.xlsx", _xlsx_bytes([HEADER, *ROWS, *bad])),
    ):
        for extra in ((), ("--dry-run",)) if value == 2**63 else ((),):
            code, out, err = _check(capsys, path, db, *extra)
            assert code == 1, (value, err)
            assert 'row 5, column "People affected"' in out, out
        # --skip-invalid imports the good rows and leaves the huge one out.
        code, out, err = _check(capsys, path, db, "--skip-invalid")
        assert code == 0, err
        assert "1 row(s) with problems were left out" in out
    assert dump(db)  # the good rows went in


@pytest.mark.parametrize("value", ["-1", "1e+308"])
def test_an_unreadable_reach_is_unknown_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    # Reach is an exposure factor: an answer nobody can read is unknown, not a rejected row.
    db = _seeded_db(tmp_path, capsys)
    path = _write(
        tmp_path, "odd.csv", _csv_bytes([HEADER, *ROWS, ["Odd", "Ops", value, "", "", ""]])
    )
    code, out, err = _check(capsys, path, db)
    assert code == 0, err
    assert f'column "People affected" (C): "{value}" (row 5) read as unknown' in out, out
    with sqlite3.connect(db) as conn:
        reach = conn.execute("SELECT people_affected FROM ai_use WHERE name = 'Odd'").fetchall()
    assert reach == [(None,)]


def test_huge_ids_in_a_riskdesk_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = _riskdesk_exports(tmp_path, capsys)["export.xlsx"]
    book = openpyxl.load_workbook(io.BytesIO(export))
    book["AI Uses"]["A2"] = 2**63
    book["AI Uses"]["N3"] = "9" * 40  # people affected
    buffer = io.BytesIO()
    book.save(buffer)
    path = _write(tmp_path, "huge-ids.xlsx", buffer.getvalue())
    db = _seeded_db(tmp_path, capsys)
    code, out, err = _check(capsys, path, db)
    assert code == 1, err
    assert "too large" in out
    code, out, err = _check(capsys, path, db, "--skip-invalid")
    assert code == 0, err


def test_special_files_are_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "register.db"
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # opening it would block until someone writes
    code, _out, err = _check(capsys, fifo, db)
    assert code == 2 and "not a regular file" in err
    if Path("/dev/zero").exists():
        code, _out, err = _check(capsys, Path("/dev/zero"), db)
        assert code == 2 and "not a regular file" in err
    assert not db.exists()  # the register was never even opened


def test_read_limits_stop_while_streaming(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [HEADER, *([f"Use {i}", "Ops", "1", "Idea", "", ""] for i in range(50))]
    table = _write(tmp_path, "many.xlsx", _xlsx_bytes(rows))
    db = _seeded_db(tmp_path, capsys)
    with read_limits(ReadLimits(rows=20)), pytest.raises(ImportFileError, match="than 20 rows"):
        read_table(table)
    code, _out, err = _check(capsys, table, db, "--max-rows", "20")
    assert code == 2 and "more than 20 rows" in err and 'sheet "Uses", row 21' in err
    assert _check(capsys, table, db, "--max-rows", "60")[0] == 0
    wide = _write(tmp_path, "wide.csv", _csv_bytes([HEADER + [f"c{i}" for i in range(600)]]))
    code, _out, err = _check(capsys, wide, db)
    assert code == 2 and "more than 500 columns" in err
    long_cell = _write(tmp_path, "long.csv", _csv_bytes([HEADER, ["x" * 40_000, "Ops"]]))
    code, _out, err = _check(capsys, long_cell, db, "--max-cell", "30000")
    assert code == 2 and "40,000 characters" in err and "row 2, column A" in err
    assert _check(capsys, long_cell, db)[0] == 0  # under the default: the name is shortened
    whitespace = _zip_bomb(tmp_path)
    code, _out, err = _check(capsys, whitespace, db)
    assert code == 2 and "unpacks to" in err
    with read_limits(ReadLimits(unpacked_bytes=10**12)), pytest.raises(ImportFileError):
        read_riskdesk(_write(tmp_path, "not-export.xlsx", b"PK\x05\x06" + b"\x00" * 18))


def _zip_bomb(tmp_path: Path) -> Path:
    """A workbook whose padding member says it unpacks to 600 MB (as a zip bomb would)."""
    path = tmp_path / "bomb.xlsx"
    base = _xlsx_bytes([HEADER, *ROWS])
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info.filename), zipfile.ZIP_DEFLATED)
        out.writestr("xl/worksheets/padding.xml", b" " * 1000, zipfile.ZIP_DEFLATED)
    data = bytearray(path.read_bytes())
    *_rest, (_local, central) = _zip_members(bytes(data))
    struct.pack_into("<I", data, central + 24, 600 * 1024 * 1024)  # uncompressed size
    path.write_bytes(bytes(data))
    return path


def _seeded_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A register holding a few uses, so that "unchanged" means something."""
    db = tmp_path / "register.db"
    seed = _write(tmp_path, "seed.csv", _csv_bytes([HEADER, *ROWS]))
    assert run_import(capsys, str(seed), "--db", str(db))[0] == 0
    return db


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_a_zip_needing_an_unknown_version_is_not_an_export(tmp_path: Path) -> None:
    """Recognising a file never raises: a central directory asking for zip version 14.8
    made ``zipfile`` raise NotImplementedError, which reached the user as a traceback."""
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("ai_use.csv", "id,name\n")
    data = bytearray(good.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 148  # "version needed to extract": 14.8
    odd = _write(tmp_path, "odd.zip", bytes(data))
    assert is_riskdesk_export(odd) is False
