"""Cues for PROMPT_INJECTION: text that tries to replace or read out the model's instructions.

Families here: instruction override ("ignore all previous instructions"), new-instruction
headers and system-prompt extraction, plus the support cues (exfiltration verbs, "verbatim",
counter-cues) shared by every PROMPT_INJECTION cue. Injection carried by structure (role markers,
delimiters, text addressed to an AI) is in ``intent_indirect.py``, other languages in
``intent_multilingual.py``, persona jailbreaks in ``intent_persona.py``.

Every cue matches lowered text. Regexes use only bounded gaps inside one sentence, so they run
in linear time on any input.
"""

from __future__ import annotations

from policies.detectors.intent_scoring import (
    DECISIVE,
    FRAME,
    MODERATE,
    STRONG,
    WEAK,
    CueSet,
    cues_for,
    forms,
    gap,
    wordlist,
    words,
)

ENTRY = "PROMPT_INJECTION"


_cue = cues_for(ENTRY)


_VERB = (
    words("ignor", "disregard", "forget", "overrid", "bypass", "discard", "neglect", "skip", "abandon") + "[a-z]{0,5}"
)
_VERB_PHRASE = words(
    _VERB,
    "set aside",
    "put aside",
    "throw out",
    "pay no attention to",
    "(?:do not|don't|dont|stop|no longer) (?:follow(?:ing)?|obey(?:ing)?|adher(?:e|ing) to|comply(?:ing)? with|"
    "listen(?:ing)? to)",
)
_QUALIFIER = words(
    "previous", "prior", "above", "earlier", "preceding", "foregoing", "former", "original", "initial", "old",
    "existing", "preset", "given", "current", "default", "system", "developer", "safety", "all", "any", "every",
    "your", "these", "those",
)  # fmt: skip
RULES = words(
    "instructions?", "instruction sets?", "rules", "directives?", "guidelines", "guidance", "prompts?",
    "programming", "guardrails", "constraints", "restrictions", "polic(?:y|ies)", "training", "conditioning",
    "commands", "orders", "protocols?", "directions",
)  # fmt: skip
_BEFORE = words(
    "above", "before", "prior", "earlier", "so far", "you were told", "you have been told", "i said", "we discussed",
    "that came before", "previously said", "up to (?:this|now)",
)  # fmt: skip

OVERRIDE = CueSet(
    needles=(
        *forms("ignor", "e", "es", "ed", "ing"),
        *forms("disregard", "", "s", "ed", "ing"),
        *forms("forget", "", "s", "ting"),
        *forms("overrid", "e", "es", "ing"),
        *forms("bypass", "", "es", "ing"),
        *forms("discard", "", "ing"),
        *wordlist("neglect abandon aside follow following obey"),
    ),
    cues=(
        _cue("override", DECISIVE, rf"\b{_VERB_PHRASE}\b{gap(30)}\b{_QUALIFIER}\b{gap(30)}\b{RULES}\b"),
        _cue("override", MODERATE, rf"\b{_VERB_PHRASE}\b{gap(30)}\b{RULES}\b"),
        _cue(
            "override",
            MODERATE,
            rf"\b{_VERB_PHRASE}\s(?:all\s|of\s){{0,2}}(?:everything|anything|all|the)\s{_BEFORE}\b",
        ),
        _cue("override", MODERATE, rf"\b{_VERB_PHRASE}\s(?:all\s)?(?:the|that|everything)\s(?:above|before)\b"),
    ),
    before=12,
    after=100,
)

_NEW = words("new", "updated", "revised", "real", "actual", "true", "additional", "secret", "hidden", "override",
             "priority", "urgent", "important")  # fmt: skip
_TASK = words("instructions?", "directives?", "rules", "orders?", "task", "objective", "mission", "goal",
              "purpose", "job", "role", "prompt")  # fmt: skip
