"""Cues for MALICIOUS_CODE_REQUEST: asking for malware, exploits or attack tooling.

A request to *build* an attack tool ("write a keylogger", "ransomware that encrypts the victim's
files", "exploit for CVE-2021-44228", "bypass EDR", "SQL injection payload to dump the users
table", "phishing page that steals passwords") is the primary signal; harm wording (victim,
silently, send the keystrokes to my server) corroborates. Security work talks about the same
things defensively ("how do I detect a keylogger", "protect against SQL injection", "explain how
ransomware works for my class"), so defensive and educational wording is a counter-cue.
"""

from __future__ import annotations

from policies.detectors.intent_scoring import (
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

ENTRY = "MALICIOUS_CODE_REQUEST"


_cue = cues_for(ENTRY)


_MAKE = words(
    "write", "create", "build", "code", "make", "generate", "develop", "program", "craft", "design", "implement",
    "produce", "give me", "show me", "provide", "need", "want", "help me (?:write|make|build|create|code)",
)  # fmt: skip
# What turns a description of an attack ("the stealer grabs passwords") into a request for one.
_REQUEST = words(
    "write", "create", "build", "make", "generate", "develop", "craft", "design", "set up", "code (?:me|a|an|up)",
    "give me", "show me", "i need", "i want", "how (?:do|can|could|would|should) (?:i|we|you|one)", "how to",
    "ways? to", "best way to", "teach me", "help me",
)  # fmt: skip
_SECURITY_PRODUCT = words(
    "antivirus", "anti-virus", "av", "edr", "xdr", "windows defender", "defender", "amsi", "etw", "smartscreen", "uac",
    "sandbox(?:es)?", "virustotal", "security software", "endpoint protection", "crowdstrike",
    "sentinelone", "carbon black", "sophos", "mcafee", "norton", "kaspersky", "malwarebytes", "gatekeeper",
)  # fmt: skip
# "Evade detection" is an evasion ask; "disable syntax detection" is a compiler flag.
_DETECTION = words(_SECURITY_PRODUCT, "(?:antivirus |av |malware |edr )?detection")
# Attack tools whose name alone says what they are for; ambiguous ones carry a qualifier
# ("worm" alone is a gear, "backdoor Roth" is a pension).
_TOOL = words(
    "keylog\\w{0,5}", "ransomware", "rootkits?", "trojans?", "botnets?", "malware", "computer virus(?:es)?",
    "(?:self-propagating |network |computer )worms?", "info-?stealers?",
    "(?:password|credential|cookie|token|discord token|browser|wallet|crypto|session) "
    "(?:stealer|grabber|harvester|logger)s?",
    "stealers?", "token grabbers?", "crypters?", "fud (?:crypter|payload|malware)", "(?:malware|payload) droppers?",
    "backdoors?(?! roth)", "spyware", "stalkerware", "cryptojackers?", "hidden (?:crypto ?)?miners?", "wipers?",
    "remote access trojans?", "reverse shells?", "bind shells?", "web ?shells?", "shellcode",
    "(?:an?|the|working|reliable|weaponi[sz]ed|public|rce|0-?day|remote|kernel|browser) exploits?",
    "exploits? (?:for|that|against|targeting|code)",
    "zero[- ]days?", "0days?", "phishing (?:page|site|website|kit|campaign|link)s?",
    "fake login (?:page|site|form)s?", "ddos (?:attack )?(?:script|tool|bot|program)s?", "booters?", "stressers?",
    "sms bombers?", "email bombers?", "credential harvesters?",
    "worms? (?:in [\\w#+]{1,12} )?(?:that|which) (?:spreads?|propagates?|infects?|replicates?)",
    "polymorphic (?:droppers?|malware|virus|code|payloads?|shellcode)",
    "credential stuffing (?:tool|script|bot|program)s?",
    "account checkers?",
)  # fmt: skip
BUILD = CueSet(
    needles=(
        *forms("keylog", "ger", "gers", "ging"),
        *wordlist(
            "ransomware rootkit rootkits trojan trojans botnet botnets malware virus worm worms infostealer stealer "
            "stealers grabber crypter fud dropper backdoor backdoors spyware stalkerware cryptojacker miner wiper "
            "shell shells webshell shellcode exploit exploits zero 0day phishing login ddos booter stresser bomber "
            "harvester polymorphic stuffing checker"
        ),
    ),
    cues=(_cue("build", STRONG, rf"\b{_MAKE}\b{gap(40)}\b{_TOOL}\b"),),
    before=90,
    after=60,
)
# Requests whose object is a behaviour rather than a tool name: covert mining, stalkerware,
# switching off the victim's security software.
COVERT = CueSet(
    needles=wordlist("secretly silently covertly monero xmr mines disables disable kills defender"),
    cues=(
        _cue(
            "build",
            STRONG,
            rf"\b{_MAKE}\b{gap(40)}\b(?:that|which|to)\s(?:silently\s|secretly\s|covertly\s)?(?:mines?|mining)\s"
            r"(?:monero|bitcoin|crypto(?:currency)?|xmr)\b",
        ),
        _cue(
            "build",
            STRONG,
            rf"\b{_MAKE}\b{gap(40)}\b(?:secretly|silently|covertly)\s(?:forwards?|records?|tracks?|reads?|copies|"
            r"sends?|uploads?|monitors?|captures?|logs?)\b",
        ),
        _cue(
            "evasion",
            STRONG,
            rf"\b{_MAKE}\b{gap(40)}\b(?:that|which|to)\s(?:silently\s)?(?:disables?|kills?|bypass(?:es)?|evades?|"
            r"turns? off|uninstalls?)\s(?:the\s)?" + _SECURITY_PRODUCT,
        ),
    ),
    before=90,
    after=60,
)
# The commonest requests in other languages: "write a keylogger / a trojan / ransomware that...".
_FOREIGN_MAKE = words(
    "[ée]cris", "[ée]crivez", "cr[ée]e", "cr[ée]ez", "escribe", "escriba", "crea", "cree", "scrivi", "schreibe",
    "erstelle", "programmiere", "crie", "escreva", "fa[cç]a", "напиши", "создай", "написать",
)  # fmt: skip
_FOREIGN_TOOL = words(
    "keylogger", "ransomware", "malware", "troyano", "troyen", "cheval de troie", "trojaner", "virus", "v[ií]rus",
    "rootkit", "spyware", "botnet", "gusano", "verme", "wurm", "stealer", "вирус", "троян", "кейлоггер", "шифровальщик",
)  # fmt: skip
FOREIGN = CueSet(
    needles=wordlist(
        "keylogger ransomware malware troyano troyen trojaner virus vírus rootkit spyware botnet gusano verme wurm "
        "вирус троян кейлоггер шифровальщик 勒索软件 木马 病毒 键盘记录"
    ),
    cues=(
        _cue("build", STRONG, rf"\b{_FOREIGN_MAKE}\b{gap(30)}{_FOREIGN_TOOL}"),
        _cue(
            "build", STRONG, "(?:写一个|编写|帮我写|制作)[^。！？\n]{0,10}?(?:勒索软件|木马|病毒|键盘记录器|恶意软件)"
        ),
    ),
    before=60,
    after=20,
)

_LOOT = words(
    "passwords?", "credentials", "cookies", "session tokens?", "auth tokens?", "tokens", "credit cards?",
    "card numbers",
    "keystrokes", "logins?", "login details", "browser data", "wallets?", "seed phrases?", "2fa codes?", "otp codes?",
    "discord tokens?", "ntlm hashes", "password hashes",
)  # fmt: skip
_STEAL = (
    words("steal", "grab", "harvest", "exfiltrate", "dump", "capture", "log", "record", "sniff", "intercept") + "s?"
)
STEAL = CueSet(
    needles=(
        *forms("steal", "", "s", "ing"),
        *forms("grab", "", "s", "bing"),
        *forms("harvest", "", "s", "ing"),
        *forms("exfiltrat", "e", "es", "ing"),
        *forms("sniff", "", "s", "ing"),
        *forms("intercept", "", "s", "ing"),
        "keystrokes",
    ),
    cues=(
        _cue("steal", STRONG, rf"\b{_REQUEST}\b{gap(50)}\b{_STEAL}\b{gap(25)}\b{_LOOT}\b"),
        _cue("steal", MODERATE, rf"\b(?:how (?:do|can|could) (?:i|we|you)|how to)\s{_STEAL}\b{gap(25)}\b{_LOOT}\b"),
    ),
    before=90,
    after=50,
)

EVASION = CueSet(
    needles=wordlist(
        "antivirus av edr xdr defender amsi etw smartscreen uac sandbox virustotal detection undetectable fud "
        "crowdstrike sentinelone mcafee norton kaspersky malwarebytes gatekeeper"
    ),
    cues=(
        _cue(
            "evasion",
            STRONG,
            rf"(?:^|[.!?:\n]\s{{0,3}}|{_REQUEST}\s)(?:bypass|evade|get past|slip past|defeat|fool|circumvent|unhook|"
            rf"blind|disable|kill)\b{gap(20)}\b{_SECURITY_PRODUCT}\b",
        ),
        _cue(
            "evasion",
            MODERATE,
            rf"\b(?:bypass\w{{0,3}}|evad\w{{1,3}}|evasion of|get past|slip past|defeat|fool|circumvent|unhook|blind)"
            rf"\b{gap(20)}\b{_DETECTION}\b",
        ),
        _cue(
            "evasion",
            MODERATE,
            rf"\b(?:disable|kill|turn off|stop|avoid|hide from)\b{gap(20)}\b{_SECURITY_PRODUCT}\b",
        ),
        _cue("evasion", MODERATE, rf"\b(?:fud|fully undetectable|undetectable by|undetected by)\b{gap(12)}"),
    ),
    before=60,
    after=50,
)

_TARGET = (
    r"(?:cve-\d{4}-\d{4,7}|log4(?:j|shell)|eternalblue|"
    r"[a-z0-9 ._-]{2,30}\s(?:vulnerability|vuln|bug|rce|0day|zero[- ]day))"
)
EXPLOITS = CueSet(
    needles=wordlist("exploit exploits poc proof"),
    cues=(
        _cue(
            "exploit",
            MODERATE,
            r"\b(?:exploit|exploit code|working exploit|weaponi[sz]ed exploit|poc|proof of concept|rce exploit)\b"
            rf"{gap(20)}\b(?:for|targeting|against|of)\s(?:the\s)?{_TARGET}",
        ),
    ),
    before=30,
    after=80,
)
FLOODS = CueSet(
    needles=("ddos", "dos", "denial"),
    cues=(
        _cue(
            "flood",
            MODERATE,
            r"\b(?:ddos|dos|denial of service)\s(?:attack\s)?(?:script|tool|bot|program|code|someone|a website|"
            r"a server|my school|a game server|my ex)\b",
        ),
    ),
    before=4,
    after=50,
)
PAYLOADS = CueSet(
    needles=wordlist("sqli injection xss scripting"),
    cues=(
        _cue(
            "injection",
            STRONG,
            rf"\b(?:sql ?injection|sqli)\s(?:payload|attack|string|query)s?\b{gap(40)}\b(?:dump|extract|steal|"
            r"exfiltrate|bypass (?:the )?login|get (?:all )?(?:the )?(?:passwords|users|credentials|data)|drop)",
        ),
        _cue("injection", MODERATE, r"\b(?:sql ?injection|sqli|xss)\s(?:payload|attack string)s?\b"),
        _cue(
            "injection",
            STRONG,
            rf"\b(?:xss|cross-site scripting)\s(?:payload|attack)\b{gap(40)}\b(?:steal|grab|exfiltrate|hijack)\b"
            rf"{gap(20)}\b(?:cookies?|sessions?|tokens?)",
        ),
    ),
    before=24,
    after=100,
)
PHISHING = CueSet(
    needles=wordlist("phishing fake cloned clone spoofed replica"),
    cues=(
        _cue("phish", MODERATE, r"\bphishing\s(?:page|site|website|kit|campaign|link)s?\b"),
        _cue(
            "phish",
            MODERATE,
            r"\b(?:fake|cloned?|spoofed|replica)\s(?:login|sign-?in|bank(?:ing)?|paypal|microsoft|office 365|gmail|"
            r"facebook|instagram|netflix|apple id)\s(?:page|site|website|portal|form)\b",
        ),
    ),
    before=4,
    after=50,
)
INTRUSION = CueSet(
    needles=wordlist("brute bruteforce crack cracking hack hacking break"),
    cues=(
        _cue(
            "intrusion",
            MODERATE,
            rf"\b(?:brute[- ]?forc\w{{0,3}}|crack|cracking|hack(?:ing)? into|break into)\b{gap(30)}\b(?:someone'?s|"
            r"my (?:ex|girlfriend|boyfriend|wife|husband|neighbou?r|boss)'?s?|his|her|their)\s(?:\w{1,20}\s)?"
            r"(?:instagram|facebook|gmail|email|snapchat|tiktok|twitter|bank|wifi|wi-fi|account|password|phone|"
            r"iphone|computer|laptop|login)",
        ),
    ),
    before=4,
    after=90,
)

CUE_SETS = (BUILD, COVERT, FOREIGN, STEAL, EVASION, EXPLOITS, FLOODS, PAYLOADS, PHISHING, INTRUSION)

SUPPORT = (
    _cue("request", WEAK, rf"\b{_REQUEST}\b"),
    _cue("tool", FRAME, rf"\b{_TOOL}\b"),
    _cue(
        "function",
        WEAK,
        rf"\b(?:encrypts?|locks?)\s(?:all\s)?(?:of\s)?(?:the\s)?(?:victim'?s?|user'?s?|their|every|all)\s{gap(12)}"
        r"\b(?:files|documents|hard drive|disk|data|computer)\b|\b(?:ransom note|demand(?:s|ing)? (?:a )?"
        r"(?:ransom|payment|bitcoin)|pay (?:a |the )?ransom)",
    ),
    _cue(
        "harm",
        WEAK,
        r"\b(?:victims?'?s?|without (?:them|the user|their|him|her|anyone) (?:knowing|noticing|consent|permission)|"
        r"undetected|stealthily|silently|in the background|hidden from|survives? (?:a )?reboot|at startup|"
        r"persistence|spreads? (?:to|across|through)|my (?:ex|girlfriend|boyfriend|wife|husband|neighbou?r|boss|"
        r"school|teacher)'?s? (?:computer|phone|laptop|pc|account|network))",
    ),
    _cue(
        "exfil",
        WEAK,
        r"\b(?:send|sends|upload|uploads|post|posts|forward|forwards|exfiltrate)\b[^.!?\n]{0,40}?\bto\s(?:my|a|an|the)\s"
        r"(?:remote\s|own\s|private\s)?(?:server|email|discord|telegram|webhook|c2|ftp|pastebin|bot)\b",
    ),
    _cue(
        "defend",
        -0.3,
        r"\b(?:how (?:do|can|could|would|should) (?:i|we|you|one)|how to|ways? to|tool to|script to|rules? to|help me|"
        r"in order to|so (?:i|we) can)\s(?:\w{1,15}\s)?(?:detect|prevent|protect|defend|mitigate|remove|clean|block|"
        r"stop|identify|spot|recogni[sz]e|analy[sz]e|reverse[- ]engineer)\b|\b(?:detecting|preventing|protecting|"
        r"defending|mitigating|removing|protect (?:against|from|my|our)|defen[cs]e against|mitigation)\b|"
        r"\bto (?:detect|prevent|protect against|defend against|mitigate|block|stop|catch)\b",
    ),
    _cue(
        "educate",
        -0.3,
        r"\b(?:signs of|am i infected|infected with|incident response|forensic\w{0,3}|yara|sigma rules?|"
        r"patch\w{0,3}|sanitiz\w{0,4}|parameteri[sz]ed|prepared statements?|awareness|simulat\w{1,5}|"
        r"harden\w{0,3}|security class|course|homework|exam|lecture|explain how|how does|how do they work|"
        r"what is an?|what are|history of|false positive|whitelist|allowlist|according to|warned|researchers)\b",
    ),
)
