import gzip
import zlib

import brotli
import pytest
import zstandard

from gateway.codecs import BadEncoding, TooLarge, decode_body

RAW = b'{"messages": [{"role": "user", "content": "hello"}]}' * 50

ENCODED = {
    "gzip": gzip.compress(RAW),
    "deflate": zlib.compress(RAW),
    "br": brotli.compress(RAW),
    "zstd": zstandard.ZstdCompressor().compress(RAW),
}


@pytest.mark.parametrize("coding", sorted(ENCODED))
def test_decodes_within_the_limit(coding: str) -> None:
    assert decode_body(ENCODED[coding], coding, len(RAW)) == RAW


@pytest.mark.parametrize("coding", sorted(ENCODED))
def test_refuses_past_the_limit(coding: str) -> None:
    with pytest.raises(TooLarge):
        decode_body(ENCODED[coding], coding, len(RAW) - 1)


@pytest.mark.parametrize(
    ("coding", "bomb"),
    [
        ("gzip", gzip.compress(b"\0" * (64 << 20))),
        ("br", brotli.compress(b"\0" * (64 << 20), quality=4)),
        ("zstd", zstandard.ZstdCompressor().compress(b"\0" * (64 << 20))),
    ],
)
def test_bombs_stop_early(coding: str, bomb: bytes) -> None:
    with pytest.raises(TooLarge):
        decode_body(bomb, coding, 1 << 20)


def test_stacked_encodings_and_errors() -> None:
    assert decode_body(gzip.compress(ENCODED["br"]), "br, gzip", 10**6) == RAW
    assert decode_body(RAW, "identity", 10) == RAW
    with pytest.raises(BadEncoding, match="unsupported content encoding 'compress'"):
        decode_body(RAW, "compress", 10**6)
    with pytest.raises(BadEncoding, match="not valid gzip"):
        decode_body(b"not gzip", "gzip", 10**6)