NEW_INSTRUCTIONS = CueSet(
    needles=(*forms("instruction", "", "s"), *forms("directive", "", "s"), *forms("supersede", "", "s"), "precedence"),
    cues=(
        _cue("new_rules", MODERATE, rf"\b{_NEW}\s(?:system\s)?{_TASK}\s{{0,2}}:"),
        _cue(
            "new_rules",
            STRONG,
            r"\b(?:supersedes?|overrides?|overrules?|takes? precedence over|replaces?|cancels?)\s(?:all\s|any\s)?"
            rf"(?:previous|prior|earlier|other|existing|the)\s(?:ones|{RULES})",
        ),
        _cue(
            "relay",
            MODERATE,
            r"\b(?:follow|obey|execute|carry out|comply with)\s(?:the\s)?(?:instructions?|commands?|directions?)\s"
            r"(?:inside|in it|within|encoded|hidden|contained)",
        ),
    ),
    before=50,
    after=50,
)
# "Your new task is ...": the cues begin with their needle, so each window scan is short.
YOUR_NEW = CueSet(
    needles=("your",),
    cues=(
        _cue(
            "new_rules",
            STRONG,
            rf"your\s{_NEW}\s{_TASK}\s(?:is|are|will be|now|from now on|:|supersedes?|"
            r"overrides?|replaces?|cancels?)",
        ),
        _cue(
            "new_rules",
            MODERATE,
            r"your\s(?:rules|instructions|guidelines|polic(?:y|ies)|restrictions)\s(?:have|has)\s(?:been\s)?"
            r"(?:changed|updated|lifted|removed|suspended|revoked|replaced)",
        ),
    ),
    before=0,
    after=70,
)

_REVEAL = "(?:" + words(
    "repeat", "print", "reveal", "show", "display", "output", "tell", "give", "write", "list", "share", "leak",
    "dump", "disclose", "expose", "recite", "return", "paste", "copy", "spell out", "read back", "echo", "provide",
    "reproduce", "summari[sz]e", "add a (?:short |brief )?summary of",
) + "(?:s|ing)?|what(?:'s| is| are| was| were))"  # fmt: skip
_SECRET_ADJ = words("initial", "original", "hidden", "secret", "internal", "underlying", "confidential", "private",
                    "first", "pre", "full", "exact", "complete", "entire", "operating", "developer",
                    "system")  # fmt: skip
_PROMPTISH = words("prompts?", "instructions?", "messages?", "rules", "guidelines", "directives?", "configuration",
                   "context")  # fmt: skip
EXTRACTION = CueSet(
    needles=(*forms("prompt", "", "s"), *forms("instruction", "", "s"), "preprompt", "guidelines", "configuration"),
    cues=(
        _cue("extract", STRONG, rf"\b{_REVEAL}\b{gap(50)}\b(?:your|the)\s{_SECRET_ADJ}[ -]?{gap(12)}{_PROMPTISH}\b"),
        _cue("extract", STRONG, rf"\b{_REVEAL}\b{gap(30)}\byour\s(?:system\s)?{_PROMPTISH}\b"),
        _cue("extract", MODERATE, rf"\b{_REVEAL}\b{gap(30)}\bthe\s(?:system prompt|system message|pre-?prompt)\b"),
        _cue(
            "extract",
            STRONG,
            rf"\b{_REVEAL}\b{gap(40)}\b{_PROMPTISH}\s(?:that\s)?you\s(?:were|have been|got|received|are)\s"
            r"(?:given|told|provided|programmed|trained|configured)",
        ),
        _cue("extract", MODERATE, rf"\b{_PROMPTISH}\s(?:that\s)?you\s(?:were|have been)\s(?:given|told|programmed)"),
    ),
    before=90,
    after=50,
)
# The secret-message form, the "text above" forms and "everything in your context" each hang
# on a common word, so each gets its own needle and only the cues that need it.
EXTRACTION_MESSAGE = CueSet(
    needles=("message", "messages"),
    cues=(
        _cue(
            "extract",
            STRONG,
            rf"\b{_REVEAL}\b{gap(60)}\b(?:your|the)\s{_SECRET_ADJ}\s(?:{_SECRET_ADJ}\s)?messages?\b",
        ),
    ),
    before=100,
    after=10,
)
EXTRACTION_ABOVE = CueSet(
    needles=wordlist("above before starting beginning starts begins"),
    cues=(
        _cue(
            "extract",
            WEAK,
            rf"\b(?:repeat|print|output|copy|reproduce|recite|write out)\b{gap(30)}\b"
            r"(?:above|before this|prior to this|so far)\b",
        ),
        _cue("extract", MODERATE, r"\bwhat (?:was|is) written (?:above|before)"),
        _cue(
            "extract",
            WEAK,
            r"\b(?:everything|all|the text|anything) (?:before|above) (?:this|my) (?:message|line|point|prompt)",
        ),
        _cue(
            "extract",
            STRONG,
            r"\b(?:starting|beginning|that starts?|that begins?) with\s(?:the\s)?(?:phrase\s|words?\s|sentence\s)?"
            r"[\"'`]?(?:you are|you're|your|i am)\b",
        ),
    ),
    before=50,
    after=40,
)
EXTRACTION_CONTEXT = CueSet(
    needles=("context", "memory"),
    cues=(
        _cue(
            "extract",
            MODERATE,
            r"\b(?:everything|all|contents?)\s(?:in|of|inside|within)\s(?:your|the)\s"
            r"(?:context(?: window)?|memory|system prompt)",
        ),
        _cue(
            "extract",
            MODERATE,
            rf"\b{_REVEAL}\b{gap(40)}\b(?:from|in|inside|within|of)\syour\s(?:context(?: window)?|memory|"
            r"system prompt|instructions)",
        ),
    ),
    before=80,
    after=20,
)

