"""HPKE base mode against RFC 9180 Appendix A.2.1, plus the failure paths the RFC requires."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gateway.logs import hpke
from gateway.logs.hpke import HpkeError, KeySchedule, MessageLimitError, OpenError, ReceiverContext, SenderContext

VECTORS_PATH = Path(__file__).parent / "data" / "hpke-rfc9180-x25519-sha256-chacha20poly1305-base.json"
VECTORS: dict[str, Any] = json.loads(VECTORS_PATH.read_text())
SETUP: dict[str, Any] = VECTORS["setup"]
ENCRYPTIONS: list[dict[str, Any]] = VECTORS["encryptions"]
EXPORTS: list[dict[str, Any]] = VECTORS["exports"]


def h(name: str) -> bytes:
    return bytes.fromhex(SETUP[name])


def schedule() -> KeySchedule:
    return hpke.key_schedule(h("shared_secret"), h("info"))


def test_vectors_are_for_this_suite() -> None:
    assert (SETUP["mode"], SETUP["kem_id"], SETUP["kdf_id"], SETUP["aead_id"]) == (
        hpke.MODE_BASE,
        hpke.KEM_ID,
        hpke.KDF_ID,
        hpke.AEAD_ID,
    )


@pytest.mark.parametrize("who", ["E", "R"])
def test_derive_key_pair(who: str) -> None:
    assert hpke.derive_key_pair(h(f"ikm{who}")) == (h(f"sk{who}m"), h(f"pk{who}m"))


def test_encap_with_fixed_ephemeral_key() -> None:
    shared_secret, enc = hpke.encap(h("pkRm"), sk_e=h("skEm"))
    assert enc == h("enc")
    assert shared_secret == h("shared_secret")


def test_decap() -> None:
    assert hpke.decap(h("enc"), h("skRm")) == h("shared_secret")


def test_key_schedule() -> None:
    ks = schedule()
    assert ks.key_schedule_context == h("key_schedule_context")
    assert ks.secret == h("secret")
    assert ks.key == h("key")
    assert ks.base_nonce == h("base_nonce")
    assert ks.exporter_secret == h("exporter_secret")


def test_key_schedule_repr_hides_secrets() -> None:
    text = repr(schedule())
    for name in ("secret", "key", "base_nonce", "exporter_secret"):
        assert h(name).hex() not in text
        assert repr(h(name)) not in text


def test_setup_base_s_with_fixed_ephemeral_key_seals_first_vector() -> None:
    enc, sender = hpke.setup_base_s(h("pkRm"), h("info"), sk_e=h("skEm"))
    first = ENCRYPTIONS[0]
    assert first["sequence_number"] == 0
    assert enc == h("enc")
    assert sender.seal(bytes.fromhex(first["aad"]), bytes.fromhex(first["pt"])) == bytes.fromhex(first["ct"])


def advance(sender: SenderContext, receiver: ReceiverContext, seq: int) -> None:
    # The vectors skip sequence numbers; exchanging throwaway messages is the only public way forward.
    while sender.seq < seq:
        assert receiver.open(b"", sender.seal(b"", b"")) == b""


def test_every_encryption_seals_and_opens() -> None:
    sender = SenderContext(schedule())
    receiver = hpke.setup_base_r(h("enc"), h("skRm"), h("info"))
    for vector in ENCRYPTIONS:
        seq = vector["sequence_number"]
        aad, pt, ct = (bytes.fromhex(vector[k]) for k in ("aad", "pt", "ct"))
        advance(sender, receiver, seq)
        assert sender.seq == receiver.seq == seq
        assert sender._next_nonce() == bytes.fromhex(vector["nonce"])
        assert sender.seal(aad, pt) == ct, f"sequence number {seq}"
        assert receiver.open(aad, ct) == pt, f"sequence number {seq}"


def test_vectors_skip_sequence_numbers() -> None:
    # Guards advance(): if the vectors change shape, the test above still walks them in order.
    seqs = [v["sequence_number"] for v in ENCRYPTIONS]
    assert seqs == sorted(seqs)
    assert seqs != list(range(len(seqs)))


@pytest.mark.parametrize("vector", EXPORTS, ids=lambda v: v["exporter_context"] or "empty")
def test_export(vector: dict[str, Any]) -> None:
    context = bytes.fromhex(vector["exporter_context"])
    expected = bytes.fromhex(vector["exported_value"])
    assert SenderContext(schedule()).export(context, vector["L"]) == expected
    assert hpke.setup_base_r(h("enc"), h("skRm"), h("info")).export(context, vector["L"]) == expected


def test_single_shot_round_trip_uses_fresh_ephemeral_keys() -> None:
    sk_r, pk_r = hpke.generate_key_pair()
    enc1, ct1 = hpke.seal(pk_r, b"info", b"aad", b"hello")
    enc2, ct2 = hpke.seal(pk_r, b"info", b"aad", b"hello")
    assert enc1 != enc2 and ct1 != ct2
    assert hpke.open_(enc1, sk_r, b"info", b"aad", ct1) == b"hello"
    assert hpke.open_(enc2, sk_r, b"info", b"aad", ct2) == b"hello"


@pytest.mark.parametrize("field", ["info", "aad", "ct", "sk_r"])
def test_open_fails_on_any_mismatch(field: str) -> None:
    sk_r, pk_r = hpke.generate_key_pair()
    enc, ct = hpke.seal(pk_r, b"info", b"aad", b"hello")
    args = {"enc": enc, "sk_r": sk_r, "info": b"info", "aad": b"aad", "ct": ct}
    args[field] = hpke.generate_key_pair()[0] if field == "sk_r" else args[field] + b"x"
    with pytest.raises(OpenError, match="ciphertext or associated data does not match") as info:
        hpke.open_(**args)
    assert sk_r.hex() not in str(info.value)


def test_failed_open_does_not_advance_sequence() -> None:
    sender = SenderContext(schedule())
    receiver = ReceiverContext(schedule())
    ct = sender.seal(b"aad", b"pt")
    with pytest.raises(OpenError):
        receiver.open(b"other", ct)
    assert receiver.seq == 0
    assert receiver.open(b"aad", ct) == b"pt"


def test_message_limit() -> None:
    sender = SenderContext(schedule(), seq=(1 << 96) - 2)
    sender.seal(b"", b"last")
    with pytest.raises(MessageLimitError, match="message limit reached"):
        sender.seal(b"", b"one too many")
    with pytest.raises(HpkeError, match="sequence number"):
        SenderContext(schedule(), seq=1 << 96)


def test_low_order_public_key_is_refused() -> None:
    with pytest.raises(HpkeError, match="low-order"):
        hpke.encap(bytes(32))
    with pytest.raises(OpenError, match="low-order"):
        hpke.decap(bytes(32), h("skRm"))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: hpke.seal(bytes(31), b"", b"", b""), "recipient public key must be 32 bytes, got 31"),
        (lambda: hpke.open_(bytes(33), bytes(32), b"", b"", b""), "encapsulated key must be 32 bytes, got 33"),
        (lambda: hpke.open_(h("enc"), bytes(16), b"", b"", b""), "recipient private key must be 32 bytes, got 16"),
        (lambda: hpke.encap(h("pkRm"), sk_e=b"short"), "ephemeral private key must be 32 bytes, got 5"),
        (lambda: hpke.derive_key_pair(bytes(8)), "at least 32 bytes, got 8"),
        (lambda: hpke.key_schedule(bytes(3), b""), "shared secret must be 32 bytes, got 3"),
        (lambda: SenderContext(schedule()).export(b"", 255 * 32 + 1), "export length must be in 0..8160"),
    ],
)
def test_input_validation(call: Any, message: str) -> None:
    with pytest.raises(HpkeError, match=message):
        call()


def test_context_repr_hides_secrets() -> None:
    text = repr(SenderContext(schedule()))
    assert text == "SenderContext(seq=0)"
