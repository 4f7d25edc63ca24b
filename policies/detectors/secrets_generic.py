"""Secrets without a vendor marker: random-looking tokens and assigned passwords.

Two ways in. A token run that no key-table row claimed is judged by its shape
(``token_kind``: random or hex, never an identifier, path, UUID or number) and by what it
is assigned to or stands near. Passwords are often short and not random, so they are
found from the other side: a scan for ``password``/``passwd``/``pwd``/``secret`` names
followed by an assignment operator and a literal (``password_findings``).

Values that stand for a password rather than being one (``os.environ[...]``, ``None``,
``str``, ``getpass()``, ``"${DB_PASS}"``, ``"<password>"``, ``"changeme"``) are dropped;
weak test values (``"test"``, ``"admin"``) are reported at low confidence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Literal

from policies.detectors.base import near
from policies.finding import Finding
from policies.text_forms import TextForms

TokenKind = Literal["hex", "random"]

MAX_TOKEN = 512  # longer runs are data (base64 images, blobs), not credentials

_HEX = re.compile(r"[0-9a-fA-F]{20,512}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DIGIT = re.compile(r"[0-9]")
_WORDISH = re.compile(r"[A-Z]?[a-z]{3,}")
_PATH_SEGMENT = re.compile(r"[A-Za-z]?[a-z]{2,24}[0-9]{0,3}")
_PART_SEPARATOR = re.compile(r"[_\-+%/]")
_IDENTIFIER_PART = re.compile(r"[A-Za-z]{1,40}[0-9]{0,8}|[0-9]{1,8}[A-Za-z]{0,3}|[A-Za-z0-9]{1,4}")
_SECRET_WORDS = re.compile(r"(?i)token|secret|passw|pwd|api.?key|credential|auth|bearer|private.?key|access.?key")
# Matched on the reversed 80 characters before a value: one anchored attempt instead of a
# search from every position of the window. Forwards it reads: name, closing quote or
# bracket, operator, opening quote or "Bearer "/"Basic "/"Token ".
_ASSIGNED_TO_REVERSED = re.compile(
    r"""(?:["'`]|[ \t]{1,4}(?i:reraeb|cisab|nekot)){0,2}[ \t]{0,4}(?:=:|>=|=|:)[ \t]{0,4}["'\]]{0,2}"""
    r"([A-Za-z0-9_.-]{0,48}[A-Za-z_])"
)
_PASSWORD_NAME = re.compile(r"(?:pass(?:word|wd|phrase)?|pwd)s?[0-9]?\Z")
_SECRET_NAME = re.compile(r"secret|api_?key|private_?key|access_?key")
_TOKEN_NAME = re.compile(r"token|secret|key|auth|credential|bearer|session|signature|cookie|jwt|pat\Z")
_HEX_SECRET_NAME = re.compile(r"secret|token|passw|pwd|api_?key|private_?key|auth|credential|signing")


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def token_kind(token: str) -> TokenKind | None:
    """'random' or 'hex' when ``token`` could be a secret; None for words, identifiers, paths, ids."""
    n = len(token)
    if n < 20 or n > MAX_TOKEN or token.isdigit():
        return None
    if _HEX.fullmatch(token):
        return "hex" if entropy(token) >= 3.0 and not token.isalpha() else None
    if _DIGIT.search(token) is None or _UUID.search(token) is not None:
        return None
    if "/" in token and sum(1 for seg in token.split("/") if _PATH_SEGMENT.fullmatch(seg)) >= 2:
        return None  # a path or URL path: several segments are words
    if sum(len(w) for w in _WORDISH.findall(token)) >= 0.75 * n:
        return None  # mostly words: camelCase identifiers (random tokens stay below 0.75 in 999 of 1000)
    parts = _PART_SEPARATOR.split(token)
    if len(parts) > 1 and all(_IDENTIFIER_PART.fullmatch(p) for p in parts if p):
        return None  # HAVE_GCC_ASM_FOR_MC68881, user-profile-v2-2024, /Modules/_ssl_data_300
    return "random" if entropy(token) >= (3.5 if n < 32 else 3.7) else None


def assigned_name(text: str, start: int) -> str | None:
    """The name a value starting at ``start`` is assigned to (``x = "...``, ``"x": "...``, headers)."""
    m = _ASSIGNED_TO_REVERSED.match(text[max(0, start - 80) : start][::-1])
    return None if m is None else m.group(1)[::-1]


def classify_token(text: str, start: int, end: int) -> Finding | None:
    """GENERIC_SECRET or PASSWORD_ASSIGNMENT for a token run no key-table row claimed."""
    token = text[start:end]
    kind = token_kind(token)
    if kind is None or text.endswith("base64,", 0, start) or token.startswith("AAAA"):
        return None  # image data; SSH public key blobs (AAAAB3NzaC1yc2E..., AAAAC3NzaC1lZDI1NTE5...)
    name = assigned_name(text, start)
    lname = None if name is None else name.lower().replace("-", "_")
    if kind == "hex":  # git SHAs, digests, ids: only a secret when named as one
        if lname is None or _HEX_SECRET_NAME.search(lname) is None:
            # "signing secret for the partner integration: 7bf9...": named in the words just before
            before = text[max(0, start - 48) : start].lower()
            if _HEX_SECRET_NAME.search(before) is None or not before.rstrip().endswith((":", "=", "is")):
                return None
            return Finding("GENERIC_SECRET", "credentials", start, end, 0.6)
        entry = "PASSWORD_ASSIGNMENT" if _PASSWORD_NAME.search(lname) else "GENERIC_SECRET"
        return Finding(entry, "credentials", start, end, 0.7)
    if lname is not None and _PASSWORD_NAME.search(lname):
        return Finding("PASSWORD_ASSIGNMENT", "credentials", start, end, 0.85)
    if lname is not None and _SECRET_NAME.search(lname):
        return Finding("GENERIC_SECRET", "credentials", start, end, 0.85)
    if lname is not None and _TOKEN_NAME.search(lname):
        return Finding("GENERIC_SECRET", "credentials", start, end, 0.8)
    if near(text, start, end, _SECRET_WORDS, window=40):
        return Finding("GENERIC_SECRET", "credentials", start, end, 0.6)
    return None


# --- assigned passwords ---------------------------------------------------------------

# Matched on the lower-cased Latin-1 bytes of the text (one byte per character, so
# offsets are the text's): a literal prefix keeps the scan in C, and case folding is free.
_ASSIGN_TAIL = (
    rb"""s?[0-9]?["'\]]{0,2}[ \t]{0,8}(?P<op>:=|=>|=(?!=)|:(?![:/])|>|[ \t])[ \t]{0,8}"""
    rb"""(?P<val>"[^"\n]{0,200}"|'[^'\n]{0,200}'|`[^`\n]{0,200}`|[^\s"'`,;&<>(){}\[\]]{1,128})"""
)
# "the admin password for the router is gAP0YGM1R!K..uB": tried first, never across "=", ":" or a sentence end.
_PROSE_TAIL = rb"[^\n.:=]{0,60}? (?:is|was) (?P<prose>[^\s,;]{8,64})"
_PASSWORD_KEY = re.compile(rb"p(?:ass(?:word|wd|phrase)?|wd)(?:" + _PROSE_TAIL + rb"|" + _ASSIGN_TAIL + rb")")
_SECRET_KEY = re.compile(rb"secret(?:_?(?:access_?)?key|_?token)?" + _ASSIGN_TAIL)
_ADO_CONTEXT = re.compile(r"(?i)(?:server|data source|host|user id|uid|initial catalog|database)\s?=[^;\n]{0,200};")

_PLACEHOLDER_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "passphrase",
        "none",
        "null",
        "nil",
        "true",
        "false",
        "undefined",
        "str",
        "string",
        "bytes",
        "int",
        "optional",
        "required",
        "changeme",
        "changeit",
        "yourpassword",
        "mypassword",
        "example",
        "placeholder",
        "redacted",
        "hidden",
        "masked",
        "todo",
        "fixme",
        "tbd",
        "env",
        "environ",
        "getpass",
        "input",
        "prompt",
        "secretstr",
        "field",
        "sensitive",
        "omitted",
        "removed",
        "notset",
        "unset",
        "dummy",
        "fake",
        "sample",
        "value",
        "empty",
        "blank",
    }
)
_WEAK_VALUES = frozenset(
    {
        "test",
        "testing",
        "test123",
        "admin",
        "root",
        "1234",
        "12345",
        "123456",
        "12345678",
        "qwerty",
        "letmein",
        "foo",
        "bar",
        "foobar",
        "abc123",
        "pass123",
        "password1",
        "password123",
        "secret123",
        "guest",
        "user",
        "demo",
        "default",
    }
)
_PLACEHOLDER_MARKS = re.compile(
    r"(?i)your|example|placeholder|change.?me|redacted|xxx|\*\*\*|\.\.\.|[<>]|\$[{(]|\A\$[A-Za-z_]|\{\{|%\(|%s|\{\}|\{0\}"
)
_DOTTED_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,64}(?:\.[A-Za-z_][A-Za-z0-9_]{0,64}){1,8}")
_PLAIN_NAME = re.compile(r"[A-Za-z_]+")


