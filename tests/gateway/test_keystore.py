"""The encrypted provider-key file: round trips, refuses the wrong secret and tampering,
and never shows a key."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from gateway.keystore import KeyStore, KeyStoreError, stored_keys

SECRET = "correct horse battery staple"
KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"


def test_add_list_remove_round_trip(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json", SECRET)
    entry = store.add("openai", KEY)
    assert [(k.id, k.provider, k.key) for k in store.load()] == [(entry.id, "openai", KEY)]
    assert KEY not in repr(entry) and entry.fingerprint in repr(entry)
    store.remove(entry.id)
    assert store.load() == []


def test_the_file_holds_no_key_and_no_provider_name(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    KeyStore(path, SECRET).add("anthropic", KEY)
    raw = path.read_text()
    assert KEY not in raw and "anthropic" not in raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_wrong_secret_and_tampering_fail_clearly(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    KeyStore(path, SECRET).add("openai", KEY)
    with pytest.raises(KeyStoreError, match="does not decrypt: wrong secret, or the file was altered") as info:
        KeyStore(path, "another secret entirely").load()
    assert KEY not in str(info.value)
    document = json.loads(path.read_text())
    document["ciphertext"] = document["ciphertext"][:-8] + "AAAAAAA="
    path.write_text(json.dumps(document))
    with pytest.raises(KeyStoreError, match="does not decrypt"):
        KeyStore(path, SECRET).load()
    path.write_text("{not json")
    with pytest.raises(KeyStoreError, match="not a readable Weir key file"):
        KeyStore(path, SECRET).load()


def test_rotate_replaces_a_providers_keys(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json", SECRET)
    old = store.add("openai", KEY)
    store.add("anthropic", "sk-ant-xyz")
    _, retired = store.rotate("openai", "sk-new-key")
    assert retired == [old]
    assert store.by_provider()["openai"].key == "sk-new-key"
    assert store.by_provider()["anthropic"].key == "sk-ant-xyz"
    with pytest.raises(KeyStoreError, match="no key is stored for 'mistral'"):
        store.rotate("mistral", "x")


def test_remove_unknown_and_short_secret(tmp_path: Path) -> None:
    with pytest.raises(KeyStoreError, match="at least 16 characters"):
        KeyStore(tmp_path / "k.json", "short")
    with pytest.raises(KeyStoreError, match="no stored key has the id 'key_nope'"):
        KeyStore(tmp_path / "k.json", SECRET).remove("key_nope")


def test_stored_keys_at_startup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "keys.json"
    assert stored_keys("", "WEIR_KEYS_SECRET") == {}
    monkeypatch.delenv("WEIR_KEYS_SECRET", raising=False)
    with pytest.raises(KeyStoreError, match="set WEIR_KEYS_SECRET"):
        stored_keys(str(path), "WEIR_KEYS_SECRET")
    monkeypatch.setenv("WEIR_KEYS_SECRET", SECRET)
    with pytest.raises(KeyStoreError, match="no such key file"):
        stored_keys(str(path), "WEIR_KEYS_SECRET")
    KeyStore(path, SECRET).add("openai", KEY)
    assert stored_keys(str(path), "WEIR_KEYS_SECRET")["openai"].key == KEY
