"""The PII family as one detector: every ``pii`` detector over one shared ``TextView``.

Register a group rather than its members one by one: the members' byte views and
number shapes are then computed once per text instead of once per member, which is a
large share of the family's cost on long input. ``pii_and_financial()`` shares one
view between this family and the financial one.
"""

from __future__ import annotations

from policies.detectors.financial import FinancialDetector
from policies.detectors.pii_address import AddressDetector
from policies.detectors.pii_contact import EmailDetector, IPAddressDetector, PhoneDetector
from policies.detectors.pii_context import DateOfBirthDetector, NameRecognizer, PersonNameDetector
from policies.detectors.pii_identifiers import CreditCardDetector, GovernmentIdDetector, IBANDetector, SSNDetector
from policies.detectors.pii_view import DetectorGroup


class PiiDetector(DetectorGroup):
    name = "pii"

    def __init__(self, name_recognizer: NameRecognizer | None = None) -> None:
        super().__init__(
            (
                EmailDetector(),
                PhoneDetector(),
                CreditCardDetector(),
                SSNDetector(),
                IBANDetector(),
                IPAddressDetector(),
                DateOfBirthDetector(),
                GovernmentIdDetector(),
                AddressDetector(),
                PersonNameDetector(name_recognizer),
            )
        )


def pii_and_financial(name_recognizer: NameRecognizer | None = None) -> DetectorGroup:
    """Both families over one shared view: the one to register by default, since the view
    is then built once per text rather than once per family."""
    members = [*PiiDetector(name_recognizer).members, *FinancialDetector().members]
    return DetectorGroup(members, name="pii_financial")


__all__ = [
    "AddressDetector",
    "CreditCardDetector",
    "DateOfBirthDetector",
    "EmailDetector",
    "GovernmentIdDetector",
    "IBANDetector",
    "IPAddressDetector",
    "PersonNameDetector",
    "PhoneDetector",
    "PiiDetector",
    "SSNDetector",
    "pii_and_financial",
]
