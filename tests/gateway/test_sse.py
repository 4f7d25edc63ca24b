import pytest

from gateway.sse import SSEEvent, SSELineTooLong, SSEParser, encode_event


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
