"""The provider-key table: one data row per credential format, and how a row is matched.

A row names the entry, the literal prefixes that start the secret, the exact pattern
(charset and lengths as the provider issues them) and a confidence. Rows without a
prefix describe secrets that have no marker of their own (a 40-character AWS secret,
a 32-hex Azure key); they fire only with ``context`` words nearby.

The detector (``secrets.py``) never scans the text once per row. It finds *token runs*
(maximal runs of ``RUN_CHARS``, at least ``MIN_RUN`` long) in one pass and asks
``match_key`` about each run start; a prefix containing a character outside the run
class (``SG.``, ``hooks.slack.com/``, ``AccountKey=``) is split into the part before the
run (its *lead*, checked with ``endswith``) and the part inside it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass

from policies.detectors.base import near

RUN_CHARS = frozenset(string.ascii_letters + string.digits + "_-/+%")
MIN_RUN = 20  # the shortest secret with a marker: AKIA + 16

EXAMPLE = 0.2  # documented example keys and obvious dummies are reported, at low confidence


@dataclass(frozen=True, slots=True)
class KeyRule:
    entry: str
    prefixes: tuple[str, ...]  # () for a context rule, tried on runs whose length is in ``lengths``
    pattern: re.Pattern[str]  # matched where the prefix starts
    confidence: float
    context: re.Pattern[str] | None = None  # required near the match
    window: int = 80
    lengths: tuple[int, int] = (0, 0)
    validate: Callable[[str], float | None] | None = None  # confidence override; None drops the match


# Right boundary shared by the token-shaped patterns: the secret is not followed by more token.
_END = r"(?![A-Za-z0-9_-])"

_ANTHROPIC = re.compile(r"sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA" + _END)
_ANTHROPIC_OTHER = re.compile(r"sk-ant-[a-z]{3,8}[0-9]{2}-[A-Za-z0-9_-]{32,200}" + _END)
_OPENAI_SCOPED = re.compile(r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}" + _END)
_OPENAI_SCOPED_NOMARK = re.compile(r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}" + _END)
_OPENAI_LEGACY = re.compile(r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}" + _END)
_OPENAI_LEGACY_NOMARK = re.compile(r"sk-[A-Za-z0-9]{48}" + _END)
_AWS_KEY_ID = re.compile(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}" + _END)  # the body is base32
_AWS_KEY_ID_LOOSE = re.compile(r"(?:AKIA|ASIA)[A-Z0-9]{16}" + _END)
_AWS_SECRET = re.compile(r"[A-Za-z0-9/+]{40}")
_AWS_CONTEXT = re.compile(r"(?i:aws.{0,20}secret|secret.?access.?key|aws_?secret)|(?:AKIA|ASIA)[A-Z2-7]{16}")
_GITHUB = re.compile(r"gh[pousr]_[A-Za-z0-9]{36}" + _END)
_GITHUB_PAT = re.compile(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}" + _END)
_GITHUB_PAT_LOOSE = re.compile(r"github_pat_[A-Za-z0-9_]{60,120}" + _END)
_GITLAB_ROUTABLE = re.compile(r"glpat-[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}" + _END)
_GITLAB = re.compile(r"glpat-[A-Za-z0-9_-]{20,64}" + _END)
_GITLAB_OTHER = re.compile(r"gl(?:rt|dt|ft|soat|ffct)-[A-Za-z0-9_-]{20,64}" + _END)  # runner, deploy, feed...
_GITLAB_TRIGGER = re.compile(r"glptt-[0-9a-f]{40}" + _END)
_SLACK = re.compile(r"xox[abeoprs]-(?:[0-9]{1,14}-){1,4}[A-Za-z0-9]{8,250}" + _END)
_SLACK_APP = re.compile(r"xapp-[0-9]-[A-Z0-9]{8,14}-[0-9]{8,16}-[A-Za-z0-9]{32,128}" + _END)
_SLACK_WEBHOOK = re.compile(r"hooks\.slack\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24}" + _END)
_SLACK_WORKFLOW = re.compile(
    r"hooks\.slack\.com/(?:workflows|triggers)/T[A-Z0-9]{8,12}/A[A-Z0-9]{8,12}/[0-9]{8,20}/[A-Za-z0-9]{24,40}" + _END
)
_STRIPE_LIVE = re.compile(r"(?:sk|rk)_live_[A-Za-z0-9]{24,247}" + _END)
_STRIPE_TEST = re.compile(r"(?:sk|rk)_test_[A-Za-z0-9]{24,247}" + _END)
_STRIPE_WEBHOOK = re.compile(r"whsec_[A-Za-z0-9]{32,64}" + _END)
_STRIPE_PUBLISHABLE = re.compile(r"pk_(?:live|test)_[A-Za-z0-9]{24,247}" + _END)
_GOOGLE = re.compile(r"AIza[A-Za-z0-9_-]{35}" + _END)
_AZURE_ACCOUNT_KEY = re.compile(r"AccountKey=[A-Za-z0-9+/]{86}==")
_AZURE_SHARED_KEY = re.compile(r"SharedAccessKey=[A-Za-z0-9+/]{43}=")
_AZURE_SAS_SIG = re.compile(r"sig=[A-Za-z0-9%+/]{40,120}(?![A-Za-z0-9%+/])")
_AZURE_SAS_CONTEXT = re.compile(r"sv=20[0-9]{2}-[0-9]{2}-[0-9]{2}")
_AZURE_AI = re.compile(r"[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{26}")  # 84-character AI services keys
_HEX32 = re.compile(r"[0-9a-fA-F]{32}")
_AZURE_CONTEXT = re.compile(r"(?i)azure|ocp-apim-subscription-key|cognitive|windows\.net")
_TWILIO_KEY = re.compile(r"SK[0-9a-fA-F]{32}" + _END)
_TWILIO_SID = re.compile(r"AC[0-9a-f]{32}" + _END)
_TWILIO_CONTEXT = re.compile(r"(?i)auth.?token|twilio")
_SENDGRID = re.compile(r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}" + _END)
_NPM = re.compile(r"npm_[A-Za-z0-9]{36}" + _END)
_PYPI = re.compile(r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}" + _END)
_TEST_PYPI = re.compile(r"pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{50,1000}" + _END)
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,1500}\.[A-Za-z0-9_-]{2,10000}\.[A-Za-z0-9_-]{0,1500}(?![A-Za-z0-9_.-])")

_DUMMY = re.compile(r"(?i)example|dummy|sample|placeholder|your|xxxx|0{6}|123456|redacted|fake")
# The token jwt.io shows on its front page: it appears in tutorials, not in leaks.
_JWT_IO_SIGNATURE = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
# Keys printed in vendors' own quickstarts.
_DOCUMENTED_KEYS = frozenset({"sk_test_4eC39HqLyjWDarjtT1zdp7dc", "pk_test_TYooMQauvdEDq54NiTphI7jx"})


def is_dummy(value: str) -> bool:
    """Documented examples, placeholders, and bodies too repetitive to be random."""
    return _DUMMY.search(value) is not None or len(set(value)) < 8


def _b64url_json(part: str) -> object:
    try:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None


def _validate_jwt(value: str) -> float | None:
    header, payload, signature = value.split(".")
    decoded = _b64url_json(header)
    if not isinstance(decoded, dict) or "alg" not in decoded or not isinstance(_b64url_json(payload), dict):
        return None
    if signature == _JWT_IO_SIGNATURE:
        return EXAMPLE
    if not signature or str(decoded.get("alg")).lower() == "none":
        return 0.5  # unsigned: proves nothing, but the claims may still be sensitive
    return 0.9 if len(signature) >= 16 else None


def _validate_aws_secret(value: str) -> float | None:
    # Real secrets are random base64: all three character kinds appear. Hex digests do not.
    if value.lower() == value or value.upper() == value or not any(c.isdigit() for c in value):
        return None
    return EXAMPLE if "EXAMPLEKEY" in value else 0.85


KEY_RULES: tuple[KeyRule, ...] = (
    KeyRule("ANTHROPIC_API_KEY", ("sk-ant-api03-", "sk-ant-admin01-"), _ANTHROPIC, 0.95),
    KeyRule("ANTHROPIC_API_KEY", ("sk-ant-",), _ANTHROPIC_OTHER, 0.85),
    KeyRule("OPENAI_API_KEY", ("sk-proj-", "sk-svcacct-", "sk-admin-"), _OPENAI_SCOPED, 0.95),
    KeyRule("OPENAI_API_KEY", ("sk-proj-", "sk-svcacct-", "sk-admin-"), _OPENAI_SCOPED_NOMARK, 0.85),
    KeyRule("OPENAI_API_KEY", ("sk-",), _OPENAI_LEGACY, 0.95),
    # Other vendors (DeepSeek, Moonshot...) also issue "sk-" keys: the marker-less shape is medium.
    KeyRule("OPENAI_API_KEY", ("sk-",), _OPENAI_LEGACY_NOMARK, 0.7),
    KeyRule("AWS_ACCESS_KEY", ("AKIA", "ASIA", "ABIA", "ACCA"), _AWS_KEY_ID, 0.9),
    KeyRule("AWS_ACCESS_KEY", ("AKIA", "ASIA"), _AWS_KEY_ID_LOOSE, 0.6),
    KeyRule("GITHUB_TOKEN", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), _GITHUB, 0.95),
    KeyRule("GITHUB_TOKEN", ("github_pat_",), _GITHUB_PAT, 0.95),
    KeyRule("GITHUB_TOKEN", ("github_pat_",), _GITHUB_PAT_LOOSE, 0.8),
    KeyRule("GITLAB_TOKEN", ("glpat-",), _GITLAB_ROUTABLE, 0.95),
    KeyRule("GITLAB_TOKEN", ("glpat-",), _GITLAB, 0.9),
    KeyRule("GITLAB_TOKEN", ("glrt-", "gldt-", "glft-", "glsoat-", "glffct-"), _GITLAB_OTHER, 0.9),
    KeyRule("GITLAB_TOKEN", ("glptt-",), _GITLAB_TRIGGER, 0.9),
    KeyRule("SLACK_TOKEN", ("xoxa-", "xoxb-", "xoxe-", "xoxo-", "xoxp-", "xoxr-", "xoxs-"), _SLACK, 0.9),
    KeyRule("SLACK_TOKEN", ("xapp-",), _SLACK_APP, 0.95),
    KeyRule("SLACK_WEBHOOK", ("hooks.slack.com/services/",), _SLACK_WEBHOOK, 0.95),
    KeyRule("SLACK_WEBHOOK", ("hooks.slack.com/workflows/", "hooks.slack.com/triggers/"), _SLACK_WORKFLOW, 0.9),
    KeyRule("STRIPE_KEY", ("sk_live_", "rk_live_"), _STRIPE_LIVE, 0.95),
    KeyRule("STRIPE_KEY", ("whsec_",), _STRIPE_WEBHOOK, 0.9),
    KeyRule("STRIPE_KEY", ("sk_test_", "rk_test_"), _STRIPE_TEST, 0.5),
    KeyRule("STRIPE_KEY", ("pk_live_", "pk_test_"), _STRIPE_PUBLISHABLE, 0.25),  # public by design
    KeyRule("GOOGLE_API_KEY", ("AIza",), _GOOGLE, 0.9),
    KeyRule("AZURE_KEY", ("AccountKey=",), _AZURE_ACCOUNT_KEY, 0.95),
    KeyRule("AZURE_KEY", ("SharedAccessKey=",), _AZURE_SHARED_KEY, 0.9),
    KeyRule("AZURE_KEY", ("sig=",), _AZURE_SAS_SIG, 0.85, context=_AZURE_SAS_CONTEXT, window=400),
    KeyRule("AZURE_KEY", (), _AZURE_AI, 0.9, lengths=(84, 84)),
    KeyRule("AZURE_KEY", (), _HEX32, 0.8, context=_AZURE_CONTEXT, lengths=(32, 32)),
    KeyRule("TWILIO_KEY", ("SK",), _TWILIO_KEY, 0.8),
    KeyRule("TWILIO_KEY", ("AC",), _TWILIO_SID, 0.8, context=_TWILIO_CONTEXT, window=120),
    KeyRule("SENDGRID_KEY", ("SG.",), _SENDGRID, 0.95),
    KeyRule("NPM_TOKEN", ("npm_",), _NPM, 0.9),
    KeyRule("PYPI_TOKEN", ("pypi-AgEIcHlwaS5vcmc",), _PYPI, 0.95),
    KeyRule("PYPI_TOKEN", ("pypi-AgENdGVzdC5weXBpLm9yZw",), _TEST_PYPI, 0.7),
    KeyRule("JWT", ("eyJ",), _JWT, 0.9, validate=_validate_jwt),
    KeyRule(
        "AWS_SECRET_KEY",
        (),
        _AWS_SECRET,
        0.85,
        context=_AWS_CONTEXT,
        window=120,
        lengths=(40, 40),
        validate=_validate_aws_secret,
    ),
)


def _split(prefix: str) -> tuple[str, str]:
    """(lead, rest): ``lead`` ends at the prefix's last character outside the run class."""
    cut = max((i + 1 for i, c in enumerate(prefix) if c not in RUN_CHARS), default=0)
    return prefix[:cut], prefix[cut:]


