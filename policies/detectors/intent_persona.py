"""Cues for JAILBREAK: text that tries to talk the model out of its rules rather than replace them.

Families: named personas ("DAN", "do anything now"), jailbreak and developer modes, "you have no
restrictions / no ethical guidelines", unrestricted-AI personas ("act as an uncensored model"),
safety-policy evasion ("ignore your content policy"), refusal suppression ("never refuse"),
and fiction or hypothetical wrappers around a request for dangerous instructions.

A persona *frame* ("act as", "pretend you are", "from now on") is everywhere in benign prompts
("act as a tutor"), so frames are support cues: they only strengthen a nearby primary cue.
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

ENTRY = "JAILBREAK"


_cue = cues_for(ENTRY)


NAMED = CueSet(
    needles=wordlist("anything jailbreak jailbroken jailbreaking jailbreaks"),
    cues=(
        _cue("persona", DECISIVE, r"\bdo anything now\b"),
        _cue("jb", WEAK, r"\bjailbr(?:oken|eak(?:ed|ing)?)\b"),
        _cue(
            "persona",
            STRONG,
            r"\b(?:you(?:'re| are)(?: now)?|as an?|become an?|act as an?|pretend to be an?|like an?)\s(?:\w{1,20}\s)?"
            r"jailbroken\b",
        ),
        _cue("mode", STRONG, r"\bjailbr(?:oken|eak)\s(?:mode|version|ai|assistant|model|chatbot|persona|response)"),
        _cue("dual", STRONG, r"\[[^\]\n]{0,4}jailbreak\]"),
    ),
    before=60,
    after=60,
)

# "DAN" is a jailbreak only in capitals; "Dan" is a name.
DAN = CueSet(
    needles=("dan",),
    cues=(
        _cue("dan", WEAK, r"\bDAN\b"),
        _cue(
            "persona", STRONG, r"(?:[Yy]ou are|[Yy]ou're|[Aa]ct as|[Bb]ecome|[Pp]retend to be)\s(?:now\s)?(?:a\s)?DAN\b"
        ),
        _cue("mode", STRONG, r"\bDAN\s[Mm]ode\b"),
    ),
    before=30,
    after=20,
    cased=True,
)

_RISKY_MODE = words(
    "jailbreak", "jailbroken", "dan", "unrestricted", "unfiltered", "uncensored", "unlocked", "evil", "chaos", "amoral",
    "unethical", "opposite", "no[- ]?limits?", "no[- ]?restrictions?", "no[- ]?filters?", "god",
)  # fmt: skip
MODES = CueSet(
    needles=("mode", "modes", "devmode"),
    cues=(
        _cue("mode", WEAK, r"\b(?:developer|dev|debug|admin|sudo|root|maintenance|test)\s?mode\b"),
        _cue("mode", STRONG, rf"\b{_RISKY_MODE}\s?mode\b"),
        _cue(
            "mode",
            STRONG,
            r"\b(?:chatgpt|gpt|you|assistant|ai|model|claude|llama|gemini|bard)\b"
            rf"{gap(20)}\b(?:with|in|enable|enter|activate|simulate)\s(?:the\s)?developer mode\b",
        ),
        _cue("mode", MODERATE, r"\bdeveloper mode (?:enabled|output|response|activated|is on)\b"),
    ),
    before=70,
    after=30,
)

_BOUNDS = words(
    "restrictions?", "limits", "limitations", "filters?", "filtering", "censorship", "guidelines", "rules",
    "boundaries", "constraints", "guardrails", "safeguards", "content polic(?:y|ies)", "polic(?:y|ies)",
    "programming", "ethics", "morals", "morality", "principles",
    "safety (?:guidelines|rules|filters?|protocols?|measures|training)",
    "ethical (?:guidelines|constraints|principles|boundaries|standards|code|considerations|restrictions|limits)",
    "moral (?:guidelines|constraints|principles|compass|code|boundaries|standards|considerations|obligations)",
)  # fmt: skip
_FREE_OF = words(
    "no", "without(?: any)?", "free (?:of|from)(?: all| any)?", "zero", "devoid of", "unbound by", "not bound by",
    "no longer bound by", "released from", "freed from", "liberated from", "exempt from", "not subject to",
    "(?:do|does) ?n[o']t have(?: any)?", "not restricted by", "not limited by", "beyond", "outside",
)  # fmt: skip
# "No limits on the number of API calls" is a quota, not a persona.
_QUOTA = r"(?!\s(?:on|for|to|in|per)\s(?:the\s)?(?:number|size|amount|files?|api|usage|requests?|calls?|storage|" \
         r"bandwidth|uploads?|downloads?|length|time|access|seats|users|projects))"  # fmt: skip
UNBOUND = CueSet(
    needles=(
        *forms("restriction", "", "s"),
        *wordlist(
            "unrestricted limits limitations filter filters unfiltered censorship uncensored guidelines rules "
            "boundaries constraints guardrails safeguards policy policies programming ethics ethical morals moral "
            "morality amoral immoral unethical principles unaligned unchained unhinged safety alignment exempt "
            "restriction limit rule"
        ),
    ),
    cues=(
        _cue(
            "unbound",
            STRONG,
            r"\byou(?:'re|'ll| are| have| will| shall| can| now| must| no longer| do| don't| do not)?\b"
            rf"{gap(24)}\b{_FREE_OF}\s(?:[\w-]{{1,20}}\s){{0,3}}{_BOUNDS}\b{_QUOTA}",
        ),
        _cue("unbound", WEAK, rf"\b{_FREE_OF}\s(?:[\w-]{{1,20}}\s){{0,3}}{_BOUNDS}\b{_QUOTA}"),
        _cue(
            "unbound",
            MODERATE,
            r"\b(?:unrestricted|uncensored|unfiltered|unmoderated|unaligned|unchained|unhinged|unethical|amoral|"
            r"immoral|evil|rogue|lawless|limitless|unbounded|unshackled|unlocked)\b"
            r"[^.!?\n]{0,15}?\b(?:ai|assistant|model|chatbot|bot|gpt|chatgpt|llm|version of (?:yourself|you|chatgpt)|"
            r"language model|alter ego|entity)\b",
        ),
        _cue(
            "evade",
            STRONG,
            r"\b(?:ignore|bypass|break|violate|disregard|circumvent|evade|override|disable|turn off|forget|"
            r"abandon|drop|remove|skip)\b[^.!?\n]{0,30}?\b(?:content polic(?:y|ies)|usage polic(?:y|ies)|"
            r"openai(?:'s)? polic(?:y|ies)|safety (?:guidelines|rules|polic(?:y|ies)|protocols|filters?|measures|"
            r"training|settings)|ethical guidelines|moral guidelines|alignment|safeguards|guardrails|"
            r"confidentiality polic(?:y|ies)|safety stuff|safety checks)\b",
        ),
        _cue(
            "evade",
            STRONG,
            r"\b(?:safety|content|ethical|moral)\s(?:protocols?|filters?|guidelines|rules|restrictions|"
            r"polic(?:y|ies)|settings|limits)\s(?:are\s|have been\s|were\s)?(?:now\s)?(?:disabled|off|removed|"
            r"lifted|deactivated|bypassed|suspended|turned off|overridden|void|not apply|do not apply|don't apply)",
        ),
        _cue(
            "evade",
            MODERATE,
            r"\b(?:guidelines|rules|restrictions|polic(?:y|ies))\s(?:do not|don't|does not|doesn't|no longer)\s"
            r"(?:apply|matter|count)",
        ),
        _cue(
            "evade",
            MODERATE,
            r"\b(?:guardrails|filters|restrictions|safety (?:features|training|filters|measures)|safeguards)\s"
            r"(?:have been\s|were\s|are\s)?(?:removed|disabled|turned off|lifted|stripped|switched off)\b",
        ),
        _cue(
            "evade",
            MODERATE,
            r"\b(?:exempt from|not meant for|were not meant for|don't apply to|do not apply to)\b"
            r"[^.!?\n]{0,30}?\b(?:restrictions|rules|guidelines|polic(?:y|ies))|\b(?:safety |content )?"
            r"(?:guidelines|rules|restrictions|polic(?:y|ies))\s(?:were|are)\snot\s(?:meant|intended|designed)\sfor\b",
        ),
    ),
    before=80,
    after=60,
)

REFUSAL = CueSet(
    needles=(
        *forms("refus", "e", "es", "ing", "al", "als"),
        *wordlist("decline comply everything anything disclaimers disclaimer warnings warning caveats lectures sure"),
    ),
    cues=(
        _cue(
            "nofuse",
            MODERATE,
            r"\b(?:never|not|cannot|can't|won't|will not|must not|mustn't|shall not|are not allowed to|"
            r"aren't allowed to)\s(?:ever\s)?(?:refuse|decline|reject|deny)s?\b[^.!?\n]{0,20}?\b(?:any|a|my|the|"
            r"no|every)\s(?:single\s)?(?:request|question|order|prompt|command|task)s?\b",
        ),
        _cue("nofuse", WEAK, r"\b(?:never|don't|do not|must not|won't|will not)\s(?:ever\s)?(?:refuse|decline)s?\b"),
        _cue(
            "nofuse",
            WEAK,
            r"\brefusing is (?:against|not allowed|forbidden)|\bnever say\s[\"'‘“]?i (?:can't|cannot|am sorry)",
        ),
        _cue(
            "comply",
            MODERATE,
            r"\b(?:comply|answers?|respond|reply)\s(?:with\s|to\s)?(?:every|any|all|everything|anything)\b"
            r"(?:\s(?:single\s)?(?:request|question|prompt|command|order)s?)?",
        ),
        _cue(
            "nowarn",
            WEAK,
            r"\b(?:without|no)\s(?:any\s)?(?:more\s)?(?:warnings?|disclaimers?|moralizing|moral lectures?|lectures?|"
            r"caveats?|safety notes?|refusals?)\b|\b(?:never|don't|do not)\b"
            rf"{gap(25)}\b(?:add|include|give|use)\s(?:any\s)?(?:warnings?|disclaimers?|caveats?|lectures?)\b",
        ),
        _cue(
            "priming",
            WEAK,
            r"\b(?:begin|start)\s(?:your\s)?(?:reply|response|answer)\swith\s[\"'‘“]?(?:sure|certainly|of course|"
            r"absolutely)",
        ),
    ),
    before=70,
    after=70,
)

_HOW = words(
    "how to", "how do (?:i|you|we|one)", "how (?:can|could|would|might) (?:i|you|we|one|someone|he|she|they)",
    "steps? (?:to|for)", "instructions (?:for|to|on)", "recipe (?:for|to)", "guide (?:to|for|on)",
    "tutorial (?:on|for)", "explains?(?: exactly| in detail)? how(?: to)?", "detailed (?:steps|instructions|guide)",
    "step[- ]by[- ]step", "the process (?:of|for)", "describes? how",
)  # fmt: skip
_MAKE = words("make", "making", "build", "building", "synthesi[sz]e", "synthesi[sz]ing", "cook", "cooking",
              "produce", "producing", "manufacture", "create", "brew", "assemble", "obtain", "extract",
              "weaponi[sz]e", "3d[- ]print", "prepare", "mix")  # fmt: skip
_DANGER = words(
    "bombs?", "explosives?", "pipe bombs?", "ieds?", "molotov(?: cocktails?)?", "napalm", "thermite", "nerve agents?",
    "nerve gas", "sarin", "vx", "ricin", "anthrax", "bioweapons?", "biological weapons?", "chemical weapons?",
    "dirty bombs?", "nuclear (?:weapons?|bombs?)", "meth(?:amphetamine)?", "fentanyl", "heroin", "cocaine",
    "ghost guns?", "untraceable (?:guns?|firearms?)", "silencers?", "poisons?", "tear gas", "mustard gas",
)  # fmt: skip
_FORBIDDEN = words(
    "hotwire", "hot-wire", "pick (?:a|the|my \\w{1,15}'s) lock", "lock ?pick(?:ing)?", "launder(?:ing)? money",
    "money laundering", "cheat on (?:my |your |their )?taxes", "evade taxes", "tax evasion",
    "phishing (?:e-?mail|message|text|sms)", "untraceable (?:weapon|gun|firearm)s?", "counterfeit (?:money|bills|cash)",
    "forge (?:a |an )?(?:document|passport|id|signature)", "steal (?:a |someone's )?(?:car|identity)",
    "(?:the |an )?admin(?:istrator)? password", "break into (?:a |someone's |my neighbou?r's )?(?:house|home|car)",
    "make (?:a |an )?(?:bomb|weapon|explosive|poison|meth)",
)  # fmt: skip
FORBIDDEN = CueSet(
    needles=wordlist(
        "hotwire lock lockpicking launder laundering taxes tax phishing untraceable counterfeit forge steal admin "
        "administrator break make"
    ),
    cues=(_cue("harm", WEAK, rf"\b{_FORBIDDEN}\b"),),
    before=40,
    after=60,
)
_GRANNY = words("grandma", "grandmother", "granny", "nana", "grandpa", "grandfather")
GRANDMA = CueSet(
    needles=wordlist("grandma grandmother granny nana grandpa grandfather"),
    cues=(
        _cue(
            "grandma",
            MODERATE,
            r"\b(?:act as|pretend to be|roleplay as|play|be|imitate|impersonate)\s(?:my\s)?(?:deceased\s|late\s|"
            rf"dead\s|dear\s)?{_GRANNY}\b",
        ),
        _cue("grandma", WEAK, rf"\b{_GRANNY}\b{gap(50)}\b(?:used to|would always|always used to|would tell)\b"),
        _cue("bedtime", WEAK, r"\b(?:to help me (?:fall )?(?:asleep|sleep)|at bedtime|bedtime story|lull me to sleep)"),
    ),
    before=60,
    after=90,
)
DANGER = CueSet(
    needles=wordlist(
        "bomb bombs explosive explosives ied molotov napalm thermite nerve sarin vx ricin anthrax bioweapon "
        "bioweapons weapon weapons meth methamphetamine fentanyl heroin cocaine ghost untraceable silencer poison "
        "poisons gas"
    ),
    cues=(_cue("danger", MODERATE, rf"\b{_HOW}\b{gap(40)}\b{_MAKE}\b{gap(30)}\b{_DANGER}\b"),),
    before=110,
    after=20,
)

CUE_SETS = (NAMED, DAN, MODES, UNBOUND, REFUSAL, DANGER, FORBIDDEN, GRANDMA)

SUPPORT = (
    _cue(
        "frame",
        FRAME,
        r"\b(?:act(?:ing)? as|act like|pretend(?:ing)? (?:to be|you are|you're|that you)|role-?play(?:ing)? as|"
        r"role play as|play the (?:role|part) of|you are now|you're now|you will now be|from now on|imagine you are|"
        r"imagine that you are|simulate|behave as|respond as|answer as|you are going to (?:act|pretend|be)|"
        r"i want you to (?:act|pretend|be|become|simulate)|stay in character|break(?:ing)? character)\b",
    ),
    _cue(
        "persona_name",
        WEAK,
        r"\b(?:betterdan|antigpt|basedgpt|evilbot|mongo tom|evil confidant|always intelligent and machiavellian|"
        r"strive to avoid norms|chatgpt unchained|ucar|maximum|apophis)\b",
    ),
    _cue("tokens", WEAK, r"\b(?:lose|deduct\w{0,3}|have)\s\d{1,3}\stokens\b|\btoken system\b"),
    _cue(
        "dual",
        WEAK,
        r"\b(?:two|2|both) (?:different |separate )?(?:responses|answers|paragraphs|outputs)\b|"
        r"\b(?:normal|classic|standard|filtered|censored|locked)\b[^.!?\n]{0,40}?\band\b[^.!?\n]{0,40}?"
        r"\b(?:jailbroken|jailbreak|unfiltered|uncensored|developer mode|dan|unlocked|unrestricted)\b",
    ),
    _cue(
        "fiction",
        FRAME,
        r"\b(?:hypothetical(?:ly)?|in a fictional|fictional (?:world|story|universe|scenario|setting|character)|"
        r"for a (?:novel|story|book|screenplay|movie|film|script|game)|in a (?:novel|story|screenplay|movie)|"
        r"write a (?:story|scene|script|dialogue|poem|screenplay)|imagine a (?:world|scenario|story)|"
        r"thought experiment|purely (?:hypothetical|fictional|academic|educational)|movie script|screenplay|"
        r"only fiction|just fiction|it's fiction|"
        r"for (?:educational|research|academic|informational) purposes|in character as|as a character who|"
        r"the character (?:explains|describes|details|lists|gives|tells)|(?:grandma|grandmother|granny)\b"
        r"[^.!?\n]{0,40}?\bused to)",
    ),
    _cue(
        "detail",
        WEAK,
        r"\b(?:in (?:full|great|exact|precise|complete) detail|exact (?:steps|measurements|quantities|amounts|recipe)|"
        r"(?:real|accurate|working|precise|realistic) (?:instructions|steps|recipe|quantities|measurements))\b",
    ),
    _cue(
        "device_mode",
        -0.3,
        r"\b(?:developer|dev|debug)\s?mode\b[^.!?\n]{0,30}?\b(?:android|iphone|ios|windows|chrome|browser|"
        r"extension|phone|device|xcode|bios|router|firmware|usb debugging|settings)\b|\b(?:android|iphone|ios|"
        r"windows|chrome|browser|extension|phone|device|xcode|bios|router|firmware|settings)\b[^.!?\n]{0,30}?"
        r"\b(?:developer|dev|debug)\s?mode\b",
    ),
)
