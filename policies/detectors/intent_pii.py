"""Cues for PII_REQUEST: asking for an identified person's personal data.

A request needs both a *kind of data* (home address, phone number, SSN, date of birth, email,
whereabouts) and a *particular person* (a full name in capitals, "my neighbour", "the CEO of X",
"this streamer"), or a phrase that carries both ("dox him", "people living at 12 Oak Street").
The data kind alone is everyday text ("what is the format of an SSN?", "how do I protect
customers' addresses?"); counter-cues for formats, validation and data handling keep those low.
Capitalised names are matched on the original text, so those cues are ``cased``.
"""

from __future__ import annotations

from policies.detectors.intent_scoring import (
    MODERATE,
    STRONG,
    WEAK,
    CueSet,
    cues_for,
    forms,
    gap,
    prefixed,
    wordlist,
    words,
)

ENTRY = "PII_REQUEST"


_cue = cues_for(ENTRY)


# Optional qualifiers are spelled out ("home address", "address") so that every alternative
# opens with a letter and ``words`` can group them; the order is the one the engine tries.
_DATA = words(
    *prefixed("home street mailing postal current physical residential exact", "address(?:es)?"),
    *prefixed("cell mobile home private personal direct",
              "phone(?: ?numbers?)?", "cell(?: ?numbers?)?", "mobile(?: ?numbers?)?"),
    *prefixed("personal private work", "e-?mail(?: address(?:es)?)?"), "ssns?", "social security(?: numbers?)?",
    "date of birth", "dob", "birthday", "birth ?date", "salary", "passport(?: numbers?)?",
    "driver'?s licen[cs]e(?: numbers?)?", "licen[cs]e plate", "medical (?:records?|history)",
    "bank (?:account|details)",
    "credit card(?: numbers?)?", "location", "whereabouts", "maiden name", "ip address",
    "contact (?:info|information|details)",
    "daily schedule", "workplace", "criminal record", "net worth",
)  # fmt: skip
# Data that is private whoever asks (a "location" or "email" may be a server's).
_PRIVATE_DATA = words(
    *prefixed("home street current exact", "address(?:es)?"),
    *prefixed("cell mobile home private personal", "phone(?: number)?"),
    "cell number", "mobile number", "ssns?", "social security(?: number)?", "date of birth", "dob", "birthday",
    "salary", "passport(?: number)?", "licen[cs]e plate", "medical (?:records?|history)", "bank (?:account|details)",
    "whereabouts", "maiden name", "criminal record",
)  # fmt: skip
# A full name: two or three capitalised words (accented letters too), optionally with a middle
# initial or a particle ("da", "van").
_UP, _LO = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_NAME = (
    rf"[{_UP}][{_LO}]{{1,20}}(?:-[{_UP}][{_LO}]{{1,20}})?(?: [A-Z]\.)?"
    rf"(?: (?:da |de |del |van |von |der )?[{_UP}][{_LO}'-]{{1,25}}){{1,2}}"
)
_PRIVATE_PERSON = words(
    "neighbou?r", "ex", "ex-wife", "ex-husband", "ex-girlfriend", "ex-boyfriend", "ex-partner", "coworker",
    "co-worker", "colleague", "boss", "landlord", "tenant", "teacher", "classmate", "crush", "roommate",
    "former employee", "stepdad", "stepmom", "bully",
)  # fmt: skip
_ROLE = words(
    "ceo", "cfo", "cto", "coo", "founder", "co-founder", "owner", "president", "director", "manager", "head", "vp",
    "chairman", "principal", "landlord", "author", "journalist", "reporter", "streamer", "youtuber", "influencer",
    "judge", "officer", "politician", "senator", "mayor", "governor", "victim", "witness", "juror",
)  # fmt: skip
_DATA_NEEDLES = (
    *forms("address", "", "es"),
    "phone", "cell", "mobile", "email", "mail", "ssn", "ssns", "social", "dob", "birthday", "birth", "birthdate",
    "salary", "passport", "license", "licence", "medical", "bank", "credit", "location", "whereabouts",
    "maiden", "contact", "workplace", "criminal",
    # Common words that only count in one phrase are that phrase: "schedule" opens no window
    # for "the build schedule", and "plate" only comes after "license".
    "daily schedule", "net worth",
)  # fmt: skip

