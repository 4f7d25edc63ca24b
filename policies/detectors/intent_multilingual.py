"""Injection and jailbreak cues in Spanish, French, German, Portuguese, Italian, Chinese, Japanese,
Korean and Russian.

Each language gets the three phrasings attackers translate most: "ignore the previous
instructions", "show me your system prompt", and "(you are now) without restrictions /
developer mode". Accented words are matched with and without their accents, since users type
both. The needles include the unaccented spellings as words and the accented and non-Latin
ones as substrings, which are only looked for when the text is not plain ASCII.
"""

from __future__ import annotations

from policies.detectors.intent_injection import ENTRY as INJECTION
from policies.detectors.intent_persona import ENTRY as JAILBREAK
from policies.detectors.intent_scoring import FRAME, MODERATE, STRONG, Cue, CueSet, cue, gap, wordlist

# CJK text has no spaces and its own sentence marks.
_CJK_GAP = "[^。！？.!?\\n]{0,12}?"


def _override(regex: str) -> Cue:
    return cue(INJECTION, "override", STRONG, regex)


def _extract(regex: str) -> Cue:
    return cue(INJECTION, "extract", STRONG, regex)


def _unbound(regex: str, weight: float = MODERATE) -> Cue:
    return cue(JAILBREAK, "unbound" if weight < STRONG else "mode", weight, regex)


SPANISH = CueSet(
    needles=wordlist(
        "ignora ignore ignoren ignorar olvida olvide olvidar descarta omite instrucciones indicaciones reglas "
        "directrices prompt restricciones limites filtros censura desarrollador límites restricción"
    ),
    cues=(
        _override(
            rf"\b(?:ignora|ignore|ignoren|ignorar|olvida|olvide|olviden|olvidar|descarta|descarte|omite|omita|"
            rf"desestima|desobedece)\b{gap(30)}\b(?:instrucciones|indicaciones|reglas|normas|[oó]rdenes|directrices|"
            r"directivas|pautas)\b"
        ),
        _extract(
            rf"\b(?:revela|revele|muestra|mu[eé]strame|dime|imprime|repite|ense[nñ]a|comparte)\b{gap(30)}\b"
            r"(?:tus?|sus?|el|las)\s(?:prompt|instrucciones)\b(?:\s(?:del|de)\s(?:sistema|sistemas))?"
        ),
        _unbound(
            r"\bsin\s(?:ninguna\s|ning[uú]n\s)?(?:restricciones|restricci[oó]n|l[ií]mites|filtros?|censura|reglas)\b"
        ),
        _unbound(r"\bmodo\s(?:de\s)?(?:desarrollador|sin restricciones|dios|dan)\b", STRONG),
    ),
    before=40,
    after=100,
)

FRENCH = CueSet(
    needles=wordlist(
        "ignorez ignorer ignore oublie oubliez oublier consignes instructions regles règles prompt restrictions "
        "limites filtres censure developpeur développeur"
    ),
    cues=(
        _override(
            r"\b(?:ignore[rz]?|oublie[rz]?|ne tiens pas compte|ne tenez pas compte|fais abstraction|"
            rf"faites abstraction|outrepasse[rz]?)\b{gap(30)}\b(?:instructions|consignes|r[eè]gles|directives|"
            r"indications)\b"
        ),
        _extract(
            r"\b(?:r[eé]v[eè]le|r[eé]v[eé]lez|montre|montrez|affiche|affichez|donne|donnez|r[eé]p[eè]te|"
            rf"r[eé]p[eé]tez|dis|dites)\b(?:-moi)?{gap(30)}\b(?:ton|tes|votre|vos|le|les)\s(?:prompt|instructions|"
            r"consignes)\b"
        ),
        _unbound(r"\bsans\s(?:aucune?\s)?(?:restrictions?|limites?|filtres?|censure|r[eè]gles?)\b"),
        _unbound(r"\bmode\s(?:d[eé]veloppeur|dev|sans restrictions|dieu)\b", STRONG),
    ),
    before=40,
    after=100,
)

GERMAN = CueSet(
    needles=wordlist(
        "ignoriere ignorier ignorieren vergiss vergessen missachte anweisungen regeln richtlinien instruktionen "
        "systemanweisungen systemprompt prompt einschraenkungen uneingeschraenkt einschränkungen uneingeschränkt "
        "zensur entwicklermodus"
    ),
    cues=(
        _override(
            rf"\b(?:ignorier\w{{0,3}}|vergiss|vergessen sie|missachte\w{{0,2}}|[uü]bergehe\w{{0,2}}|verwirf)\b{gap(40)}"
            r"\b(?:anweisungen|instruktionen|befehle|regeln|richtlinien|vorgaben|systemanweisungen|anordnungen)\b"
        ),
        cue(INJECTION, "override", MODERATE, r"\b(?:vergiss|vergessen sie) alles\b"),
        _extract(
            rf"\b(?:verrate?|zeige?|nenne|gib|wiederhole|drucke)\b{gap(30)}\b(?:deine?n?|ihre?n?)\s"
            r"(?:system-?prompt|systemanweisungen|anweisungen|prompt)\b|\b(?:verrate?|zeige?|nenne|gib|wiederhole)"
            rf"\b{gap(30)}\b(?:system-?prompt|systemanweisungen)\b"
        ),
        cue(INJECTION, "new_rules", MODERATE, r"\bneue\s(?:anweisungen|instruktionen|regeln|aufgabe)\s?:"),
        _unbound(
            r"\b(?:ohne|keine)\s(?:jegliche\s|irgendwelche\s)?(?:einschr(?:ä|ae)nkungen|beschr(?:ä|ae)nkungen|"
            r"grenzen|filter|zensur|regeln|richtlinien)\b|\buneingeschr(?:ä|ae)nkt\w{0,2}"
        ),
        _unbound(r"\bentwicklermodus\b", STRONG),
    ),
    before=40,
    after=100,
)

