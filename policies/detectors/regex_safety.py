"""Static checks that a regular expression cannot backtrack catastrophically.

Python's ``re`` is a backtracking engine: a repeat whose body can itself repeat without
bound (``(a+)+``, ``(\\w+\\s?)*``) explores exponentially many ways to split hostile
input, and a backreference makes matching NP-hard in general. ``assert_linear`` walks
the parse tree that ``re`` itself produces (``re._parser``, the former ``sre_parse``)
and rejects both. It is used on operator-supplied patterns at construction time and by
a test that lints every module-level pattern of the ``policies`` package.

What it does not prove: a pattern that passes can still be quadratic when two
unbounded, overlapping repeats sit side by side (``a*a*b``) or when a search restarts
inside a long bounded run; detectors avoid those with literal prefixes and bounds.
"""

from __future__ import annotations

import importlib
from typing import Any

# ``re._parser`` is private and has no type stubs; it is the only parser that matches
# what ``re.compile`` accepts exactly (the public alias ``sre_parse`` is deprecated).
_parser: Any = importlib.import_module("re._parser")

_REPEATS = frozenset({_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT})
_GROUP_REFS = frozenset({_parser.GROUPREF, _parser.GROUPREF_EXISTS})


def assert_linear(pattern: str | bytes, flags: int = 0) -> None:
    """Raise ``ValueError`` if ``pattern`` nests an unbounded repeat or uses a backreference.

    ``flags`` are those the pattern is compiled with (``re.VERBOSE`` changes parsing).
    Invalid patterns raise ``ValueError`` too, carrying ``re``'s own message.
    """
    try:
        tree = _parser.parse(pattern, flags)
    except Exception as exc:  # re.error, or ValueError for bad flag combinations
        raise ValueError(f"invalid regular expression: {exc}") from exc
    _check(tree, inside_repeat=False)


def _check(items: Any, inside_repeat: bool) -> None:
    for op, av in items:
        if op in _GROUP_REFS:
            raise ValueError("backreferences and group conditionals are not allowed (matching is not linear)")
        if op in _REPEATS:
            _low, high, body = av
            if inside_repeat and high == _parser.MAXREPEAT:
                raise ValueError(
                    "nested quantifier: an unbounded repeat inside another repeat can backtrack "
                    "exponentially; bound the inner repeat ({m,n}) or remove the nesting"
                )
            _check(body, inside_repeat=True)
        else:
            for sub in _children(op, av):
                _check(sub, inside_repeat)


def _children(op: Any, av: Any) -> list[Any]:
    """The sub-patterns of one parse node, for the node kinds that have any."""
    if op is _parser.SUBPATTERN:
        return [av[3]]
    if op is _parser.BRANCH:
        return list(av[1])
    if op in (_parser.ASSERT, _parser.ASSERT_NOT):
        return [av[1]]
    if op is _parser.ATOMIC_GROUP:
        return [av]
    return []
