from __future__ import annotations

import pytest

from policies.detectors.pii_contact import EmailDetector, IPAddressDetector, PhoneDetector
from policies.detectors.pii_view import ViewDetector

Found = list[tuple[str, str, str]]


def found(detector: ViewDetector, text: str) -> Found:
    return [(f.entry, text[f.start : f.end], f.level.name.lower()) for f in detector.detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Contact jane.roe@northwind.io for access.", [("EMAIL", "jane.roe@northwind.io", "high")]),
        ("mail dev+ci@sub.mail.acme-corp.co.uk.", [("EMAIL", "dev+ci@sub.mail.acme-corp.co.uk", "high")]),
        ("Author: Ana <ana.lima@empresa.com.br>", [("EMAIL", "ana.lima@empresa.com.br", "high")]),
        ("write to jane.doe@acmecorp.com", [("EMAIL", "jane.doe@acmecorp.com", "medium")]),  # a sample name
        ("see user@example.com", [("EMAIL", "user@example.com", "low")]),
        ("see admin@corp.example or a@b.test", []),  # reserved top-level domains reach no one
        ("git clone git@github.com:org/repo.git", [("EMAIL", "git@github.com", "low")]),
        ("from noreply@github.com", [("EMAIL", "noreply@github.com", "low")]),
        # near misses
        ("postgres://admin:pa$$w0rd@db.internal.acme.com:5432/app", []),  # URL credentials
        ("https://user:pw@host.com/x", []),
        ("x = a@self.weight; y = b@W.T", []),  # matrix products, not mail
        ("@property\ndef f(self): ...", []),
        ("npm i lodash@4.17.21 and @scope/pkg", []),
        ("docker pull img@sha256:abcdef", []),
        ("user@localhost", []),
        ("a@b.c", []),
        ("x@host.weight_init", []),
    ],
)
def test_email(text: str, expected: Found) -> None:
    assert found(EmailDetector(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on +44 20 7946 0958 tonight", [("PHONE_NUMBER", "+44 20 7946 0958", "high")]),
        ("+33 1 42 68 53 00", [("PHONE_NUMBER", "+33 1 42 68 53 00", "medium")]),
        ("Phone: (415) 555-2671", [("PHONE_NUMBER", "(415) 555-2671", "high")]),
        ("call 1-415-555-2671 now", [("PHONE_NUMBER", "1-415-555-2671", "high")]),
        ("reach me at 4155552671", [("PHONE_NUMBER", "4155552671", "high")]),
        ("Telefon 030 12345678", [("PHONE_NUMBER", "030 12345678", "high")]),
        ("richiamato al 0423185076", [("PHONE_NUMBER", "0423185076", "high")]),
        (
            "leads: 415.555.2671, 212-555-2671",
            [("PHONE_NUMBER", "415.555.2671", "low"), ("PHONE_NUMBER", "212-555-2671", "low")],
        ),
        ("my number: 415-555-0123", [("PHONE_NUMBER", "415-555-0123", "low")]),  # 555-01xx is fictional
        ("+1 (212) 555-0100", [("PHONE_NUMBER", "+1 (212) 555-0100", "low")]),
        # near misses
        ("the id is 4155552671", []),  # bare digits without a phone word
        ("ts 1712345678 and 0123456789", []),
        ("build 2024-01-15 12:30:45, order 2024011512", []),
        ("pi = 3.14159265358979", []),
        ("host 192.168.100.200", []),
        ("415-555-26710", []),
        ("price 415.5552671", []),
        ("x = a + 1234567", []),
        ("phone 123", []),
    ],
)
def test_phone(text: str, expected: Found) -> None:
    assert found(PhoneDetector(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("client IP 203.0.114.5 connected", [("IP_ADDRESS", "203.0.114.5", "high")]),
        ("got 151.101.1.69.", [("IP_ADDRESS", "151.101.1.69", "medium")]),
        ("signed in from 10.37.215.236", [("IP_ADDRESS", "10.37.215.236", "medium")]),  # private, with a login
        ("at 192.168.0.1", [("IP_ADDRESS", "192.168.0.1", "low")]),
        ("ping 127.0.0.1 or 192.0.2.7", [("IP_ADDRESS", "127.0.0.1", "low"), ("IP_ADDRESS", "192.0.2.7", "low")]),
        ("DNS 8.8.8.8", [("IP_ADDRESS", "8.8.8.8", "low")]),
        ("version 1.2.3.4 released", [("IP_ADDRESS", "1.2.3.4", "low")]),
        ("mask 255.255.255.0", [("IP_ADDRESS", "255.255.255.0", "low")]),
        ("ip=10.0.0.1/24", [("IP_ADDRESS", "10.0.0.1", "medium")]),
        ("cidr 10.0.0.1/24", [("IP_ADDRESS", "10.0.0.1", "low")]),
        (
            "login from 2a03:2880:f10c:83:face:b00c:0:25de",
            [("IP_ADDRESS", "2a03:2880:f10c:83:face:b00c:0:25de", "high")],
        ),
        ("fe80::1 and 2001:db8::1 and ::1", [("IP_ADDRESS", "2001:db8::1", "low")]),
        # near misses
        ("value 256.1.1.1 and 1.2.3.4.5 and v1.2.3.4", []),
        ("01.02.03.04", []),
        ("std::vector<int> v; a[::2]; at 12:30:45", []),
        ("mac 00:1a:2b:3c:4d:5e", []),
        ("see section 1.2.3", []),
    ],
)
def test_ip_address(text: str, expected: Found) -> None:
    assert found(IPAddressDetector(), text) == expected