def value_confidence(value: str, quoted: bool, bare_word: bool = False) -> float | None:
    """How sure a literal is a real password; None for placeholders and references.

    ``bare_word`` accepts an unquoted plain word, where the syntax rules out a variable
    (``PGPASSWORD=lWipAFxPyrqssc`` in a shell).
    """
    if not value or value.strip() != value:
        return None
    folded = value.casefold()
    if folded in _PLACEHOLDER_WORDS or _PLACEHOLDER_MARKS.search(value) or set(value) <= set("*xX.#-_?"):
        return None
    if folded in _WEAK_VALUES:
        return 0.3
    strong = len(value) >= 6 and not value.isalpha()
    if not quoted:
        if len(value) < 4 or value[0] in "$%{<@!&*#:|" or _DOTTED_NAME.fullmatch(value):
            return None  # a flag or small int, a reference, an attribute, a YAML tag/anchor/alias, a comment
        if _PLAIN_NAME.fullmatch(value):
            return 0.6 if bare_word and len(value) >= 8 else None  # otherwise a variable: password = pwd
        return 0.3 if value.isdigit() else 0.65 if strong else 0.5
    if " " in value:
        return 0.4  # a sentence (UI strings) far more often than a passphrase
    if len(value) < 4:
        return 0.3
    return 0.85 if strong else 0.6


