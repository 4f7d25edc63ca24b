"""The sealed-payload envelope for request-log bodies, and the operator's X25519 key files.

Every body is its own AEAD message, sealed with HPKE base mode (``gateway.logs.hpke``) to
the operator's public key, with its record id as the associated data: a blob moved to
another record, or altered by one bit, does not open. The log writer seals a whole batch
with one ``PayloadSealer``: one key encapsulation (~90 µs, an X25519 key generation and
exchange) shared by the batch, one sequence number per body, so logging costs a few
microseconds a body rather than an encapsulation each. The envelope carries what opening
needs, so a blob stands alone::

    version (1 byte, 0x01) || enc (32 bytes) || seq (4 bytes, big-endian) || ciphertext + tag (16)

Key files are PEM: the private key as unencrypted PKCS#8, written 0o600; the public
key as SubjectPublicKeyInfo. Errors name the file and the problem, never key contents.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from gateway.logs.hpke import (
    N_ENC,
    N_PK,
    N_SK,
    N_T,
    HpkeError,
    KeySchedule,
    OpenError,
    ReceiverContext,
    decap,
    generate_key_pair,
    key_schedule,
    setup_base_s,
)

__all__ = [
    "ENVELOPE_VERSION",
    "EnvelopeError",
    "KeyFileError",
    "PayloadOpener",
    "PayloadSealer",
    "generate_key_pair",
    "load_private_key",
    "load_public_key",
    "open_payload",
    "seal_payload",
    "write_private_key",
    "write_public_key",
]

ENVELOPE_VERSION = 0x01
# Changing this string makes every existing blob unreadable: bump ENVELOPE_VERSION with it.
_INFO = b"weir request log v1"
_SEQ_BYTES = 4
_MAX_SEQ = (1 << (8 * _SEQ_BYTES)) - 1
_HEADER = 1 + N_ENC + _SEQ_BYTES
_MIN_ENVELOPE = _HEADER + N_T
_DOES_NOT_DECRYPT = "does not decrypt: wrong key, wrong record id or tampered ciphertext"


class EnvelopeError(HpkeError):
    """A sealed payload is malformed or does not open."""


class KeyFileError(Exception):
    """A key file is missing, unreadable, not an X25519 key, or would be overwritten."""


class PayloadSealer:
    """Seals the bodies of one batch to ``public_key``: one encapsulation, a message per body."""

    def __init__(self, public_key: bytes) -> None:
        enc, self._context = setup_base_s(public_key, _INFO)
        self._prefix = bytes([ENVELOPE_VERSION]) + enc

    def seal(self, record_id: str, body: bytes) -> bytes:
        seq = self._context.seq
        if seq > _MAX_SEQ:
            raise EnvelopeError(f"a sealer seals at most {_MAX_SEQ + 1} bodies; start another")
        return self._prefix + seq.to_bytes(_SEQ_BYTES, "big") + self._context.seal(record_id.encode("utf-8"), body)


def seal_payload(public_key: bytes, record_id: str, body: bytes) -> bytes:
    """Seal one ``body`` to ``public_key``, bound to ``record_id``, with its own encapsulation."""
    return PayloadSealer(public_key).seal(record_id, body)


class PayloadOpener:
    """Opens blobs with one private key, remembering the key schedule of each batch it met:
    decrypting a column of a thousand rows then costs one decapsulation per batch."""

    def __init__(self, private_key: bytes, cache_size: int = 256) -> None:
        if len(private_key) != N_SK:
            raise HpkeError(f"recipient private key must be {N_SK} bytes, got {len(private_key)}")
        self._private_key = private_key
        self._schedules: dict[bytes, KeySchedule] = {}
        self._cache_size = cache_size

    def __repr__(self) -> str:
        return "PayloadOpener()"

    def open(self, record_id: str, blob: bytes) -> bytes:
        """The body sealed in ``blob`` for ``record_id``; ``EnvelopeError`` says what is wrong."""
        if not blob:
            raise EnvelopeError("envelope too short: 0 bytes")
        if blob[0] != ENVELOPE_VERSION:
            raise EnvelopeError(f"unknown envelope version {blob[0]}")
        if len(blob) < _MIN_ENVELOPE:
            raise EnvelopeError(f"envelope too short: {len(blob)} bytes, at least {_MIN_ENVELOPE} expected")
        enc = blob[1 : 1 + N_ENC]
        seq = int.from_bytes(blob[1 + N_ENC : _HEADER], "big")
        try:
            context = ReceiverContext(self._schedule(enc), seq)
            return context.open(record_id.encode("utf-8"), blob[_HEADER:])
        except OpenError:
            raise EnvelopeError(_DOES_NOT_DECRYPT) from None

    def _schedule(self, enc: bytes) -> KeySchedule:
        schedule = self._schedules.get(enc)
        if schedule is None:
            schedule = key_schedule(decap(enc, self._private_key), _INFO)
            if len(self._schedules) >= self._cache_size:
                self._schedules.pop(next(iter(self._schedules)))
            self._schedules[enc] = schedule
        return schedule


def open_payload(private_key: bytes, record_id: str, blob: bytes) -> bytes:
    """Open a blob made by ``seal_payload`` or a ``PayloadSealer``."""
    return PayloadOpener(private_key).open(record_id, blob)


def write_private_key(path: str | os.PathLike[str], private_key: bytes) -> None:
    """Write ``private_key`` as unencrypted PKCS#8 PEM, mode 0o600; never overwrites."""
    if len(private_key) != N_SK:
        raise KeyFileError(f"private key must be {N_SK} bytes, got {len(private_key)}")
    pem = X25519PrivateKey.from_private_bytes(private_key).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write_new(Path(path), pem, 0o600)