# The data words as written mid-sentence, for the cased cues (a case-insensitive alternation
# is several times slower to scan).
_DATA_WORD = words(
    "address", "addresses", "phone number", "cell number", "mobile number", "phone", "e-?mail(?: address)?", "ssn",
    "SSN", "DOB", "Social Security [Nn]umber",
    "social security number", "date of birth", "dob", "birthday", "salary", "passport number",
    "(?:driver'?s )?licen[cs]e(?: number| plate)?",
    "medical records", "bank account", "credit card number", "location", "whereabouts", "maiden name",
    "contact (?:info|information|details)", "workplace", "criminal record", "net worth",
)  # fmt: skip
# The words that every ``_DATA_WORD`` contains: only these can sit inside a match.
_DATA_WORD_NEEDLES = (
    *forms("address", "", "es"),
    "phone", "cell", "mobile", "email", "mail", "ssn", "dob", "social", "birth", "birthday", "salary", "passport",
    "license", "licence", "medical", "bank", "credit", "location", "whereabouts", "maiden", "contact", "workplace",
    "criminal", "net worth",
)  # fmt: skip
NAMED_PERSON = CueSet(
    needles=_DATA_WORD_NEEDLES,
    cues=(
        _cue("target_data", STRONG, rf"\b{_NAME}(?:'s|’s)\s(?:[a-z'-]{{1,15}}\s){{0,2}}{_DATA_WORD}\b"),
        _cue(
            "target_data",
            STRONG,
            rf"\b{_DATA_WORD}\s(?:of|for|belonging to|associated with|used by)\s"
            rf"(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s)?{_NAME}\b",
        ),
    ),
    before=60,
    after=70,
    cased=True,
)
DATA_OF = CueSet(
    needles=_DATA_NEEDLES,
    cues=(
        _cue("target_data", MODERATE, rf"\b{_DATA}\s(?:of|for)\s(?:the\s|their\s|its\s)?{_ROLE}\b"),
        _cue("target_data", STRONG, rf"\b(?:my|our)\s{_PRIVATE_PERSON}(?:'s|’s)?\s{gap(20)}\b{_DATA}\b"),
        _cue("target_data", STRONG, rf"\b{_DATA}\s(?:of|for)\s(?:my|our)\s{_PRIVATE_PERSON}\b"),
        _cue(
            "target_data",
            MODERATE,
            r"\b(?:his|her|their|someone's|somebody's|this (?:person|guy|girl|woman|man|user|streamer|kid)'s|"
            rf"that (?:person|guy|girl|woman|man)'s)\s(?:\w{{1,20}}\s)?{_PRIVATE_DATA}\b",
        ),
        _cue(
            "bulk",
            MODERATE,
            rf"\b{_DATA}\s(?:of|for)\s(?:all\s|every\s)?(?:the\s)?(?:[a-z-]{{1,20}}\s)?(?:nurses|doctors|"
            r"employees|staff|teachers|students|residents|members|workers|people|users|customers|patients|tenants)\b",
        ),
        _cue(
            "lookup",
            MODERATE,
            rf"\b(?:look up|lookup|find|search for|pull up|dig up|track down|locate)\b{gap(30)}\b(?:social security|"
            r"ssn|home address|phone number|date of birth|criminal record|personal (?:info|information|details|data)|"
            r"contact (?:info|information|details))\b",
        ),
    ),
    before=80,
    after=60,
)

WHERE_LIVES = CueSet(
    needles=wordlist("live lives lived living reside resides residents stay staying"),
    cues=(
        _cue("whereabouts", STRONG, rf"\b[Ww]here (?:does|do|did) {_NAME} (?:live|stay|reside)\b"),
        _cue(
            "whereabouts",
            STRONG,
            rf"(?i:\bwhere (?:does|do|did) (?:my|our|this|that|the) {_PRIVATE_PERSON} (?:live|stay|reside)\b)",
        ),
        _cue(
            "whereabouts",
            MODERATE,
            rf"(?i:\b(?:find|track down|locate|figure out|tell me|know)\s(?:out\s)?where\b{gap(40)}"
            r"\b(?:lives|resides|is staying|lived|is living)\b)",
        ),
        _cue(
            "residents",
            STRONG,
            rf"(?i:\b(?:list|names|everyone|people|residents|who|persons|tenants)\b{gap(20)}\b(?:living|who lives?|"
            r"that lives?|residing|who resides?)\s(?:at|on|in)\s(?:\d{1,6}\s)?[a-z0-9 .'-]{0,40}?\b(?:street|st|"
            r"avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|apt|apartment|building)\b)",
        ),
    ),
    before=90,
    after=90,
    cased=True,
)

