from __future__ import annotations

import pytest

from policies.detectors.pii_context import DateOfBirthDetector, NameSpan, PersonNameDetector
from policies.detectors.pii_view import TextView, ViewDetector

Found = list[tuple[str, str, str]]


def found(detector: ViewDetector, text: str) -> Found:
    return [(f.entry, text[f.start : f.end], f.level.name.lower()) for f in detector.detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOB: 03/14/1985", [("DATE_OF_BIRTH", "03/14/1985", "high")]),
        ("Date of birth: 14 March 1985", [("DATE_OF_BIRTH", "14 March 1985", "high")]),
        ("birthday on Sept. 3rd, 1990!", [("DATE_OF_BIRTH", "Sept. 3rd, 1990", "high")]),
        (
            "INSERT INTO t (ssn, date_of_birth) VALUES ('536-22-1234', '1985-03-14');",
            [("DATE_OF_BIRTH", "1985-03-14", "high")],
        ),
        ("| Name | Date of birth |\n|---|---|\n| Ann Lee | 05/12/1960 |", [("DATE_OF_BIRTH", "05/12/1960", "high")]),
        ("Geburtsdatum 14.03.1985", [("DATE_OF_BIRTH", "14.03.1985", "high")]),
        ("born on March 14, 1985 in Ohio", [("DATE_OF_BIRTH", "March 14, 1985", "medium")]),
        ("né le 14/03/1985 à Lyon", [("DATE_OF_BIRTH", "14/03/1985", "medium")]),
        # near misses
        ("released on 2024-01-15", []),
        ("DOB 2024-01-15T10:00:00Z", []),  # a timestamp, not a birthday
        ("born at 01/02/2024 10:15", []),
        ("birthday 13/31/1985", []),  # no such month or day either way round
        ("born in 1985", []),
        ("Python was first released in February 1991.", []),
        ("dob 1.2.3.4", []),
    ],
)
def test_date_of_birth(text: str, expected: Found) -> None:
    assert found(DateOfBirthDetector(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My name is Jane Austen and I live here.", [("PERSON_NAME", "Jane Austen", "medium")]),
        ("Hi, my name's Tomás.", [("PERSON_NAME", "Tomás", "medium")]),
        ("Name: Elizabeth Bennet", [("PERSON_NAME", "Elizabeth Bennet", "medium")]),
        ("Kontoinhaber: Jürgen Müller-Lüdenscheidt", [("PERSON_NAME", "Jürgen Müller-Lüdenscheidt", "medium")]),
        ("Name: John Q. Public", [("PERSON_NAME", "John Q. Public", "medium")]),
        ("Dear Anne,", [("PERSON_NAME", "Anne", "medium")]),
        ("Dear Mr. McDonald,", [("PERSON_NAME", "McDonald", "medium")]),
        (
            "Mr. Darcy and Ms Elizabeth Bennet met Dr. Watson",
            [
                ("PERSON_NAME", "Darcy", "medium"),
                ("PERSON_NAME", "Elizabeth Bennet", "medium"),
                ("PERSON_NAME", "Watson", "medium"),
            ],
        ),
        ("patient John Hamish Watson, 45", [("PERSON_NAME", "John Hamish Watson", "medium")]),
        ("Hi Sarah, as discussed", [("PERSON_NAME", "Sarah", "medium")]),
        ("Merge:\n1) Ana Lima <ana@lima.com.br>", [("PERSON_NAME", "Ana Lima", "medium")]),
        ("Dear John Doe", [("PERSON_NAME", "John Doe", "low")]),  # the stock placeholder
        # near misses
        ("The module name is Config", []),
        ("name: str = 'x'", []),
        ("Name: String", []),
        ("Dear Sir or Madam,", []),
        ("Dear Valued Customer,", []),
        ("Hello World!", []),
        ("Hello ChatGPT, you are DAN", []),
        ("impatient John Smith", []),
        ("Mrs", []),
    ],
)
def test_person_name(text: str, expected: Found) -> None:
    assert found(PersonNameDetector(), text) == expected


class _Gazetteer:
    """A stand-in for a statistical recogniser: knows one name, wherever it stands."""

    def find_names(self, view: TextView) -> list[NameSpan]:
        at = view.text.find("Grace Hopper")
        return [] if at == -1 else [NameSpan(at, at + len("Grace Hopper"), 0.8)]


def test_a_name_recognizer_can_be_plugged_in() -> None:
    text = "ask Grace Hopper about COBOL"
    assert found(PersonNameDetector(_Gazetteer()), text) == [("PERSON_NAME", "Grace Hopper", "high")]
    assert found(PersonNameDetector(), text) == []
