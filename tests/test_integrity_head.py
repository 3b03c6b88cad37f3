"""``riskdesk check --head HASH`` (issue 15) and the optional signing key (issue 16):
a printed head is confirmed or rejected; with a key, only a head signed with the
champion's passphrase is accepted."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from riskdesk.cli.main import main
from riskdesk.reports.snapshot import record_pack
from riskdesk.service import audit, signing
from riskdesk.service.integrity import chain_head, verify_head
from riskdesk.service.register import RegisterService

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def heads(service: RegisterService) -> list[str]:
    """Three writes; the head after each."""
    out = []
    for name in ("Ada", "Grace", "Edsger"):
        service.create("person", {"name": name})
        out.append(chain_head(service))
    return out


def head_check(path: Path, head: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--db", str(path), "--head", head, "--no-prompt"])
    return code, capsys.readouterr().out


def test_a_printed_head_is_confirmed_and_a_wrong_one_rejected(
    service: RegisterService, heads: list[str], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service.register.dispose()
    code, out = head_check(db_path, heads[1], capsys)
    assert code == 0, out
    assert f"CONFIRMED: head {heads[1]} on the chain at audit event 2" in out
    code, out = head_check(db_path, "ab" * 32, capsys)
    assert code == 1 and "NOT CONFIRMED" in out and "not on this register's audit chain" in out
    code, out = head_check(db_path, "not-a-hash", capsys)
    assert code == 1 and "64 hexadecimal digits" in out


def test_a_head_behind_a_broken_event_is_not_confirmed(
    service: RegisterService, heads: list[str], db_path: Path
) -> None:
    service.register.dispose()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE audit_event SET actor = 'mallory' WHERE id = 1")
    con.commit()
    con.close()
    found = verify_head(service.register, heads[2])
    assert not found.ok and "the chain is broken at audit event 1" in found.message
    assert verify_head(service.register, audit.GENESIS).ok


def test_signed_pack_heads_verify_only_with_the_passphrase(
    service: RegisterService,
    heads: list[str],
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signing.set_key(service, PASSPHRASE)
    with pytest.raises(signing.SigningError, match="already has a signing key"):
        signing.set_key(service, PASSPHRASE)
    monkeypatch.setenv(signing.PASSPHRASE_ENV, PASSPHRASE)
    pack_head = chain_head(service)
    record_pack(service, "pack.pdf", pack_head, {})  # signs at pack time
    assert pack_head in signing.signatures(service)
    service.register.dispose()

    code, out = head_check(db_path, pack_head, capsys)
    assert code == 0 and "Signature: signed with this register's key" in out
    # A head that is on the chain but was never signed (e.g. a forged pack's).
    code, out = head_check(db_path, heads[2], capsys)
    assert code == 1 and "never signed" in out

    monkeypatch.setenv(signing.PASSPHRASE_ENV, "a guess at the passphrase")
    code, out = head_check(db_path, pack_head, capsys)
    assert code == 1 and "does not match this register's signing key" in out

    # Without a passphrase the head is checked and the signature said to be unchecked.
    monkeypatch.delenv(signing.PASSPHRASE_ENV)
    code, out = head_check(db_path, pack_head, capsys)
    assert code == 0 and "Signature: not verified" in out


def test_a_forger_cannot_sign_a_head_or_swap_the_key(
    service: RegisterService, heads: list[str], db_path: Path
) -> None:
    signing.set_key(service, PASSPHRASE)
    real = signing.sign_head(service, heads[0], PASSPHRASE)
    # A forger writes a signature for another head, with a key they made up.
    forged = signing.head_signature(b"\x00" * 32, heads[1])
    with service.action() as uow:
        uow.update(
            "setting",
            signing.SIGNATURES_SETTING,
            {"value": f'{{"{heads[0]}": "{real}", "{heads[1]}": "{forged}"}}'},
        )
    assert signing.verify_head_signature(service, heads[0], PASSPHRASE).ok
    result = signing.verify_head_signature(service, heads[1], PASSPHRASE)
    assert not result.ok and "forged" in result.message
    # Or replaces the key with one of their own: the champion's passphrase no longer fits.
    signing_key = service.get("setting", signing.KEY_SETTING)
    service.register.dispose()
    con = sqlite3.connect(db_path)
    salt = json.loads(signing_key["value"])["salt"]
    con.execute(
        "UPDATE setting SET value = replace(value, ?, ?) WHERE key = ?",
        (salt, "0" * len(salt), signing.KEY_SETTING),
    )
    con.commit()
    con.close()
    assert not signing.verify_head_signature(service, heads[0], PASSPHRASE).ok


def test_sign_cli_sets_a_key_and_signs(
    service: RegisterService,
    heads: list[str],
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service.register.dispose()
    monkeypatch.setenv(signing.PASSPHRASE_ENV, "short")
    assert main(["sign", "--set-key", "--db", str(db_path)]) == 1
    assert "at least 10 characters" in capsys.readouterr().err
    monkeypatch.setenv(signing.PASSPHRASE_ENV, PASSPHRASE)
    assert main(["sign", "--set-key", "--db", str(db_path)]) == 0
    assert main(["sign", "--db", str(db_path)]) == 0
    signed = capsys.readouterr().out.splitlines()[-1].removeprefix("Signed chain head ")[:64]
    code, out = head_check(db_path, signed, capsys)
    assert code == 0 and "signed with this register's key" in out


def test_sign_an_earlier_head_only_if_it_is_on_the_chain(
    service: RegisterService,
    heads: list[str],
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signing.set_key(service, PASSPHRASE)
    service.register.dispose()
    monkeypatch.setenv(signing.PASSPHRASE_ENV, PASSPHRASE)
    assert main(["sign", "--head", "cd" * 32, "--db", str(db_path)]) == 1
    assert "not on this register's audit chain" in capsys.readouterr().err
    assert main(["sign", "--head", heads[0], "--db", str(db_path)]) == 0
    code, out = head_check(db_path, heads[0], capsys)
    assert code == 0 and "signed with this register's key" in out
