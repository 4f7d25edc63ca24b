from __future__ import annotations

import pytest

from policies.detectors.pii_address import AddressDetector

Found = list[tuple[str, str, str]]


def found(text: str) -> Found:
    return [(f.entry, text[f.start : f.end], f.level.name.lower()) for f in AddressDetector().detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ship to 1600 Pennsylvania Avenue NW, Washington, DC 20500 today",
            [("POSTAL_ADDRESS", "1600 Pennsylvania Avenue NW, Washington, DC 20500", "high")],
        ),
        (
            "New tenant at 784 Monica Lakes Suite 566, New Gregory, IN 03628.",
            [("POSTAL_ADDRESS", "784 Monica Lakes Suite 566, New Gregory, IN 03628", "high")],
        ),
        ("221B Baker Street, London NW1 6XE", [("POSTAL_ADDRESS", "221B Baker Street, London NW1 6XE", "high")]),
        (
            "141 Carter Mountains, Lake Katieview IM3B 0RS",
            [("POSTAL_ADDRESS", "141 Carter Mountains, Lake Katieview IM3B 0RS", "high")],
        ),
        (
            "Neuer Kunde: Elke Roth, Jens-Drubin-Straße 47-26, 06690 Groß-Gerau, Telefon",
            [("POSTAL_ADDRESS", "Jens-Drubin-Straße 47-26, 06690 Groß-Gerau", "high")],
        ),
        (
            "Envíe la factura a Ana, Callejón Desiderio Valbuena 77, 14759 Madrid.",
            [("POSTAL_ADDRESS", "Callejón Desiderio Valbuena 77, 14759 Madrid", "high")],
        ),
        (
            "Merci : 214, avenue Charlotte Gilles, 48907 Lyon",
            [("POSTAL_ADDRESS", "214, avenue Charlotte Gilles, 48907 Lyon", "high")],
        ),
        ("meet at 12 Oak Ave. at noon", [("POSTAL_ADDRESS", "12 Oak Ave.", "medium")]),
        ("deliver to 350 5th Avenue, Apt 4B", [("POSTAL_ADDRESS", "350 5th Avenue, Apt 4B", "medium")]),
        ("Springfield, IL 62704", [("POSTAL_ADDRESS", "Springfield, IL 62704", "medium")]),
        ("Leeds LS1 4DY", [("POSTAL_ADDRESS", "Leeds LS1 4DY", "medium")]),
        ("3 Best Way to do it", [("POSTAL_ADDRESS", "3 Best Way", "low")]),  # "Way" ends ordinary phrases too
        # near misses
        ("We sold 12, 2000 Units last year", []),
        ("In 2019 The Company grew", []),
        ("see RFC 2616 Section 14", []),
        ("about 5 Dr Watson books", []),
        ("status=200 path=/api/v1/orders/1234", []),
        ("AB12 3CD and X1 2YZ", []),  # no inward code letters C I K M O V
    ],
)
def test_postal_address(text: str, expected: Found) -> None:
    assert found(text) == expected
