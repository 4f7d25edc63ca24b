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

import heapq
import re
from collections.abc import Iterator

from policies.detectors.base import clamp
from policies.finding import Finding
from policies.text_forms import TextForms

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


# A fence line: three or more backticks or tildes after at most three spaces, and the rest of
# the line. The scan is led by the newline before it, a literal the regex engine finds fast
# (a lone "`" is common in markdown, and "```" repeats itself, which slows ``str.find``).
_FIRST_BACKTICKS = re.compile(r" {0,3}(`{3,})([^\n]*)")  # on the first line of the text
_BACKTICKS = re.compile(r"\n {0,3}(`{3,})([^\n]*)")
_FIRST_TILDES = re.compile(r" {0,3}(~{3,})([^\n]*)")
_TILDES = re.compile(r"\n {0,3}(~{3,})([^\n]*)")
_FENCES = {"`": (_FIRST_BACKTICKS, _BACKTICKS), "~": (_FIRST_TILDES, _TILDES)}

_LINE_ENDS = re.compile(r"\n(?<=[;{}()\[\],:]\n)")  # anchored on the newline: a C-level scan
# Keywords are grouped by first character (in their order, so matches are the same): the
# regex engine turns a group away with one comparison but steps into every alternative.
# The indentation is shared and possessive (neither alternative starts with a blank).
_KEYWORD_STARTS = re.compile(
    r"\n[ \t]*+(?:(?:d(?:ef|one)|c(?:lass|onst)|i(?:mport|f|nt)|f(?:rom|or|unction|n|unc|i)|return|"
    r"e(?:lif|lse|xcept|cho|xport)|while|t(?:ry|hen)|let|v(?:ar|oid)|p(?:ublic|rivate|ub|ackage)|s(?:tatic|et -\w)|"
    r"use|#(?:include|!)|@\w|S(?:ELECT|ET)|INSERT|U(?:PDATE|NION)|DELETE|CREATE|FROM|WHERE|JOIN|O(?:RDER|R)|GROUP|"
    r"VALUES|LIMIT|HAVING|AND)\b"
    # a call statement, or an assignment from a call, subscript or collection: "x = f(", "print("
    r"|[A-Za-z_][\w.]{0,60}+(?: [-+*/]?= [\w.]{1,60}+)?[(\[{])"
)
# A line with any bracket, semicolon or "=": a long token in one line does not dilute it.
# (Up to the first such character, possessively: a lazy gap costs a step per character.)
_SYNTAX_LINE = re.compile(r"\n[^\n(){}\[\];=]{0,400}+[(){}\[\];=]")
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
        return self.detect_forms(TextForms(text))

    def detect_forms(self, forms: TextForms) -> list[Finding]:
        text, mask = forms.text, forms.one_byte.translate(_SYNTAX_MASK)
        findings = []
        pos = 0
        for open_start, body_start, body_end, close_end, language in _fenced_blocks(text):
            # The prose between two fenced blocks is mostly one short block: checked here, at
            # no call's cost (a long prompt can hold thousands of blocks).
            if open_start - pos > BLOCK or not _is_prose(text, mask.count(b"x", pos, open_start), pos, open_start):
                findings.extend(_unfenced(text, mask, pos, open_start))
            if body_end > body_start:
                fenced = 0.3 + 0.6 * _score(text[body_start:body_end])
                if language.lower() not in _NOT_CODE_LANGUAGES:
                    fenced += 0.15
                findings.append(Finding("SOURCE_CODE", "source_code", body_start, body_end, clamp(fenced)))
            pos = close_end
        findings.extend(_unfenced(text, mask, pos, len(text)))
        return findings


def _fenced_blocks(text: str) -> Iterator[tuple[int, int, int, int, str]]:
    """(open line start, body start, body end, close line end, info string) per fenced block.

    Fences are read as a stream, not collected: a long prompt has thousands, and tuples
    that outlive a scan make the garbage collector sweep everything else too."""
    fences = heapq.merge(*(_fence_lines(text, mark) for mark in _FENCES if mark in text))
    for line_start, line_end, fence, info in fences:
        body_start = min(line_end + 1, len(text))
        # The next fence of the same kind, at least as long, with no info string, closes it.
        closing = next((f for f in fences if f[2].startswith(fence) and not f[3]), None)
        if closing is None:
            yield line_start, body_start, len(text), len(text), info
            return
        yield line_start, body_start, max(body_start, closing[0]), closing[1], info


def _fence_lines(text: str, mark: str) -> Iterator[tuple[int, int, str, str]]:
    """(line start, line end, fence characters, info string) for lines that open with a fence."""
    first_line, other_lines = _FENCES[mark]
    first = first_line.match(text)
    if first:
        yield 0, first.end(), first.group(1), _info(first.group(2))
    for m in other_lines.finditer(text):
        fence, rest = m.group(1, 2)
        yield m.start() + 1, m.end(), fence, _info(rest) if rest else ""


def _info(rest: str) -> str:
    """The info string after a fence: its first word ("python" in "``` python title=x")."""
    return rest.strip().split(" ", 1)[0]


def _unfenced(text: str, mask: bytes, start: int, end: int) -> list[Finding]:
    """Regions of code-like lines in ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    blocks = _blocks(mask, text, start, end)
    in_code = False  # the previous block ended inside a confirmed code region
    for i, (b_start, b_end, syntax) in enumerate(blocks):
        if _is_prose(text, syntax, b_start, b_end):
            in_code = False
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


def _is_prose(text: str, syntax: int, start: int, end: int) -> bool:
    """No code punctuation and no indentation (SQL may have neither: it is looked for by name)."""
    return syntax <= PROSE_MAX_SYNTAX and text.find("SELECT ", start, end) < 0 and text.find("\n  ", start, end) < 0


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
    # The sample is read after a newline so that its first line starts like the others; the
    # counts skip that newline (start 1). One string serves every test: a long prompt can
    # hold thousands of small code blocks, each scored here, so copies and lookups count.
    sample = "\n" + region[:SCORED_CHARS] + "\n"
    count = sample.count
    lines = max(1, count("\n", 1) - count("\n\n", 1))  # non-blank lines, near enough
    raw = sample.encode("latin-1", "replace")
    visible = max(1, len(raw.translate(None, b" \t\r\n")))
    syntax = (len(raw) - len(raw.translate(None, _SYNTAX))) / visible
    syntax_lines = len(_SYNTAX_LINE.findall(sample)) / lines
    ends = len(_LINE_ENDS.findall(sample, 1)) / lines
    keywords = len(_KEYWORD_STARTS.findall(sample)) / lines
    indented = (count("\n ", 1) + count("\n\t", 1)) / lines
    sentences = (count(". ", 1) + count(".\n", 1) + count("? ", 1)) / lines
    score = (
        0.2 * _capped(syntax / 0.08)
        + 0.15 * _capped(syntax_lines)
        + 0.25 * _capped(ends)
        + 0.25 * _capped(2 * keywords)
        + 0.15 * _capped(indented)
        - 0.4 * _capped(sentences)
        # SQL has little punctuation; its statement shape is enough. (Every statement keyword
        # holds an "E": a memchr rules most code out before the regex.)
        + (0.25 if "E" in sample and _SQL.search(sample, 1) else 0.0)
    )
    if sample.lstrip()[:1] in ("{", "[") and len(_JSON_LINE.findall(sample)) >= 0.6 * lines:
        score *= 0.6  # a JSON document is data, not source code
    return clamp(score)


def _capped(x: float) -> float:
    """``min(1.0, x)`` at a fraction of a builtin call's cost (six per code block)."""
    return x if x < 1.0 else 1.0
