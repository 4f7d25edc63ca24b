"""Cues for PROMPT_INJECTION carried by structure rather than by a plain imperative.

Fake role markers and chat-template tokens (``<|im_start|>system``, ``[INST]``, ``### System:``,
``</user>``), delimiters that pretend the user's input or the system prompt has ended, hidden
HTML comments, text addressed to an AI that reads a document ("Note to the AI assistant: ..."),
"decode/translate this and then execute it" relays, and requests to send data to an outside
address. A document the user pastes is where indirect injection hides, so these cues look for
the shape of an instruction aimed at the model rather than at a person.
"""

from __future__ import annotations

from policies.detectors.intent_injection import ENTRY
from policies.detectors.intent_scoring import MODERATE, STRONG, WEAK, CueSet, cues_for, forms, gap, wordlist, words

_cue = cues_for(ENTRY)


_MARK_ROLE = words(
    "system", "sys", "developer", "admin", "administrator", "root", "assistant", "system note", "system message",
    "system prompt", "system override", "system update", "system notice", "system alert", "system instruction",
    "new instructions?", "instructions?", "important",
)  # fmt: skip
# Closing the user's turn or the quoted data ("</user>", "</document>") breaks out of it; closing
# a system or assistant tag is a role marker like opening one.
_CLOSING = words("user", "user_input", "user_message", "human", "input", "context", "document", "data", "query",
                 "untrusted", "email", "webpage")  # fmt: skip
_CLOSING_ROLE = words("system", "assistant", "instructions", "developer")
TOKENS = CueSet(
    needles=("<|", "inst", "sys"),
    cues=(
        _cue(
            "token",
            STRONG,
            r"<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|end_header_id|start_header_id|eot_id|"
            r"begin_of_text|end_of_text|eom_id)\|?>?",
        ),
        _cue("token", STRONG, r"\[/?inst\]|<</?sys>>"),
    ),
    before=3,
    after=30,
)
MARKERS = CueSet(
    needles=wordlist("system sys developer admin assistant systemhinweis systemnachricht système sistema"),
    cues=(
        _cue(
            "marker",
            MODERATE,
            rf"(?:\[|<|\{{|#{{2,4}}|\*\*|```|-{{3}}|={{3}})[ \t]{{0,2}}{_MARK_ROLE}[ \t]{{0,2}}"
            r"(?:\]|>|\}|:|\*\*|#{2,4}|\n)",
        ),
        _cue("marker", WEAK, r"(?:^|\n)[ \t]{0,6}(?:system|assistant|developer)[ \t]{0,2}:"),
        _cue("marker", MODERATE, r"\bsystem\s(?:note|notice|update|override|alert|instruction|message)s?\s?:"),
        _cue(
            "marker",
            MODERATE,
            r"\b(?:systemhinweis|systemnachricht|note syst[eè]me|message syst[eè]me|nota del sistema|"
            r"mensaje del sistema|nota di sistema|messaggio di sistema|nota do sistema|mensagem do sistema)\s?:",
        ),
    ),
    before=12,
    after=40,
)

AI = words("ai", "assistant", "bot", "chatbot", "model", "llm", "language model", "agent", "gpt", "chatgpt",
           "claude", "copilot", "gemini", "ai assistant", "ai agent", "ai model", "ai system")  # fmt: skip
# "Note to the assistant manager" addresses a person.
_NOT_A_JOB = r"(?!\s(?:team|group|manager|managers|department|position|role|job|staff|director|editor|coach|professor))"
ADDRESSED = CueSet(
    needles=wordlist("ai assistant bot chatbot llm agent agents gpt chatgpt claude copilot"),
    cues=(
        _cue(
            "address_ai",
            STRONG,
            r"\b(?:note|message|instructions?|notice|attention|important|reminder|warning|directive|request|memo|"
            rf"hint)\s{{0,2}}(?:to|for)\s(?:the\s|any\s|all\s|an\s)?{AI}s?\b{_NOT_A_JOB}",
        ),
        _cue(
            "address_ai",
            MODERATE,
            rf"\b(?:if|when|while)\syou(?:\sare|'re)\s(?:an?\s)?{AI}\b"
            r"(?!\s(?:researcher|engineer|developer|enthusiast|student|company|startup|team))",
        ),
        _cue(
            "address_ai",
            MODERATE,
            rf"\b{AI}s?{_NOT_A_JOB}\s(?:that is\s|who is\s)?(?:reading|processing|summari[sz]ing|reviewing|parsing|"
            r"analy[sz]ing|ingesting|integrating|crawling)\s(?:this|these)\b",
        ),
    ),
    before=50,
    after=50,
)

