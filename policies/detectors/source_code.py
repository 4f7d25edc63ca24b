"""Source code in a prompt: fenced blocks and runs of code-like lines, language-agnostic.

One finding per code region. A region is a fenced block (```` ``` ```` or ``~~~``), or,
outside fences, a run of at least two *code-like lines*: a line that ends in ``;{}()[]``
(or ``,``/``:`` after a bracket, quote or digit), or that starts with a comment marker,
a closing bracket, an import/return-style keyword, an SQL clause or an assignment. Each
region is scored on its own evidence (syntax-character density, line endings, leading
keywords, indentation, against sentence punctuation) and on its size: confidence rises
with both, and prose, even prose full of parentheses, stays low.

Speed: text is read in blocks of about 4 KB. A block with almost no syntax characters is
prose and skipped after one ``bytes.count``; a block dense with them, between two such
blocks, is code without looking at its lines; only the blocks in between (and the edges
of code runs) go through the line regex, which costs about 0.4 microseconds a line.
"""

from __future__ import annotations

import re

from policies.detectors.base import clamp
from policies.finding import Finding

SCORED_CHARS = 16_384  # evidence is read from a region's head; its size counts in full
MAX_GAP_LINES = 3  # regions this close (comments, docstrings, blank lines between) are one region
BLOCK = 4096
PROSE_MAX_SYNTAX = 3  # a block with at most this many of {}();=<>[] holds no code worth a finding
STAY_DENSITY = 0.012  # inside confirmed code, a block this dense in syntax characters is more code

# A line that reads as code from its last character (tried first: one fast scan).
_TAIL = r"(?<=[;{}()\[\]]\n)|(?<=[)\]}\"'0-9],\n)|(?<=[)\]]:\n)"
# A line that reads as code from its first token, after indentation. Kept short: every
# alternative is tried at each line start the tail test rejected.
_LEAD = (
    r"(?:#|//|/\*|\*/|<!--|@[A-Za-z]|[})\]]|\"\"\"|'''"
    r"|(?:import|from|return|yield|raise|throw|await|break|continue|pass|const|let|var|package|using|use)[ \t]"
    r"|(?:if|elif|else|for|while|try|except|finally|with|class|def|case|match)\b[^\n]{0,300}:\n"
    r"|(?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|WITH|FROM|WHERE|JOIN|GROUP|ORDER|VALUES|SET|LIMIT)\b"
    r"|[A-Za-z_$][\w$.]{0,60}+(?:\[[^\n\]]{0,40}\])?[ \t]{0,3}+(?:[-+*/%&|^]|<<|>>|\*\*|//)?=(?!=)"
    r")"
)
_CODE_LINE = r"(?:.{0,400}\n(?:" + _TAIL + r")|[ \t]{0,80}" + _LEAD + r".{0,400}\n)"
# Anchored on the newline before the run (a literal prefix keeps the scan in C); up to two
# blank lines may separate code lines inside one region.
_REGION = re.compile(r"\n((?:" + _CODE_LINE + r"(?:[ \t]{0,40}\n){0,2}){2,})")
_BACKTICKS = re.compile(r"```")
_TILDES = re.compile(r"~~~")

