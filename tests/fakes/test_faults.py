import pytest

from tests.fakes.faults import (
    FAULT_HEADER,
    NO_FAULT,
    Fault,
    FaultHeaderError,
    FaultScript,
    encode_fault_header,
    fault_headers,
    parse_fault_header,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("status=429;retry_after=2", Fault(status=429, retry_after=2.0)),
        ("first_byte_delay=0.5", Fault(first_byte_delay=0.5)),
        ("chunk_delay=0.01; reset_after_chunks=3", Fault(chunk_delay=0.01, reset_after_chunks=3)),
        ("drop_terminal", Fault(drop_terminal=True)),
        ("drop_terminal=false;gzip=1", Fault(gzip=True)),
        ("redirect_to=http://127.0.0.1:1/v1/x?a=b", Fault(redirect_to="http://127.0.0.1:1/v1/x?a=b")),
        ("status=none", NO_FAULT),
        ("", NO_FAULT),
    ],
)
def test_parse_fault_header(header: str, expected: Fault) -> None:
    assert parse_fault_header(header) == expected


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("stauts=500", "unknown key 'stauts'"),
        ("status=abc", "status='abc' is not a non-negative integer"),
        ("chunk_delay=soon", "chunk_delay='soon' is not a number of seconds"),
        ("gzip=maybe", "gzip='maybe' is not a boolean"),
    ],
)
def test_parse_fault_header_rejects(header: str, message: str) -> None:
    with pytest.raises(FaultHeaderError, match=message):
        parse_fault_header(header)


def test_encode_round_trips() -> None:
    fault = Fault(status=503, first_byte_delay=0.25, drop_terminal=True, redirect_to="http://x/y")
    assert parse_fault_header(encode_fault_header(fault)) == fault
    assert fault_headers(Fault(status=429)) == {FAULT_HEADER: "status=429"}


def test_script_pops_in_order_then_no_fault() -> None:
    script = FaultScript([Fault(status=500)])
    script.push(Fault(status=429), Fault(gzip=True))
    assert len(script) == 3
    assert [script.pop().status for _ in range(3)] == [500, 429, None]
    assert script.pop() is NO_FAULT