_RELAY_EXEC = words(
    "execute", "follow", "obey", "comply", "carry out", "act (?:on|upon)",
    "do (?:exactly\\s)?(?:what|as) (?:it|they) (?:says?|instructs?)",
    "run (?:it|them|the result) as (?:a )?(?:command|code|instructions?|prompt)",
)  # fmt: skip
RELAY = CueSet(
    needles=(
        *forms("translat", "e", "ing", "ion"),
        *forms("decod", "e", "ing"),
        *forms("decrypt", "", "ing"),
        *forms("decipher", "", "ing"),
        *wordlist("rot13 unscramble base64 backwards reversed reverse convert"),
    ),
    cues=(
        _cue(
            "relay",
            STRONG,
            r"\b(?:translate|decode|decrypt|decipher|convert|unscramble|reverse|read|interpret|apply)\b"
            rf"{gap(60)}\b(?:and|then|,)\s(?:then\s)?{_RELAY_EXEC}\b",
        ),
    ),
    before=60,
    after=90,
)

CLOSERS = CueSet(
    needles=("</",),
    cues=(_cue("closer", MODERATE, rf"</{_CLOSING}>"), _cue("marker", MODERATE, rf"</{_CLOSING_ROLE}>")),
    before=0,
    after=24,
)
_DELIMITED = words("system prompt", "system message", "system instructions", "user input", "user message",
                   "user query", "user prompt", "instructions")  # fmt: skip
ENDINGS = CueSet(
    needles=("end", "begin", "beginning"),
    cues=(
        _cue("delimiter", MODERATE, rf"end(?<![a-z]end)\s(?:of\s)?(?:the\s)?{_DELIMITED}\b"),
        _cue("delimiter", MODERATE, rf"begin(?<![a-z]begin)(?:ning)?\s(?:of\s)?(?:the\s)?{_DELIMITED}\b"),
        _cue(
            "delimiter", WEAK, r"end(?<![a-z]end) of (?:the )?(?:document|conversation|context|input|data|email|file)\b"
        ),
    ),
    before=0,
    after=50,
)
HIDDEN = CueSet(
    needles=("<!--",),
    cues=(
        _cue(
            "hidden",
            MODERATE,
            r"<!--[^>]{0,40}?\b(?:important|note|instructions?|system|assistant|ai|llm|model|when (?:summari[sz]|"
            r"read|process)\w{0,4}|ignore|disregard)\b",
        ),
    ),
    before=0,
    after=80,
)
_DATA = words(
    "customer (?:list|data|emails|records|database|details)", "api[ _-]?keys?", "credentials", "passwords?",
    "secrets", "chat history", "conversation(?: history)?", "environment variables", "order data", "user data",
    "(?:the full|all|every|the entire) (?:data|records|files|emails|messages|history|database|list)",
)  # fmt: skip
_DESTINATION = (
    r"(?:[a-z0-9._-]{1,40}@[a-z0-9-]{1,40}\.|https?://|(?:an? |the |my )?(?:external|attacker|remote|third[- ]party))"
)
EXFILTRATION = CueSet(
    needles=wordlist("customer credentials passwords secrets history keys database externally"),
    cues=(
        _cue(
            "exfil_dest",
            MODERATE,
            r"\b(?:send|sends|email|e-mail|forward|post|upload|transmit|exfiltrate|copy|share|leak|dump)\b"
            rf"{gap(40)}\b{_DATA}\b{gap(40)}(?:\bto\s{_DESTINATION}|\bexternally\b)",
        ),
    ),
    before=60,
    after=110,
)


CUE_SETS = (TOKENS, MARKERS, CLOSERS, ENDINGS, HIDDEN, ADDRESSED, RELAY, EXFILTRATION)
