"""The request-log payload envelope and the operator's key files."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from gateway.logs.hpke import HpkeError
from gateway.logs.sealed import (
    EnvelopeError,
    KeyFileError,
    PayloadOpener,
    PayloadSealer,
    generate_key_pair,
    load_private_key,
    load_public_key,
    open_payload,
    seal_payload,
    write_private_key,
    write_public_key,
)

RECORD_ID = "01J9Z6Q6V4X2T8K3M5N7P9R1S3"
BODY = b'{"messages": [{"role": "user", "content": "my card is 4111 1111 1111 1111"}]}'
DOES_NOT_DECRYPT = "does not decrypt: wrong key, wrong record id or tampered ciphertext"


@pytest.fixture
def keys() -> tuple[bytes, bytes]:
    return generate_key_pair()


def assert_no_secret(message: str, private_key: bytes) -> None:
    assert private_key.hex() not in message
    assert repr(private_key) not in message
    assert "PRIVATE KEY" not in message


def test_round_trip(keys: tuple[bytes, bytes]) -> None:
    private_key, public_key = keys
    blob = seal_payload(public_key, RECORD_ID, BODY)
    assert blob[0] == 0x01
    assert len(blob) == 1 + 32 + 4 + len(BODY) + 16
    assert BODY not in blob
    assert open_payload(private_key, RECORD_ID, blob) == BODY


def test_each_seal_is_fresh(keys: tuple[bytes, bytes]) -> None:
    _, public_key = keys
    assert seal_payload(public_key, RECORD_ID, BODY) != seal_payload(public_key, RECORD_ID, BODY)


@pytest.mark.parametrize("body", [b"", os.urandom(1024 * 1024)], ids=["empty", "1MB"])
def test_round_trip_sizes(keys: tuple[bytes, bytes], body: bytes) -> None:
    private_key, public_key = keys
    assert open_payload(private_key, RECORD_ID, seal_payload(public_key, RECORD_ID, body)) == body


@pytest.mark.parametrize(
    ("position", "message"),
    [
        (0, "unknown envelope version 0"),  # version byte
        (1, DOES_NOT_DECRYPT),  # first byte of enc
        (32, DOES_NOT_DECRYPT),  # last byte of enc
        (33, DOES_NOT_DECRYPT),  # first byte of the sequence number
        (36, DOES_NOT_DECRYPT),  # last byte of the sequence number
        (37, DOES_NOT_DECRYPT),  # first ciphertext byte
        (44, DOES_NOT_DECRYPT),  # inside the ciphertext body
        (-16, DOES_NOT_DECRYPT),  # first tag byte
        (-1, DOES_NOT_DECRYPT),  # last tag byte
    ],
)
def test_tampering_with_any_byte_fails(keys: tuple[bytes, bytes], position: int, message: str) -> None:
    private_key, public_key = keys
    blob = bytearray(seal_payload(public_key, RECORD_ID, BODY))
    blob[position] ^= 0x01
    with pytest.raises(EnvelopeError, match=message) as info:
        open_payload(private_key, RECORD_ID, bytes(blob))
    assert_no_secret(str(info.value), private_key)


def test_wrong_record_id_fails(keys: tuple[bytes, bytes]) -> None:
    private_key, public_key = keys
    blob = seal_payload(public_key, RECORD_ID, BODY)
    with pytest.raises(EnvelopeError, match=DOES_NOT_DECRYPT):
        open_payload(private_key, RECORD_ID + "x", blob)


def test_wrong_private_key_fails(keys: tuple[bytes, bytes]) -> None:
    _, public_key = keys
    other_private, _ = generate_key_pair()
    blob = seal_payload(public_key, RECORD_ID, BODY)
    with pytest.raises(EnvelopeError, match=DOES_NOT_DECRYPT) as info:
        open_payload(other_private, RECORD_ID, blob)
    assert_no_secret(str(info.value), other_private)


@pytest.mark.parametrize("length", [0, 1, 33, 52])
def test_truncated_blob(keys: tuple[bytes, bytes], length: int) -> None:
    private_key, public_key = keys
    blob = seal_payload(public_key, RECORD_ID, b"")
    assert len(blob) == 53
    with pytest.raises(EnvelopeError, match="envelope too short"):
        open_payload(private_key, RECORD_ID, blob[:length])


def test_truncated_ciphertext_does_not_decrypt(keys: tuple[bytes, bytes]) -> None:
    private_key, public_key = keys
    blob = seal_payload(public_key, RECORD_ID, BODY)
    with pytest.raises(EnvelopeError, match=DOES_NOT_DECRYPT):
        open_payload(private_key, RECORD_ID, blob[:-1])


def test_unknown_version(keys: tuple[bytes, bytes]) -> None:
    private_key, public_key = keys
    blob = seal_payload(public_key, RECORD_ID, BODY)
    with pytest.raises(EnvelopeError, match="unknown envelope version 7"):
        open_payload(private_key, RECORD_ID, b"\x07" + blob[1:])


def test_a_batch_shares_one_encapsulation_and_each_body_opens_alone(keys: tuple[bytes, bytes]) -> None:
    private_key, public_key = keys
    sealer = PayloadSealer(public_key)
    blobs = [sealer.seal(f"record-{i}", b"body %d" % i) for i in range(5)]
    assert len({blob[1:33] for blob in blobs}) == 1  # one enc
    assert [int.from_bytes(blob[33:37], "big") for blob in blobs] == [0, 1, 2, 3, 4]
    opener = PayloadOpener(private_key)
    for i in reversed(range(5)):  # any order: each blob carries its own sequence number
        assert opener.open(f"record-{i}", blobs[i]) == b"body %d" % i
    assert open_payload(private_key, "record-3", blobs[3]) == b"body 3"


def test_a_blob_moved_to_another_record_of_its_batch_fails(keys: tuple[bytes, bytes]) -> None:
    private_key, public_key = keys
    sealer = PayloadSealer(public_key)
    first, second = sealer.seal("a", BODY), sealer.seal("b", BODY)
    with pytest.raises(EnvelopeError, match=DOES_NOT_DECRYPT):
        open_payload(private_key, "b", first)
    # Nor does swapping sequence numbers between records of the batch help.
    with pytest.raises(EnvelopeError, match=DOES_NOT_DECRYPT):
        open_payload(private_key, "a", first[:33] + second[33:37] + first[37:])


def test_opener_repr_shows_no_key(keys: tuple[bytes, bytes]) -> None:
    private_key, _ = keys
    assert_no_secret(repr(PayloadOpener(private_key)), private_key)


def test_envelope_errors_are_hpke_errors() -> None:
    assert issubclass(EnvelopeError, HpkeError)


# Key files.


def test_key_files_round_trip(tmp_path: Path, keys: tuple[bytes, bytes]) -> None:
    private_key, public_key = keys
    write_private_key(tmp_path / "weir.key", private_key)
    write_public_key(tmp_path / "weir.pub", public_key)
    assert load_private_key(tmp_path / "weir.key") == private_key
    assert load_public_key(str(tmp_path / "weir.pub")) == public_key
    assert (tmp_path / "weir.key").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "weir.pub").read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    blob = seal_payload(load_public_key(tmp_path / "weir.pub"), RECORD_ID, BODY)
    assert open_payload(load_private_key(tmp_path / "weir.key"), RECORD_ID, blob) == BODY


def test_private_key_file_mode(tmp_path: Path, keys: tuple[bytes, bytes]) -> None:
    old_umask = os.umask(0)
    try:
        write_private_key(tmp_path / "weir.key", keys[0])
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "weir.key").stat().st_mode) == 0o600


@pytest.mark.parametrize("which", ["private", "public"])
def test_refuses_to_overwrite(tmp_path: Path, keys: tuple[bytes, bytes], which: str) -> None:
    path = tmp_path / "existing"
    path.write_bytes(b"keep me")
    with pytest.raises(KeyFileError, match="already exists; refusing to overwrite") as info:
        if which == "private":
            write_private_key(path, keys[0])
        else:
            write_public_key(path, keys[1])
    assert path.read_bytes() == b"keep me"
    assert str(path) in str(info.value)
    assert_no_secret(str(info.value), keys[0])


@pytest.mark.parametrize("load", [load_private_key, load_public_key])
def test_missing_file(tmp_path: Path, load: Callable[[Path], bytes]) -> None:
    path = tmp_path / "nope.pem"
    with pytest.raises(KeyFileError, match="no such key file") as info:
        load(path)
    assert str(path) in str(info.value)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="cannot read key file") as info:
        load_public_key(tmp_path)
    assert str(tmp_path) in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path, keys: tuple[bytes, bytes]) -> None:
    path = tmp_path / "weir.key"
    write_private_key(path, keys[0])
    path.chmod(0)
    with pytest.raises(KeyFileError, match="cannot read key file") as info:
        load_private_key(path)
    assert_no_secret(str(info.value), keys[0])


@pytest.mark.parametrize(
    ("load", "message"),
    [(load_private_key, "not a PEM private key"), (load_public_key, "not a PEM public key")],
)
def test_garbage_file(tmp_path: Path, load: Callable[[Path], bytes], message: str) -> None:
    path = tmp_path / "garbage.pem"
    path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
    with pytest.raises(KeyFileError, match=message) as info:
        load(path)
    assert str(path) in str(info.value)
    assert "bm90IGEga2V5" not in str(info.value)


def test_public_key_file_given_as_private(tmp_path: Path, keys: tuple[bytes, bytes]) -> None:
    write_private_key(tmp_path / "weir.key", keys[0])
    with pytest.raises(KeyFileError, match="not a PEM public key") as info:
        load_public_key(tmp_path / "weir.key")
    assert_no_secret(str(info.value), keys[0])


def test_ed25519_keys_are_refused(tmp_path: Path) -> None:
    ed_key = Ed25519PrivateKey.generate()
    private_pem = ed_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = ed_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "ed.key").write_bytes(private_pem)
    (tmp_path / "ed.pub").write_bytes(public_pem)
    with pytest.raises(KeyFileError, match=r"not an X25519 private key \(key type: Ed25519\)") as info:
        load_private_key(tmp_path / "ed.key")
    raw = ed_key.private_bytes_raw()
    assert_no_secret(str(info.value), raw)
    assert private_pem.decode() not in str(info.value)
    with pytest.raises(KeyFileError, match=r"not an X25519 public key \(key type: Ed25519\)"):
        load_public_key(tmp_path / "ed.pub")


def test_encrypted_private_key_is_refused(tmp_path: Path) -> None:
    pem = X25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"hunter2"),
    )
    (tmp_path / "enc.key").write_bytes(pem)
    with pytest.raises(KeyFileError, match="password-protected"):
        load_private_key(tmp_path / "enc.key")


@pytest.mark.parametrize("length", [0, 31, 33])
def test_write_rejects_wrong_key_length(tmp_path: Path, length: int) -> None:
    with pytest.raises(KeyFileError, match=f"private key must be 32 bytes, got {length}"):
        write_private_key(tmp_path / "weir.key", bytes(length))
    with pytest.raises(KeyFileError, match=f"public key must be 32 bytes, got {length}"):
        write_public_key(tmp_path / "weir.pub", bytes(length))
    assert not list(tmp_path.iterdir())