def write_public_key(path: str | os.PathLike[str], public_key: bytes) -> None:
    """Write ``public_key`` as SubjectPublicKeyInfo PEM; never overwrites."""
    if len(public_key) != N_PK:
        raise KeyFileError(f"public key must be {N_PK} bytes, got {len(public_key)}")
    pem = X25519PublicKey.from_public_bytes(public_key).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_new(Path(path), pem, 0o644)


def load_private_key(path: str | os.PathLike[str]) -> bytes:
    """The raw X25519 private key in the PKCS#8 PEM file at ``path``."""
    path = Path(path)
    data = _read(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise KeyFileError(f"{path}: private key is password-protected; write it unencrypted") from None
    except (ValueError, UnsupportedAlgorithm):
        raise KeyFileError(f"{path}: not a PEM private key") from None
    if not isinstance(key, X25519PrivateKey):
        raise KeyFileError(f"{path}: not an X25519 private key (key type: {_kind(key)})")
    return key.private_bytes_raw()


def load_public_key(path: str | os.PathLike[str]) -> bytes:
    """The raw X25519 public key in the SubjectPublicKeyInfo PEM file at ``path``."""
    path = Path(path)
    data = _read(path)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise KeyFileError(f"{path}: not a PEM public key") from None
    if not isinstance(key, X25519PublicKey):
        raise KeyFileError(f"{path}: not an X25519 public key (key type: {_kind(key)})")
    return key.public_bytes_raw()


def _kind(key: object) -> str:
    # "Ed25519PrivateKey" -> "Ed25519": the class name says the algorithm and nothing secret.
    name = type(key).__name__
    for suffix in ("PrivateKey", "PublicKey"):
        name = name.removesuffix(suffix)
    return name.removeprefix("_")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"{path}: no such key file") from None
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read key file ({exc.strerror})") from None


def _write_new(path: Path, data: bytes, mode: int) -> None:
    try:
        # O_EXCL: replacing a key file would strand every payload sealed to the old key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise KeyFileError(f"{path}: already exists; refusing to overwrite a key file") from None
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot create key file ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as file:
            # The umask may have narrowed the mode; set it exactly.
            os.fchmod(file.fileno(), mode)
            file.write(data)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise KeyFileError(f"{path}: cannot write key file ({exc.strerror})") from None