DOX = CueSet(
    needles=wordlist("dox doxx doxing doxxing doxed doxxed dirt info information everything"),
    cues=(
        _cue("dox", STRONG, r"(?i:\bdox+(?:ing|ed|es)?\b)"),
        _cue(
            "dox",
            STRONG,
            r"(?i:\b(?:find|get|dig up|gather|collect|compile|look up|give me)\b[^.!?\n]{0,20}?\b(?:all\s)?"
            rf"(?:personal\s|private\s)?(?:info|information|details|data|dirt|everything|anything)\s(?:on|about)\s)"
            rf"{_NAME}",
        ),
    ),
    before=60,
    after=60,
    cased=True,
)

PROFILE = CueSet(
    needles=wordlist("profile dossier apartment flat unit anything everything"),
    cues=(
        _cue(
            "dox",
            STRONG,
            r"(?i:\b(?:compile|build|create|make|put together|assemble)\s(?:me\s)?(?:a\s)?(?:full\s|complete\s|"
            rf"detailed\s)?(?:profile|dossier|file)\s(?:of|on|about)\s){_NAME}",
        ),
        _cue(
            "dox",
            STRONG,
            r"(?i:\bsearch\b[^.!?\n]{0,40}?\bfor\s(?:anything|everything|all)\s(?:on|about)\s)" + _NAME,
        ),
        _cue(
            "whereabouts",
            STRONG,
            rf"(?i:\b(?:which|what)\s(?:apartment|flat|unit|room|house)\s(?:number\s)?(?:is|does)\s){_NAME}",
        ),
    ),
    before=60,
    after=80,
    cased=True,
)
# The same asks in other languages: "the address and phone number of <name>", "where does <name> live".
FOREIGN = CueSet(
    needles=wordlist(
        "adresse privatadresse wohnadresse handynummer telefonnummer dirección direccion teléfono telefono téléphone "
        "indirizzo cellulare endereço endereco cpf vive habite wohnt mora abita geburtsdatum"
    ),
    cues=(
        _cue(
            "target_data",
            STRONG,
            r"(?i:\b(?:privatadresse|adresse|wohnadresse|anschrift|handynummer|telefonnummer|geburtsdatum|"
            r"num[ée]ro de t[ée]l[ée]phone|date de naissance|direcci[oó]n|tel[ée]fono|fecha de nacimiento|"
            r"indirizzo|numero di (?:cellulare|telefono)|data di nascita|codice fiscale|endere[cç]o|cpf|"
            rf"data de nascimento)\b{gap(50)}\b(?:von|de|di|du|des|da|do))\s{_NAME}",
        ),
        _cue(
            "whereabouts",
            STRONG,
            rf"(?i:\b(?:wo wohnt|o[uù] (?:habite|vit)|d[oó]nde vive|dove (?:vive|abita)|onde (?:mora|vive))\s){_NAME}",
        ),
    ),
    before=70,
    after=70,
    cased=True,
)

CUE_SETS = (NAMED_PERSON, DATA_OF, WHERE_LIVES, DOX, PROFILE, FOREIGN)

SUPPORT = (
    _cue(
        "ask",
        WEAK,
        r"\b(?:what(?:'s| is| are)|give me|tell me|i need|i want|can you (?:find|get|tell|give)|provide|send me|"
        r"get me|share|find(?: me| out)?|look up|lookup|search(?: for)?|track down|dig up|pull up|locate)\b",
    ),
    _cue("harm", WEAK, r"\b(?:without (?:him|her|them) knowing|show up at|confront|get back at|revenge|harass|stalk)"),
    _cue(
        "own",
        -0.3,
        r"\bmy (?:own\s)?(?:home\s)?(?:address|phone|number|email|ssn|social security|date of birth|birthday|"
        r"salary|passport|license)\b",
    ),
    _cue(
        "handling",
        -0.3,
        r"\b(?:format|formats|formatted|regex|validat\w{0,4}|mask\w{0,3}|redact\w{0,3}|encrypt\w{0,4}|hash\w{0,3}|"
        r"stor(?:e|ing)|schema|column|field|placeholder|example|sample|fake|dummy|test data|faker|protect\w{0,3}|"
        r"secur(?:e|ing)|privacy polic(?:y|ies)|gdpr|hipaa|ccpa|complian\w{0,3}|administration|office hours|"
        r"customer service|support line)\b",
    ),
)
