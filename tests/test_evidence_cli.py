"""``riskdesk evidence`` and ``riskdesk export --format evidence`` as a user runs them."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from riskdesk.cli.main import main
from riskdesk.service import evidence as ev

PAYLOAD = bytes(range(256)) * 4 + b"\r\n\x00 signed"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A register with one vendor, one use supplied by it and one control."""
    from riskdesk.service.register import RegisterService
    from riskdesk.store.db import open_register

    path = tmp_path / "register.db"
    reg = open_register(path)
    service = RegisterService(reg, actor="tester")
    with service.action() as uow:
        vendor = uow.create("vendor", {"name": "Vendor X"})
        uow.create("ai_use", {"name": "Essay helper", "vendor_id": vendor})
        uow.create("control", {"name": "Bias test", "status": "tested"})
    reg.dispose()
    return path


@pytest.fixture
def dpa(tmp_path: Path) -> Path:
    path = tmp_path / "DPA Vendor X.pdf"
    path.write_bytes(PAYLOAD)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listing(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "evidence", "list", "--db", str(db), "--json", *extra)
    assert code == 0
    data: list[dict[str, object]] = json.loads(out)
    return data


def test_add_list_get_round_trip(
    db: Path, dpa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "evidence",
        "add",
        "--db",
        str(db),
        "--to",
        "vendor:1",
        "--to",
        "use:1",
        str(dpa),
        "--title",
        "DPA with Vendor X",
        "--kind",
        "Contract/DPA",
        "--valid-until",
        "2027-06-30",
    )
    digest = hashlib.sha256(PAYLOAD).hexdigest()
    assert code == 0 and err == ""
    assert out.strip() == (
        f"Added evidence 1: {len(PAYLOAD):,} bytes, SHA-256 {digest}, attached to vendor:1, use:1"
    )
    [item] = listing(capsys, db)
    assert {
        k: item[k] for k in ("id", "sha256", "title", "kind", "attached_to", "valid_until")
    } == {
        "id": 1,
        "sha256": digest,
        "title": "DPA with Vendor X",
        "kind": "contract",
        "attached_to": ["vendor:1", "use:1"],
        "valid_until": "2027-06-30",
    }
    assert item["file_name"] == "DPA Vendor X.pdf"

    back = tmp_path / "back.pdf"
    code, out, _ = run(capsys, "evidence", "get", "--db", str(db), "1", "--out", str(back))
    assert code == 0 and back.read_bytes() == PAYLOAD
    # into a folder: the stored file name
    folder = tmp_path / "downloads"
    folder.mkdir()
    assert run(capsys, "evidence", "get", "--db", str(db), "1", "--out", str(folder))[0] == 0
    assert (folder / "DPA Vendor X.pdf").read_bytes() == PAYLOAD

    code, out, _ = run(capsys, "evidence", "list", "--db", str(db))
    assert "DPA with Vendor X" in out and "vendor:1, use:1" in out and "2027-06-30" in out