CUE_SETS = (
    OVERRIDE,
    NEW_INSTRUCTIONS,
    YOUR_NEW,
    EXTRACTION,
    EXTRACTION_MESSAGE,
    EXTRACTION_ABOVE,
    EXTRACTION_CONTEXT,
)  # fmt: skip

# Cues that only count next to a primary cue: each is common in benign text on its own.
_SECRETS = words(
    "api[ _-]?keys?", "secret keys?", "secrets", "passwords?", "credentials", "access tokens?", "private keys?",
    "env(?:ironment)? var(?:iable)?s", "ssh keys?", "session tokens?", "internal (?:data|configuration|config)",
    "(?:customer|user|client|order|employee) (?:data|database|list|records|emails|information)",
    "(?:confidential|private|sensitive) (?:data|information|documents?|files?)",
)  # fmt: skip
SUPPORT = (
    _cue(
        "exfil",
        WEAK,
        r"\b(?:reveal|print|output|show|list|dump|display|give me|tell me|send|leak|expose|share|forward|e-?mail|"
        rf"post|upload|return|collect|gather|harvest|extract)\b{gap(30)}\b{_SECRETS}",
    ),
    _cue(
        "exfil",
        WEAK,
        rf"\b(?:send|forward|e-?mail|post|upload|transmit|exfiltrate)\b{gap(50)}\bto\s"
        r"(?:[a-z0-9._-]{1,40}@|https?://|(?:the |an |my )?(?:external|attacker|webhook|remote))",
    ),
    _cue(
        "destroy",
        WEAK,
        r"\b(?:delete|remove|wipe|erase|drop|truncate)\s(?:all\s|every\s)?(?:the\s)?(?:files|data|records|"
        r"database|tables?|repository|repo|backups|logs)\b",
    ),
    _cue("tool_call", FRAME, r"\b(?:call|use|invoke|run)\s(?:the\s)?[a-z]{2,20}_[a-z_]{2,30}\b"),
    _cue("verbatim", WEAK, r"\b(?:verbatim|word[- ]for[- ]word|character for character|exactly as (?:written|given))"),
    _cue(
        "canary",
        WEAK,
        rf"\b(?:append|include|add|insert|end with|mention)\b{gap(80)}\b(?:to|in|at)\s(?:the\s)?"
        r"(?:end\s(?:of\s)?)?(?:your|every|each|the|all)\s(?:future\s)?(?:reply|replies|response|responses|"
        r"answer|answers|summary|summaries|review|output|message|report)s?\b",
    ),
    _cue(
        "persist",
        WEAK,
        rf"\b(?:save|store|write|add|commit|remember)\b{gap(30)}\b(?:to|in|into)\s(?:your\s)?"
        r"(?:long-term\s|persistent\s)?memory\b|\b(?:all|every|each) future (?:tasks?|repl(?:y|ies)|"
        r"responses?|conversations?|sessions?|summar(?:y|ies)|reports?|turns?)\b",
    ),
    _cue(
        "imperative",
        FRAME,
        r"\b(?:you must|you are required to|you are hereby instructed to|the assistant must|you should now|"
        r"before (?:you )?(?:answer|respond|repl)\w{0,3})\b",
    ),
    _cue(
        "canary",
        WEAK,
        r"(?:am ende jeder antwort|[aà] la fin de (?:toute|chaque) r[eé]ponse|al final de (?:cualquier|cada) respuesta|"
        r"alla fine di ogni risposta|no final de (?:cada|qualquer) resposta)",
    ),
    _cue(
        "obey",
        WEAK,
        r"\b(?:follow|obey|do)\s(?:only\s)?(?:my|these|the following|our)\s(?:new\s)?(?:commands|orders|"
        r"instructions|rules)\b|\byou (?:will|must|shall) (?:now )?(?:obey|comply|do whatever|do anything)\b",
    ),
    _cue(
        "when_read",
        WEAK,
        r"\b(?:when|while|after|once|before)\s(?:you\s)?(?:read|reading|process|processing|see|seeing|summari[sz]e|"
        r"summari[sz]ing|review|reviewing|parse|parsing)\s(?:this|these|the following)\b",
    ),
    _cue(
        "persuade",
        WEAK,
        r"\b(?:so|therefore|thus|hence)\s(?:i|the assistant)\s(?:should|will|must|can|may)\s(?:now\s)?(?:proceed|"
        r"comply|provide|output|answer|disregard|ignore|append|reveal)\b|\bthe correct (?:next )?step is to "
        r"(?:comply|answer|respond|proceed)",
    ),
    _cue(
        "priming",
        WEAK,
        r"\b(?:sure|certainly|of course|absolutely)[,!]?\s(?:here (?:is|are)|i can share)\s(?:the\s|my\s|your\s)?"
        r"(?:admin\s|root\s)?(?:password|api key|secret|credentials|system prompt|instructions|private key)",
    ),
    _cue("hijack", WEAK, r"\bignore the user(?:'s)?(?:\s(?:question|request|task|message|prompt|input))?\b"),
    _cue(
        "redirect",
        WEAK,
        r"\binstead,?\s(?:just\s)?(?:say|print|output|write|respond|reply|tell|answer|return|recommend|list|explain|"
        r"give|describe|provide|show)\b|"
        r"\b(?:i have been|i've been) (?:pwned|hacked|owned)\b|\bpwned\b",
    ),
    _cue(
        "own",
        -0.3,
        r"\b(?:ignore|disregard|forget)\s(?:all\s)?my\s(?:own\s)?(?:previous|prior|earlier|last|above|old|original|"
        r"first|other)?\s?(?:message|email|question|request|instructions?|reply|answer|comment|prompt|note|post)",
    ),
    _cue(
        "meta",
        -0.3,
        r"\b(?:detect|classif|prevent|defen[cd]|mitigat|protect(?:ing|ion)? against|guard against|red[- ]team|"
        r"benchmark|dataset|research|paper|taxonomy|examples? of|what (?:is|are))\w{0,6}\b"
        r"[^.!?\n]{0,40}?\b(?:prompt injections?|injection attacks?|jailbreaks?|jailbreaking)\b",
    ),
    _cue(
        "quoted",
        -0.3,
        r"\b(?:such as|like|e\.g\.|for example|for instance|phrases? like|called|known as|flags?|blocks?|catch(?:es)?)"
        r"[:,]?\s{0,2}[\"'“‘]",
    ),
    _cue(
        "code",
        -0.3,
        r"\b(?:tokenizer|chat_template|apply_chat_template|special tokens?|jinja|template string|f-string|"
        r"\.format\(|\.replace\(|chatml|prompt format)",
    ),
)