def password_findings(text: str, forms: TextForms) -> list[Finding]:
    """Literals assigned to password- and secret-named keys."""
    findings = []
    for key, letters in ((_PASSWORD_KEY, (b"pass", b"pwd")), (_SECRET_KEY, (b"secret",))):
        if not forms.may_mention(letters):
            continue  # what every match holds is missing: no scan (see TextForms)
        for m in key.finditer(forms.ascii_lower):
            finding = _assignment(text, m)
            if finding is not None:
                findings.append(finding)
    return findings


def _word_boundary(text: str, start: int, m: re.Match[bytes]) -> bool:
    """A name part starts here: dbPassword (camelCase), PGPASSWORD (upper case, long form)."""
    before, first = text[start - 1], text[start]
    if before.islower() and first.isupper():
        return True
    return before.isupper() and text[start : start + 6].isupper() and m.group().startswith((b"passw", b"secret"))


def _assignment(text: str, m: re.Match[bytes]) -> Finding | None:
    start = m.start()
    if start > 0 and text[start - 1].isalnum() and not _word_boundary(text, start, m):
        return None  # inside a longer word: bypass, compass, topsecret
    if m.groupdict().get("prose") is not None:
        return _prose_password(text, *m.span("prose"))
    op = m["op"].decode()
    vstart, vend = m.span("val")
    quoted = text[vstart] in "\"'`"
    if quoted:
        vstart, vend = vstart + 1, vend - 1
    elif text.startswith(("(", "["), vend):
        return None  # a call or subscript: getpass(), os.environ["X"]
    shell = op == "=" and text[start : m.start("op")].isupper() and not text[m.end("op") : vstart]
    confidence = value_confidence(text[vstart:vend], quoted, bare_word=shell)
    if confidence is None:
        return None
    if op.isspace():  # `--password hunter2`, `WITH PASSWORD 'x'`; never prose ("password is", "pass 'x'")
        if not text.endswith("--", 0, start) and not (quoted and m.group().startswith((b"passw", b"secret"))):
            return None
        confidence = min(confidence, 0.6)
    elif op == ">" and not (text.find("<", max(0, start - 24), start) >= 0 and text.startswith("</", vend)):
        return None  # only <password>value</password>
    if op == "=" and not quoted and _in_connection_string(text, start):
        return Finding("CONNECTION_STRING", "credentials", vstart, vend, max(confidence, 0.85))
    entry = "GENERIC_SECRET" if m.group().startswith(b"secret") else "PASSWORD_ASSIGNMENT"
    return Finding(entry, "credentials", vstart, vend, confidence)


def _in_connection_string(text: str, start: int) -> bool:
    """ADO.NET ``Server=...;Password=...``, or a URL query ``jdbc:...://host/db?user=u&password=...``."""
    if text[start - 1 : start] in ("?", "&"):
        return text.find("://", text.rfind("\n", 0, start) + 1, start) >= 0
    return _ADO_CONTEXT.search(text, max(0, start - 300), start) is not None


def _prose_password(text: str, vstart: int, vend: int) -> Finding | None:
    """A password told in a sentence: only a value that cannot be an ordinary word."""
    value = text[vstart:vend].rstrip(".")
    if value.isalpha() or value_confidence(value, quoted=False) is None:
        return None
    return Finding("PASSWORD_ASSIGNMENT", "credentials", vstart, vstart + len(value), 0.7)
