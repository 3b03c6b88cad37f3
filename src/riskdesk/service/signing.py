"""An optional signing key: the champion's passphrase vouches for each pack's chain head.

A chain head printed in a board pack proves which register the pack came from — unless
someone rewrites the register *and* prints a new pack from it. With a signing key set,
each head is also HMAC-ed at pack time with a key derived from a passphrase only the
champion knows (``hashlib.scrypt``; the salt, cost and a key verifier are stored in the
register, the key never is). ``riskdesk check --head HASH`` with the passphrase then
accepts a head only if its signature verifies: a forger without the passphrase cannot
produce one, and replacing the stored key with their own fails the verifier.

Settings (audited like every other write):
- ``signing_key``: ``{"kdf": "scrypt", "salt", "n", "r", "p", "verifier"}``
- ``head_signatures``: ``{head: hmac}`` for every signed head.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

from riskdesk.service.errors import ServiceError
from riskdesk.service.register import RegisterService

KEY_SETTING = "signing_key"
SIGNATURES_SETTING = "head_signatures"
PASSPHRASE_ENV = "RISKDESK_PASSPHRASE"
MIN_PASSPHRASE = 10
# scrypt cost: about 16 MiB and a twentieth of a second per derivation.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_VERIFIER_TEXT = b"riskdesk signing key verifier"
_HEAD_PREFIX = b"riskdesk chain head:"


class SigningError(ServiceError):
    """A signing request that cannot be honoured (no key, wrong passphrase…)."""


def _derive(passphrase: str, params: dict[str, Any]) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=bytes.fromhex(str(params["salt"])),
        n=int(params["n"]),
        r=int(params["r"]),
        p=int(params["p"]),
        maxmem=128 * 1024 * 1024,
        dklen=32,
    )


def _mac(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def key_params(service: RegisterService) -> dict[str, Any] | None:
    stored = service.setting(KEY_SETTING)
    return stored if isinstance(stored, dict) else None


def has_key(service: RegisterService) -> bool:
    return key_params(service) is not None


def set_key(service: RegisterService, passphrase: str) -> None:
    """Set the register's signing key (once: a second key would orphan old signatures)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise SigningError(f"the passphrase must be at least {MIN_PASSPHRASE} characters")
    if has_key(service):
        raise SigningError("this register already has a signing key")
    params: dict[str, Any] = {"kdf": "scrypt", "salt": secrets.token_hex(16), **SCRYPT}
    params["verifier"] = _mac(_derive(passphrase, params), _VERIFIER_TEXT)
    service.create("setting", {"key": KEY_SETTING, "value": json.dumps(params, sort_keys=True)})


def _key(service: RegisterService, passphrase: str) -> bytes:
    params = key_params(service)
    if params is None:
        raise SigningError("this register has no signing key")
    try:
        key = _derive(passphrase, params)
    except (KeyError, TypeError, ValueError) as exc:
        raise SigningError(f"the stored signing key is damaged ({exc})") from exc
    if not hmac.compare_digest(_mac(key, _VERIFIER_TEXT), str(params.get("verifier", ""))):
        raise SigningError(
            "the passphrase does not match this register's signing key (a wrong "
            "passphrase, or the key was replaced)"
        )
    return key


def head_signature(key: bytes, head: str) -> str:
    return _mac(key, _HEAD_PREFIX + head.encode("ascii"))


def signatures(service: RegisterService) -> dict[str, str]:
    stored = service.setting(SIGNATURES_SETTING)
    return dict(stored) if isinstance(stored, dict) else {}


def sign_head(service: RegisterService, head: str, passphrase: str) -> str:
    """HMAC ``head`` with the register's key and store it (audited); returns the MAC."""
    mac = head_signature(_key(service, passphrase), head)
    current = signatures(service)
    current[head] = mac
    value = json.dumps(current, sort_keys=True)
    with service.action() as uow:
        if uow.row("setting", SIGNATURES_SETTING) is None:
            uow.create("setting", {"key": SIGNATURES_SETTING, "value": value})
        else:
            uow.update("setting", SIGNATURES_SETTING, {"value": value})
    return mac


def sign_if_keyed(service: RegisterService, head: str) -> str | None:
    """At pack time: sign when a key is set and the passphrase is in the environment."""
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase or not has_key(service):
        return None
    return sign_head(service, head, passphrase)


@dataclass(frozen=True)
class SignatureCheck:
    ok: bool
    message: str


def verify_head_signature(service: RegisterService, head: str, passphrase: str) -> SignatureCheck:
    """Was ``head`` signed with the key this passphrase derives?"""
    try:
        key = _key(service, passphrase)
    except SigningError as exc:
        return SignatureCheck(False, str(exc))
    stored = signatures(service).get(head)
    if stored is None:
        return SignatureCheck(False, "that head was never signed with this register's key")
    if not hmac.compare_digest(stored, head_signature(key, head)):
        return SignatureCheck(False, "that head's signature does not verify: it was forged")
    return SignatureCheck(True, "signed with this register's key")