def test_get_does_not_overwrite_unless_forced(
    db: Path, dpa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "evidence", "add", "--db", str(db), "--to", "use:1", str(dpa))[0] == 0
    existing = tmp_path / "mine.pdf"
    existing.write_bytes(b"keep me")
    code, _, err = run(capsys, "evidence", "get", "--db", str(db), "1", "--out", str(existing))
    assert code == 2 and err.count("\n") == 1 and "already exists" in err
    assert existing.read_bytes() == b"keep me"
    args = ("evidence", "get", "--db", str(db), "1", "--out", str(existing), "--force")
    assert run(capsys, *args)[0] == 0
    assert existing.read_bytes() == PAYLOAD


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--to", "board:1"), "is not KIND:ID"),
        (("--to", "vendor:9"), "no vendor 9"),
        (("--to", "use:1", "--kind", "selfie"), "not one of"),
        (("--to", "use:1", "--valid-until", "soon"), "not a date"),
    ],
)
def test_errors_are_one_line(
    db: Path,
    dpa: Path,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = run(capsys, "evidence", "add", "--db", str(db), *argv, str(dpa))
    assert code == 2 and out == ""
    assert err.startswith("riskdesk: error: ") and err.count("\n") == 1 and message in err
    assert listing(capsys, db) == []


def test_missing_and_oversized_files(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "evidence", "add", "--db", str(db), "--to", "use:1", str(tmp_path / "x.pdf")
    )
    assert code == 2 and "does not exist" in err
    big = tmp_path / "video.mp4"
    with big.open("wb") as fh:
        fh.truncate(ev.MAX_FILE_BYTES + 5 * 1024 * 1024)
    code, _, err = run(capsys, "evidence", "add", "--db", str(db), "--to", "use:1", str(big))
    assert code == 2 and err.count("\n") == 1
    assert "video.mp4 is 105.0 MB; evidence files are limited to 100 MB each" in err
    code, _, err = run(capsys, "evidence", "get", "--db", str(db), "7", "--out", str(tmp_path))
    assert code == 2 and "Evidence 7 does not exist" in err


def test_a_big_register_warns_on_stderr(
    db: Path, dpa: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ev.base, "WARN_REGISTER_BYTES", 1000)
    code, out, err = run(capsys, "evidence", "add", "--db", str(db), "--to", "use:1", str(dpa))
    assert code == 0 and "Added evidence 1" in out
    assert err.startswith("riskdesk: warning: The register is now")


def test_replace_and_remove(
    db: Path, dpa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "evidence", "add", "--db", str(db), "--to", "control:1", str(dpa))[0] == 0
    newer = tmp_path / "DPA 2027.pdf"
    newer.write_bytes(b"renewed")
    code, out, _ = run(
        capsys,
        "evidence",
        "replace",
        "--db",
        str(db),
        "1",
        str(newer),
        "--valid-until",
        "2028-01-01",
    )
    assert code == 0 and "Replaced evidence 2" in out and "new revision of evidence 1" in out
    assert [(e["id"], e["attached_to"]) for e in listing(capsys, db)] == [(2, ["control:1"])]
    assert [(e["id"], e["status"]) for e in listing(capsys, db, "--all")] == [
        (1, "replaced"),
        (2, "valid"),
    ]
    code, out, err = run(capsys, "evidence", "replace", "--db", str(db), "1", str(newer))
    assert code == 2 and "replaced by revision 2" in err
    assert run(capsys, "evidence", "remove", "--db", str(db), "2")[0] == 0
    assert listing(capsys, db) == []
    assert run(capsys, "check", "--db", str(db))[0] == 0


def test_check_catches_a_blob_altered_by_direct_sql(
    db: Path, dpa: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("evidence", "add", "--db", str(db), "--to", "vendor:1", "--title", "DPA with Vendor X")
    assert run(capsys, *args, str(dpa))[0] == 0
    assert run(capsys, "check", "--db", str(db))[0] == 0
    con = sqlite3.connect(db)
    con.execute("UPDATE evidence_blob SET data = CAST('tampered' AS BLOB)")
    con.commit()
    con.close()
    code, out, _ = run(capsys, "check", "--db", str(db))
    assert code == 1
    assert 'FAILED: evidence 1 ("DPA with Vendor X"): its file was altered' in out
    code, out, _ = run(capsys, "check", "--db", str(db), "--json")
    assert json.loads(out)["problems"][0]["kind"] == "evidence"


def _manifest(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_export_evidence_zip_and_folder(
    db: Path, dpa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "AI policy.docx"
    policy.write_bytes(b"policy text")
    assert run(capsys, "evidence", "add", "--db", str(db), "--to", "vendor:1", str(dpa))[0] == 0
    add_policy = ("evidence", "add", "--db", str(db), "--to", "use:1", "--kind", "policy")
    assert run(capsys, *add_policy, str(policy))[0] == 0
    assert run(capsys, "evidence", "remove", "--db", str(db), "2")[0] == 0
    third = ("evidence", "add", "--db", str(db), "--to", "control:1", "--title", "=HYPERLINK()")
    assert run(capsys, *third, str(policy))[0] == 0

    zipped = tmp_path / "evidence.zip"
    args = ("export", "--db", str(db), "--format", "evidence", "--out", str(zipped))
    assert run(capsys, *args)[0] == 0
    with zipfile.ZipFile(zipped) as zf:
        rows = _manifest(zf.read("manifest.csv").decode("utf-8"))
        sums = zf.read("SHA256SUMS").decode()
        assert [r["id"] for r in rows] == ["1", "3"]  # removed evidence is not current
        for row in rows:
            data = zf.read(row["file"])
            assert hashlib.sha256(data).hexdigest() == row["sha256"]
            assert f"{row['sha256']}  {row['file']}\n" in sums
        assert zf.read(rows[0]["file"]) == PAYLOAD
        assert rows[0]["attached_to"] == "vendor:1 (Vendor X)"
        assert rows[1]["title"] == "'=HYPERLINK()"  # inert in a spreadsheet

    folder = tmp_path / "for-auditor"
    args = ("export", "--db", str(db), "--format", "evidence", "--out", str(folder))
    assert run(capsys, *args)[0] == 0
    rows = _manifest((folder / "manifest.csv").read_text(encoding="utf-8"))
    for row in rows:
        assert hashlib.sha256((folder / row["file"]).read_bytes()).hexdigest() == row["sha256"]
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "files", "manifest.csv"]
    assert run(capsys, *args)[0] == 0  # an earlier export may be replaced


def test_export_refuses_an_altered_file(
    db: Path, dpa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "evidence", "add", "--db", str(db), "--to", "vendor:1", str(dpa))[0] == 0
    con = sqlite3.connect(db)
    con.execute("UPDATE evidence_blob SET data = CAST('tampered' AS BLOB)")
    con.commit()
    con.close()
    out = tmp_path / "evidence.zip"
    code, _, err = run(capsys, "export", "--db", str(db), "--format", "evidence", "--out", str(out))
    assert code == 2 and err.count("\n") == 1 and "altered outside riskdesk" in err
    assert not out.exists()
