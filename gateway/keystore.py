"""Stored provider keys (bring your own key): an encrypted key file, and the lookup the
gateway uses to inject a provider's key into a request that carries none.

The file is one AES-256-GCM message over a small JSON document; its key is derived with
scrypt from a secret in the environment (``WEIR_KEYS_SECRET`` by default), so the file
alone — in a backup, in a container image — reveals nothing, not even which providers
have keys. Entries are listed only by id, provider and a short fingerprint. Writes go to
a temporary file renamed over the old one, so a crash never leaves half a key file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

DEFAULT_SECRET_ENV = "WEIR_KEYS_SECRET"
_FORMAT = "weir-keys-v1"
_SCRYPT_N = 2**15
_MIN_SECRET = 16


class KeyStoreError(ValueError):
    """The key file cannot be used; the message names the file and the problem, never a key."""


@dataclass(frozen=True, slots=True)
class StoredKey:
    id: str
    provider: str
    key: str
    created_at: float

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)

    def __repr__(self) -> str:  # a stray log line must not print the key
        return f"StoredKey(id={self.id!r}, provider={self.provider!r}, fingerprint={self.fingerprint!r})"


def fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


class KeyStore:
    def __init__(self, path: str | Path, secret: str) -> None:
        if len(secret) < _MIN_SECRET:
            raise KeyStoreError(f"the key-file secret must be at least {_MIN_SECRET} characters")
        self.path = Path(path)
        self._secret = secret.encode()

    @classmethod
    def from_env(cls, path: str | Path, secret_env: str = DEFAULT_SECRET_ENV) -> KeyStore:
        secret = os.environ.get(secret_env)
        if not secret:
            raise KeyStoreError(f"{path}: set {secret_env} to the key file's secret")
        return cls(path, secret)

    def __repr__(self) -> str:
        return f"KeyStore({str(self.path)!r})"

    def load(self) -> list[StoredKey]:
        """Every stored key; an absent file is an empty store."""
        try:
            raw = json.loads(self.path.read_text())
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise KeyStoreError(f"{self.path}: not a readable Weir key file ({type(exc).__name__})") from None
        if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
            raise KeyStoreError(f"{self.path}: not a Weir key file (expected format {_FORMAT})")
        try:
            salt, nonce, ciphertext = (base64.b64decode(raw[name]) for name in ("salt", "nonce", "ciphertext"))
            plain = AESGCM(self._file_key(salt)).decrypt(nonce, ciphertext, _FORMAT.encode())
            document = json.loads(plain)
        except InvalidTag:
            raise KeyStoreError(f"{self.path}: does not decrypt: wrong secret, or the file was altered") from None
        except (KeyError, ValueError, TypeError):
            raise KeyStoreError(f"{self.path}: the key file is damaged") from None
        return [StoredKey(e["id"], e["provider"], e["key"], float(e["created_at"])) for e in document["keys"]]

    def save(self, keys: list[StoredKey]) -> None:
        document = {
            "keys": [{"id": k.id, "provider": k.provider, "key": k.key, "created_at": k.created_at} for k in keys]
        }
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        ciphertext = AESGCM(self._file_key(salt)).encrypt(nonce, json.dumps(document).encode(), _FORMAT.encode())
        payload: dict[str, Any] = {
            "format": _FORMAT,
            "kdf": {"name": "scrypt", "n": _SCRYPT_N, "r": 8, "p": 1},
            "salt": base64.b64encode(salt).decode(),
            "nonce": base64.b64encode(nonce).decode(),
            "ciphertext": base64.b64encode(ciphertext).decode(),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            json.dump(payload, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)

    def add(self, provider: str, key: str) -> StoredKey:
        if not key.strip():
            raise KeyStoreError("the key is empty")
        entry = StoredKey(f"key_{secrets.token_hex(4)}", provider, key.strip(), time.time())
        self.save([*self.load(), entry])
        return entry

    def remove(self, key_id: str) -> StoredKey:
        keys = self.load()
        found = next((k for k in keys if k.id == key_id), None)
        if found is None:
            raise KeyStoreError(f"no stored key has the id {key_id!r}; `weir keys list` shows them")
        self.save([k for k in keys if k.id != key_id])
        return found

    def rotate(self, provider: str, key: str) -> tuple[StoredKey, list[StoredKey]]:
        """Replace ``provider``'s keys with ``key``; returns the new entry and the retired ones."""
        keys = self.load()
        retired = [k for k in keys if k.provider == provider]
        if not retired:
            raise KeyStoreError(f"no key is stored for {provider!r}; use `weir keys add`")
        entry = StoredKey(f"key_{secrets.token_hex(4)}", provider, key.strip(), time.time())
        self.save([k for k in keys if k.provider != provider] + [entry])
        return entry, retired

    def by_provider(self) -> dict[str, StoredKey]:
        """The key to inject per provider: the newest one stored for it."""
        chosen: dict[str, StoredKey] = {}
        for entry in sorted(self.load(), key=lambda k: k.created_at):
            chosen[entry.provider] = entry
        return chosen

    def _file_key(self, salt: bytes) -> bytes:
        return Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=8, p=1).derive(self._secret)


def stored_keys(path: str, secret_env: str) -> dict[str, StoredKey]:
    """The keys to inject at start-up; nothing when no key file is configured."""
    if not path:
        return {}
    store = KeyStore.from_env(path, secret_env)
    if not store.path.exists():
        raise KeyStoreError(f"{path}: no such key file; `weir keys add PROVIDER` creates it")
    return store.by_provider()