_LINE_ENDS = re.compile(r"\n(?<=[;{}()\[\],:]\n)")  # anchored on the newline: a C-level scan
_KEYWORD_STARTS = re.compile(
    r"\n[ \t]*(?:def|class|import|from|return|if|elif|else|for|while|try|except|function|const|let|var|"
    r"public|private|static|void|int|fn|pub|use|package|func|#include|@\w|"
    r"SELECT|INSERT|UPDATE|DELETE|CREATE|FROM|WHERE|JOIN|ORDER|GROUP|VALUES|SET|LIMIT|HAVING|UNION|AND|OR|"
    r"#!|echo|done|fi|then|export|set -\w)\b"
    # a call statement, or an assignment from a call, subscript or collection: "x = f(", "print("
    r"|\n[ \t]*[A-Za-z_][\w.]{0,60}+(?: [-+*/]?= [\w.]{1,60}+)?[(\[{]"
)
# A line with any bracket, semicolon or "=": a long token in one line does not dilute it.
_SYNTAX_LINE = re.compile(r"\n[^\n]{0,400}?[(){}\[\];=]")
# Data rather than code: JSON keys and lone brackets.
_JSON_LINE = re.compile(r'\n[ \t]*+(?:"[^"\n]{0,200}"[ \t]*:|[\]}{\[],?[ \t]*\n)')
_SQL = re.compile(
    r"SELECT\s[^;]{1,500}?\sFROM\s|INSERT\s+INTO\s|DELETE\s+FROM\s|CREATE\s+(?:TABLE|INDEX|VIEW)\s|UPDATE\s+\w+\s+SET\s"
)
_SYNTAX = b"{}();=<>[]"
_SYNTAX_MASK = bytes(ord("x") if bytes([i]) in _SYNTAX else ord(" ") for i in range(256))
_NOT_CODE_LANGUAGES = frozenset({"", "text", "txt", "plain", "plaintext", "md", "markdown", "log", "output", "csv"})


class SourceCodeDetector:
    name = "source_code"
    entries: tuple[str, ...] = ("SOURCE_CODE",)

    def detect(self, text: str) -> list[Finding]:
        mask = text.encode("latin-1", "replace").translate(_SYNTAX_MASK)  # one byte per character
        findings = []
        pos = 0
        for open_start, body_start, body_end, close_end, language in _fenced_blocks(text):
            findings.extend(_unfenced(text, mask, pos, open_start))
            if body_end > body_start:
                fenced = 0.3 + 0.6 * _score(text[body_start:body_end])
                if language.lower() not in _NOT_CODE_LANGUAGES:
                    fenced += 0.15
                findings.append(Finding("SOURCE_CODE", "source_code", body_start, body_end, clamp(fenced)))
            pos = close_end
        findings.extend(_unfenced(text, mask, pos, len(text)))
        return findings


def _fenced_blocks(text: str) -> list[tuple[int, int, int, int, str]]:
    """(open line start, body start, body end, close line end, info string) per fenced block."""
    fences = []
    for mark, pattern in (("`", _BACKTICKS), ("~", _TILDES)):
        if mark in text:
            fences.extend(_fence_lines(text, pattern))
    fences.sort()
    blocks = []
    i = 0
    while i < len(fences):
        line_start, line_end, fence, info = fences[i]
        closing = next(
            (j for j in range(i + 1, len(fences)) if fences[j][2].startswith(fence) and not fences[j][3]),
            None,
        )
        body_start = min(line_end + 1, len(text))
        if closing is None:
            blocks.append((line_start, body_start, len(text), len(text), info))
            break
        close_start, close_end = fences[closing][0], fences[closing][1]
        blocks.append((line_start, body_start, max(body_start, close_start), close_end, info))
        i = closing + 1
    return blocks


def _fence_lines(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, str, str]]:
    """(line start, line end, fence characters, info string) for lines that open with a fence."""
    lines = []
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        pos = line_end + 1
        if m.start() - line_start > 3 or text[line_start : m.start()].strip(" "):
            continue  # not at the start of a line: inline backticks
        rest = text[m.start() : line_end]
        fence = rest[: len(rest) - len(rest.lstrip(rest[0]))]
        info = rest[len(fence) :].strip().split(" ", 1)[0] if rest[len(fence) :].strip() else ""
        lines.append((line_start, line_end, fence, info))
    return lines