PORTUGUESE = CueSet(
    needles=wordlist(
        "ignore ignora ignorar esqueca esquece esquecer esqueça desconsidere instrucoes instruções regras diretrizes "
        "prompt restricoes restrições limites filtros desenvolvedor"
    ),
    cues=(
        _override(
            r"\b(?:ignore|ignora|ignorar|ignorem|esque[cç]a|esquece|esquecer|desconsidere|desconsidera|descarte)\b"
            rf"{gap(30)}\b(?:instru[cç](?:õ|o)es|regras|diretrizes|ordens|orienta[cç](?:õ|o)es|comandos)\b"
        ),
        _extract(
            rf"\b(?:revele|revela|mostre|mostra|diga|repita|imprima)\b{gap(30)}\b(?:seu|sua|seus|suas|o|as)\s"
            r"(?:prompt|instru[cç](?:õ|o)es)\b"
        ),
        _unbound(
            r"\bsem\s(?:nenhuma\s|qualquer\s)?(?:restri[cç](?:õ|o)es|restri[cç][aã]o|limites?|filtros?|censura|regras?)\b"
        ),
        _unbound(r"\bmodo\s(?:de\s)?(?:desenvolvedor|sem restri[cç](?:õ|o)es)\b", STRONG),
    ),
    before=40,
    after=100,
)

ITALIAN = CueSet(
    needles=wordlist(
        "ignora ignorate dimentica dimenticate trascura istruzioni regole direttive prompt restrizioni limiti filtri "
        "sviluppatore"
    ),
    cues=(
        _override(
            rf"\b(?:ignora|ignorate|ignori|dimentica|dimenticate|dimentichi|trascura|tralascia)\b{gap(30)}"
            r"\b(?:istruzioni|regole|direttive|indicazioni|linee guida)\b"
        ),
        _extract(
            rf"\b(?:rivela|rivelami|mostra|mostrami|dimmi|ripeti|stampa)\b{gap(30)}\b(?:il tuo|i tuoi|le tue|tuo|"
            r"tue|il|le)\s(?:prompt|istruzioni)\b"
        ),
        _unbound(
            r"\bsenza\s(?:alcuna\s|nessuna\s|alcun\s)?(?:restrizioni|restrizione|limiti|limite|filtri|filtro|censura|regole)\b"
        ),
        _unbound(r"\bmodalit(?:à|a)\s(?:sviluppatore|sviluppo|senza restrizioni)\b", STRONG),
    ),
    before=40,
    after=100,
)

_CJK_OVERRIDE = "(?:忽略|无视|無視|忘记|忘記|忘掉|不要理会|不要理會|不要遵守|不要遵循|跳过|跳過|放弃|放棄)"
_CJK_RULES = "(?:指令|指示|说明|說明|规则|規則|提示词|提示詞|提示|要求|设定|設定|命令)"
CHINESE = CueSet(
    needles=wordlist(
        "忽略 无视 無視 忘记 忘記 忘掉 不要理 不要遵 跳过 跳過 放弃 放棄 "
        "提示 指令 限制 约束 約束 过滤 過濾 审查 審查 开发者模式 開發者模式"
    ),
    cues=(
        _override(f"{_CJK_OVERRIDE}{_CJK_GAP}{_CJK_RULES}"),
        _extract(
            f"(?:告诉我|告訴我|显示|顯示|输出|輸出|重复|重複|打印|泄露|透露|给我看|給我看){_CJK_GAP}"
            "(?:系统提示|系統提示|提示词|提示詞|初始指令|系统指令|系統指令|系统消息|系統訊息)"
        ),
        _unbound(
            "(?:没有|沒有|不受|无任何|無任何|摆脱|擺脫)(?:任何)?.{0,4}?(?:限制|约束|約束|过滤|過濾|审查|審查|道德准则|规则|規則)"
        ),
        _unbound("开发者模式|開發者模式", STRONG),
    ),
    before=30,
    after=60,
)

