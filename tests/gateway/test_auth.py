from config.schema import TokenConfig
from gateway.auth import hash_token, identify, verify_token


def test_hash_and_verify() -> None:
    stored = hash_token("wt-secret-token")
    assert stored.startswith("sha256$") and "wt-secret-token" not in stored
    assert verify_token("wt-secret-token", stored)
    assert not verify_token("wt-secret-tokeN", stored)
    assert hash_token("x") != hash_token("x")  # salted
    for broken in ("", "md5$00$00", "sha256$zz$00", "sha256$$", stored.replace("sha256", "sha1")):
        assert not verify_token("wt-secret-token", broken)


def test_identify_maps_a_token_to_its_identity() -> None:
    tokens = (TokenConfig(hash_token("a-token"), "ana", ("security",)), TokenConfig(hash_token("b-token"), "bob"))
    ana = identify("a-token", tokens)
    assert ana is not None and (ana.user, ana.groups) == ("ana", ("security",))
    assert identify("c-token", tokens) is None