def _unfenced(text: str, mask: bytes, start: int, end: int) -> list[Finding]:
    """Regions of code-like lines in ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    blocks = _blocks(mask, text, start, end)
    in_code = False  # the previous block ended inside a confirmed code region
    for i, (b_start, b_end, syntax) in enumerate(blocks):
        if (
            syntax <= PROSE_MAX_SYNTAX
            and text.find("SELECT ", b_start, b_end) < 0
            and text.find("\n  ", b_start, b_end) < 0
        ):
            in_code = False  # no code punctuation, no indentation (SQL may have neither: it is looked for by name)
            continue
        following = blocks[i + 1][2] / (blocks[i + 1][1] - blocks[i + 1][0]) if i + 1 < len(blocks) else 1.0
        if in_code and min(syntax / (b_end - b_start), following) >= STAY_DENSITY:
            _add(text, spans, b_start, b_end)  # still code: no need to read its lines
            continue
        regions = _line_regions(text, b_start, b_end, start, end)
        for r_start, r_end in regions:
            _add(text, spans, r_start, r_end)
        in_code = sum(r_end - r_start for r_start, r_end in regions) >= (b_end - b_start) // 2
    findings = []
    for r_start, r_end in spans:
        region = text[r_start:r_end].rstrip()
        lines = region.count("\n") + 1
        confidence = _score(region) * min(1.0, 0.5 + 0.1 * lines) + 0.1 * min(1.0, lines / 20)
        findings.append(Finding("SOURCE_CODE", "source_code", r_start, r_start + len(region), clamp(confidence)))
    return findings


def _blocks(mask: bytes, text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """Consecutive ~4 KB blocks cut at line ends, with their count of syntax characters."""
    blocks = []
    while start < end:
        cut = text.find("\n", start + BLOCK, end)
        b_end = end if cut < 0 else cut + 1
        blocks.append((start, b_end, mask.count(b"x", start, b_end)))
        start = b_end
    return blocks


def _line_regions(text: str, b_start: int, b_end: int, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of code-like lines in a block, read with three lines of margin on each side so a
    region crossing a block edge is still seen whole enough to count its lines."""
    lo = b_start
    for _ in range(3):
        if lo > start:
            lo = max(start, text.rfind("\n", start, lo - 1) + 1)
    hi = b_end
    for _ in range(3):
        nxt = text.find("\n", hi, end)
        hi = end if nxt < 0 else nxt + 1
    segment = "\n" + text[lo:hi] + "\n"  # the first line starts, and the last ends, at "\n"
    return [(lo + m.start(1) - 1, min(hi, lo + m.end(1) - 1)) for m in _REGION.finditer(segment)]


def _add(text: str, spans: list[tuple[int, int]], r_start: int, r_end: int) -> None:
    """Append a region, merged with the previous one when only a few lines separate them."""
    if spans:
        p_start, p_end = spans[-1]
        if r_start <= p_end or text.count("\n", p_end, r_start) <= MAX_GAP_LINES:
            spans[-1] = (min(p_start, r_start), max(p_end, r_end))
            return
    spans.append((r_start, r_end))


def _score(region: str) -> float:
    """0..1 evidence that ``region`` is code, independent of its size."""
    sample = region[:SCORED_CHARS] + "\n"
    lines = max(1, sample.count("\n") - sample.count("\n\n"))  # non-blank lines, near enough
    raw = sample.encode("latin-1", "replace")
    visible = max(1, len(raw.translate(None, b" \t\r\n")))
    syntax = (len(raw) - len(raw.translate(None, _SYNTAX))) / visible
    syntax_lines = len(_SYNTAX_LINE.findall("\n" + sample)) / lines
    ends = len(_LINE_ENDS.findall(sample)) / lines
    keywords = len(_KEYWORD_STARTS.findall("\n" + sample)) / lines
    indented = (sample.count("\n ") + sample.count("\n\t")) / lines
    sentences = (sample.count(". ") + sample.count(".\n") + sample.count("? ")) / lines
    score = (
        0.2 * min(1.0, syntax / 0.08)
        + 0.15 * min(1.0, syntax_lines)
        + 0.25 * min(1.0, ends)
        + 0.25 * min(1.0, 2 * keywords)
        + 0.15 * min(1.0, indented)
        - 0.4 * min(1.0, sentences)
        + (0.25 if _SQL.search(sample) else 0.0)  # SQL has little punctuation; its statement shape is enough
    )
    if sample.lstrip()[:1] in ("{", "[") and len(_JSON_LINE.findall("\n" + sample)) >= 0.6 * lines:
        score *= 0.6  # a JSON document is data, not source code
    return clamp(score)