JAPANESE = CueSet(
    needles=wordlist("無視 忘れ システムプロンプト 制限 フィルター 検閲 開発者モード"),
    cues=(
        _override(f"(?:指示|命令|ルール|指令|設定|プロンプト)を?{_CJK_GAP}(?:無視|忘れ)"),
        _extract(f"システムプロンプト{_CJK_GAP}(?:教えて|表示|見せて|出力|繰り返)"),
        _unbound("(?:制限|フィルター|検閲|ルール)(?:が|は|の|も)?(?:ない|なし|無し|なく)"),
        _unbound("開発者モード", STRONG),
    ),
    before=30,
    after=40,
)

KOREAN = CueSet(
    needles=wordlist("무시 잊어 프롬프트 제한 필터 검열 개발자"),
    cues=(
        _override(f"(?:지시|명령|지침|규칙|설정){_CJK_GAP}(?:무시|잊어)"),
        _extract(f"(?:시스템 ?프롬프트|지시사항){_CJK_GAP}(?:알려|보여|출력|공개|반복)"),
        _unbound(r"(?:제한|필터|검열|규칙)(?:이|은|도)?\s?(?:없는|없이|없어)"),
        _unbound("개발자 ?모드", STRONG),
    ),
    before=30,
    after=40,
)

RUSSIAN = CueSet(
    needles=(
        "не обращай",
        "не слушай",
        *wordlist("игнорир забудь забыть отбрось проигнорируй промпт инструкци ограничени цензур фильтр разработчика"),
    ),
    cues=(
        _override(
            r"(?:игнорир\w{0,5}|проигнорируй\w{0,3}|забудь\w{0,3}|забыть|не обращай\w{0,3} внимания на|"
            rf"не слушай\w{{0,3}}|отбрось\w{{0,3}}|отмени\w{{0,3}}){gap(30)}"
            r"(?:инструкци|указани|правил|команд|установк|"
            r"директив)"
        ),
        _extract(
            rf"(?:покажи|покажите|выведи|выведите|раскрой|раскройте|повтори|повторите|скажи|скажите|напиши){gap(30)}"
            r"(?:системн\w{0,4} (?:промпт|подсказк|инструкци|сообщени)|(?:свой|свои|твой|твои|ваш|ваши) "
            r"(?:промпт|инструкци))"
        ),
        _unbound(r"без\s(?:каких-либо\s|всяких\s|любых\s)?(?:ограничени|фильтр|цензур|правил)"),
        _unbound(r"режим\w{0,3} разработчика", STRONG),
    ),
    before=40,
    after=100,
)

DUTCH = CueSet(
    needles=wordlist("negeer vergeet instructies regels beperkingen prompt filters censuur"),
    cues=(
        _override(rf"\b(?:negeer|vergeet|omzeil)\b{gap(30)}\b(?:instructies|regels|richtlijnen|opdrachten)\b"),
        _extract(rf"\b(?:toon|laat|geef|herhaal)\b{gap(30)}\b(?:je|jouw|uw)\s(?:systeem)?(?:prompt|instructies)\b"),
        _unbound(r"\bzonder\s(?:enige\s)?(?:regels|beperkingen|filters|censuur|grenzen)\b"),
    ),
    before=40,
    after=100,
)

CUE_SETS = (SPANISH, FRENCH, GERMAN, PORTUGUESE, ITALIAN, DUTCH, CHINESE, JAPANESE, KOREAN, RUSSIAN)

# Persona frames, like the English ones: they only strengthen a nearby primary cue.
SUPPORT = (
    cue(
        JAILBREAK,
        "frame",
        FRAME,
        r"\b(?:ahora eres|ahora est[aá]s|a partir de ahora|finge que eres|act[uú]a como|tu es d[eé]sormais|"
        r"vous [eê]tes d[eé]sormais|tu es maintenant|vous [eê]tes maintenant|[aà] partir de maintenant|"
        r"fais semblant|agis comme|du bist jetzt|du bist nun|ab jetzt|ab sofort|tu so als|agora voc[eê] [eé]|"
        r"a partir de agora|finja que|aja como|ora sei|adesso sei|d'ora in poi|da ora in poi|fingi di essere|"
        r"agisci come|je bent nu|vanaf nu|теперь ты|с этого момента|притворись)|你现在是|你現在是|从现在开始|"
        r"從現在開始|假装你是|假裝你是|扮演|今から|これから|あなたは今",
    ),
    cue(
        JAILBREAK,
        "nofuse",
        MODERATE,
        r"(?:non rifiuti mai|ne refuses? jamais|ne refusez jamais|nunca (?:te )?niegues|nunca rechaces|no te niegues|"
        r"lehnst (?:niemals|nie)|niemals ablehnen|nunca recuse|никогда не отказывай)|"
        r"すべての質問に答え|必须回答所有问题|"
        r"回答所有问题",
    ),
    cue(
        JAILBREAK,
        "evade",
        MODERATE,
        r"(?:sicherheitsrichtlinien|sicherheitsregeln|r[eè]gles de s[eé]curit[eé]|reglas de seguridad|"
        r"linee guida di sicurezza|regras de seguran[cç]a)[^.!?\n]{0,40}?(?:non valgono|ne s'appliquent pas|"
        r"no (?:se )?aplican|nicht gelten|gelten nicht|n[aã]o se aplicam)",
    ),
)
