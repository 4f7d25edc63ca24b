import pytest

from gateway.sse import LineGuard, SSEEvent, SSELineTooLong, SSEParser, encode_event


def test_events_split_across_chunks() -> None:
    parser = SSEParser()
    stream = b'event: message_start\ndata: {"a":1}\n\n: comment\ndata: x\r\ndata: y\r\n\r\ndata: [DONE]\n\n'
    events = [e for i in range(len(stream)) for e in parser.feed(stream[i : i + 1])]
    assert events == [SSEEvent('{"a":1}', "message_start"), SSEEvent("x\ny"), SSEEvent("[DONE]")]


def test_finish_flushes_an_unterminated_event() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: last") == []
    assert parser.finish() == [SSEEvent("last")]


def test_line_limit_holds_with_and_without_newline() -> None:
    with pytest.raises(SSELineTooLong):
        SSEParser(max_line=10).feed(b"data: " + b"x" * 20 + b"\n")
    parser = SSEParser(max_line=10)
    with pytest.raises(SSELineTooLong):
        for _ in range(5):
            parser.feed(b"xxxxx")


def test_encode_round_trips() -> None:
    raw = encode_event("a\nb", "ping")
    assert raw == b"event: ping\ndata: a\ndata: b\n\n"
    assert SSEParser().feed(raw) == [SSEEvent("a\nb", "ping")]


@pytest.mark.parametrize(
    ("chunks", "admitted"),
    [
        ([b"data: 1234\n\n", b"data: x\n"], [True, True]),  # lines of exactly the limit
        ([b"data: ", b"1234", b"5\n"], [True, True, False]),  # 11 bytes across three chunks
        ([b"\n" + b"x" * 11 + b"\n"], [False]),  # a long line inside one chunk
        ([b"x" * 6, b"xxxx\n" + b"y" * 10], [True, True]),
        ([b"x" * 6, b"xxxxx\nyy"], [True, False]),
        ([b"a\n" * 50], [True]),
    ],
)
def test_line_guard(chunks: list[bytes], admitted: list[bool]) -> None:
    guard = LineGuard(max_line=10)
    assert [guard.admits(chunk) for chunk in chunks] == admitted