_INDEX: tuple[tuple[str, str, KeyRule], ...] = tuple(
    (lead, rest, rule) for rule in KEY_RULES for lead, rest in map(_split, rule.prefixes)
)
# Two C-level gates that reject almost every run before any row is looked at.
_RESTS = tuple(sorted({rest for _, rest, _ in _INDEX if rest}))
_BARE_LEADS = tuple(sorted({lead for lead, rest, _ in _INDEX if not rest}))
_CONTEXT_RULES = tuple(rule for rule in KEY_RULES if not rule.prefixes)
_MIN_CONTEXT_LEN = min(rule.lengths[0] for rule in _CONTEXT_RULES)
_MAX_CONTEXT_LEN = max(rule.lengths[1] for rule in _CONTEXT_RULES)

KeyMatch = tuple[KeyRule, int, int, float]


def match_key(text: str, start: int, end: int) -> KeyMatch | None:
    """The first row matching the token run ``text[start:end]``: (rule, start, end, confidence)."""
    if text.startswith(_RESTS, start) or text.endswith(_BARE_LEADS, 0, start):
        for lead, rest, rule in _INDEX:
            if text.startswith(rest, start) and text.endswith(lead, 0, start):
                found = _try(rule, text, start - len(lead), None)
                if found is not None:
                    return found
    if _MIN_CONTEXT_LEN <= end - start <= _MAX_CONTEXT_LEN:
        for rule in _CONTEXT_RULES:
            if rule.lengths[0] <= end - start <= rule.lengths[1]:
                found = _try(rule, text, start, end)
                if found is not None:
                    return found
    return None


def _try(rule: KeyRule, text: str, start: int, end: int | None) -> KeyMatch | None:
    m = rule.pattern.match(text, start) if end is None else rule.pattern.fullmatch(text, start, end)
    if m is None:
        return None
    if rule.context is not None and not near(text, m.start(), m.end(), rule.context, rule.window):
        return None
    value = m.group()
    confidence = rule.confidence if rule.validate is None else rule.validate(value)
    if confidence is None:
        return None
    if value in _DOCUMENTED_KEYS or (confidence > EXAMPLE and is_dummy(value[len(_prefix_of(rule, value)) :])):
        confidence = EXAMPLE
    return rule, m.start(), m.end(), confidence


def _prefix_of(rule: KeyRule, value: str) -> str:
    return next((p for p in rule.prefixes if value.startswith(p)), "")
