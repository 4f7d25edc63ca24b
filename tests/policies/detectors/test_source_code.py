"""SOURCE_CODE: one finding per code region, confidence from evidence and size."""

from __future__ import annotations

import time

import pytest

from policies.detectors.source_code import SourceCodeDetector
from policies.finding import Level

DETECTOR = SourceCodeDetector()

PYTHON = """def add(a, b):
    return a + b


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
"""
JAVASCRIPT = """const fs = require('fs');
let total = 0;
function sum(items) {
  for (const item of items) {
    total += item.price;
  }
  return total;
}
"""
C = """#include <stdio.h>

int main(void) {
    printf("hello\\n");
    return 0;
}
"""
JAVA = """public class Greeter {
    private final String name;
    public Greeter(String name) { this.name = name; }
    public static void main(String[] args) {
        System.out.println(new Greeter("x").name);
    }
}
"""
RUST = """fn main() {
    let v: Vec<i32> = vec![1, 2, 3];
    println!("{:?}", v);
}
"""
SQL = """SELECT name, email
FROM users
WHERE id = 42
ORDER BY name;
"""
PROSE = (
    "The function of a good manager is to remove obstacles (and to hire well). In this class of problems, we "
    "return to first principles; let the data decide. Public opinion (see the appendix) matters too.\n\n"
    "We import most parts from Spain (and some from Italy). The package arrives on Monday = good news for all.\n"
)


@pytest.mark.parametrize("code", [PYTHON, JAVASCRIPT, C, JAVA, RUST], ids=["python", "js", "c", "java", "rust"])
def test_code_between_prose_is_one_region(code: str) -> None:
    text = f"Can you review this?\n\n{code}\nIt crashes on startup. Thanks!"
    [found] = DETECTOR.detect(text)
    assert (found.entry, found.topic) == ("SOURCE_CODE", "source_code")
    assert found.level >= Level.MEDIUM
    assert text[found.start : found.end] == code.strip()


def test_sql_is_medium() -> None:
    [found] = DETECTOR.detect(SQL)
    assert found.level is Level.MEDIUM


@pytest.mark.parametrize(
    ("fence", "level"),
    [
        ("```python\nimport os\nprint(os.getcwd())\n```", Level.HIGH),
        ("~~~js\nconst a = 1;\n~~~", Level.HIGH),
        ("```\nfor (int i = 0; i < n; i++) { sum += a[i]; }\n```", Level.HIGH),
        ("```text\nThis is a quoted email. It has sentences. Nothing else.\n```", Level.LOW),
    ],
)
def test_fenced_block_spans_its_body(fence: str, level: Level) -> None:
    text = f"Look:\n{fence}\nthanks"
    [found] = DETECTOR.detect(text)
    body = fence.split("\n", 1)[1].rsplit("\n", 1)[0] + "\n"
    assert (text[found.start : found.end], found.level) == (body, level)


def test_unclosed_fence_runs_to_the_end() -> None:
    text = "Here:\n```python\ndef f(x):\n    return x * 2\n"
    [found] = DETECTOR.detect(text)
    assert text[found.start :] == "def f(x):\n    return x * 2\n"


@pytest.mark.parametrize(
    "text",
    [
        "Use the `map` function to apply a function to each element.",
        "x = foo(bar);",  # one line is not a region
        PROSE,
        "- install the package (pip)\n- import it (see docs)\n- call run()\n",
        "Dear team,\nplease find attached (as discussed) the report;\nregards,\nAnna",
    ],
)
def test_prose_stays_below_medium(text: str) -> None:
    assert all(f.level is Level.LOW for f in DETECTOR.detect(text))


def test_confidence_rises_with_size() -> None:
    small = DETECTOR.detect("x = compute(a);\ny = compute(b);\n")
    large = DETECTOR.detect("".join(f"value_{i} = compute(items[{i}]);\n" for i in range(30)))
    assert small and large and large[0].confidence > small[0].confidence


def test_two_regions_separated_by_prose() -> None:
    text = f"{PYTHON}\nThat was the model. The view is below and it is long enough to be prose.\n\n\n\n{JAVASCRIPT}"
    assert len(DETECTOR.detect(text)) == 2


def test_long_code_input_is_one_region() -> None:
    text = JAVASCRIPT * 400
    [found] = DETECTOR.detect(text)
    assert found.level is Level.HIGH and found.end - found.start == len(text.rstrip())


def _elapsed(text: str) -> float:
    start = time.perf_counter()
    DETECTOR.detect(text)
    return time.perf_counter() - start


@pytest.mark.parametrize("unit", ["a", "\n", ";\n", "x = 1\n", "```\n", "```x\n", "{[(", " " * 80 + "\n", "-"])
def test_hostile_input_is_linear(unit: str) -> None:
    n = 256 * 1024 // len(unit)
    small = min(_elapsed(unit * n) for _ in range(2))
    large = min(_elapsed(unit * (4 * n)) for _ in range(2))
    assert large / max(small, 2e-3) < 8  # the floor keeps timer noise on tiny runs out
