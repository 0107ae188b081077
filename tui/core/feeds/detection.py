"""Which codec a body is in when no declaration can be trusted: each candidate decoding
is scored by how ordinary its characters are for the script the candidate implies.

Half of the module is tables: the commonest characters of each CJK language that
detection weighs. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import cache

NON_ASCII_TEXT = re.compile(r"[^\x00-\x7f]")
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_SAMPLE_CHARS = 3000
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACED_CJK = re.compile(
    r"(?<=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]) (?=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3])"
)
_KANA = re.compile(r"[\u3040-\u30ff]")


def detect(body: bytes, at_least: float = -9.0) -> tuple[str, str] | None:
    """The most plausible strict decoding of the body scoring ``at_least``, if any."""
    best: tuple[float, str, str] | None = None
    for codec, scorer in _CANDIDATES:
        text = strict_decode(body, codec)
        if text is None:
            continue
        score = scorer(text)
        if score >= at_least and (best is None or score > best[0]):
            best = score, text, codec
    return (best[1], best[2]) if best else None


def _sample(text: str) -> list[tuple[str, bool]]:
    """Up to _SAMPLE_CHARS non-ASCII characters, each with whether an ASCII letter touches
    it (it sits inside a Latin word)."""
    out = []
    for match in NON_ASCII_TEXT.finditer(text):
        i = match.start()
        out.append(
            (
                match.group(),
                _is_latin_letter(text[i - 1 : i]) or _is_latin_letter(text[i + 1 : i + 2]),
            )
        )
        if len(out) >= _SAMPLE_CHARS:
            break
    return out


def _non_ascii(text: str) -> str:
    """The first _SAMPLE_CHARS non-ASCII characters of ``text``, as one string: what
    ``_sample`` takes, without a Python step per character. Deleting the runs of ASCII
    (markup is long runs of it) is five times as fast as finding each other character."""
    end = 2 * _SAMPLE_CHARS
    while True:
        found = _ASCII_RUNS.sub("", text[:end])
        if len(found) >= _SAMPLE_CHARS or end >= len(text):
            return found[:_SAMPLE_CHARS]
        end *= 4


def _is_latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


@cache
def _double_byte_set(codec: str, leads: tuple[int, int], trails: tuple[int, int]) -> frozenset[str]:
    """Every character ``codec`` maps the byte pairs in the given ranges to."""
    chars = set()
    for lead in range(leads[0], leads[1] + 1):
        for trail in range(trails[0], trails[1] + 1):
            try:
                chars.add(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _rows(codec: str, first: int, last: int) -> frozenset[str]:
    return _double_byte_set(codec, (first, last), (0xA1, 0xFE))


# Characters CP932 decodes differently from EUC-JP for the same JIS positions.
_CP932_VARIANTS = frozenset("～－∥￠￡￢＼")


@cache
def _weights(family: str) -> tuple[frozenset[str], frozenset[str]]:
    """(common, rarer) characters for a family: punctuation + level-1 sets, then level 2."""
    if family == "zh-hans":
        common = _rows("gb2312", 0xA1, 0xA3) | _rows("gb2312", 0xB0, 0xD7)
        return common, _rows("gb2312", 0xD8, 0xF7)
    if family == "zh-hant":
        common = _double_byte_set("big5", (0xA1, 0xA3), (0x40, 0xFE))
        level1 = _double_byte_set("big5", (0xA4, 0xC6), (0x40, 0xFE))
        return common | level1, _double_byte_set("big5", (0xC9, 0xF9), (0x40, 0xFE))
    if family == "ko":
        common = _rows("euc_kr", 0xA1, 0xA3) | _rows("euc_kr", 0xB0, 0xC8)
        return common, _rows("euc_kr", 0xCA, 0xFD)  # hanja: rare in modern Korean
    # ja: punctuation, full-width forms and kana (rows 1-5), level-1 kanji; level 2 and the
    # NEC row 13 symbols (circled digits) as rarer.
    common = _rows("euc_jp", 0xA1, 0xA5) | _rows("euc_jp", 0xB0, 0xCF) | _CP932_VARIANTS
    return common, _rows("euc_jp", 0xD0, 0xF4) | _rows("euc_jis_2004", 0xAD, 0xAD)


@cache
def _frequent(family: str) -> frozenset[str]:
    return frozenset(_FREQUENT[family])


def _cjk_scorer(family: str) -> Callable[[str], float]:
    """Scorer for one CJK legacy codec: its repertoire, then how ordinary the text reads.

    Misread CJK bytes land in the same repertoires (Korean read as GB2312 is all level-1
    hanzi, EUC-JP kana read as Big5 are the simplest hanzi), so the repertoire score ties
    often; the share of the language's most frequent characters breaks the tie.
    """

    def score(text: str) -> float:
        sample = _non_ascii(text)
        if not sample:
            return 0.0
        common, rarer = _weights(family)
        frequent = _frequent(family)
        # By distinct character: a page of Chinese repeats a few hundred of them.
        total = 0.0
        hits = 0
        for ch, count in Counter(sample).items():
            if ch in frequent:
                hits += count
            if ch in common:
                total += count
            elif ch in rarer:
                total += 0.3 * count
            elif "\uff61" <= ch <= "\uff9f" or (family != "ja" and _KANA.match(ch)):
                # Half-width katakana are real in Shift_JIS, but mostly what EUC-JP bytes
                # turn into when read as CP932; kana inside Chinese or Korean are rare.
                continue
            else:
                total -= count
        result = total / len(sample) + 0.6 * min(1.0, hits / len(sample) / 0.3)
        if family == "ja":
            # Kana set Japanese apart, and Japanese prose is 40-70% kana. Chinese and Korean
            # bytes read as EUC-JP give kanji, seldom kana: the same bytes in Big5 are the
            # simplest hanzi, in KS X 1001 the commonest Hangul.
            kana = len(_KANA.findall(sample)) / len(sample)
            result += 0.3 if kana >= 0.2 else -0.3 if kana < 0.05 else 0.0
        if family != "ko":
            # Chinese and Japanese put no spaces between words; Korean does.
            spaced = len(_SPACED_CJK.findall(text, 0, 20000))
            ideographs = len(_IDEOGRAPH.findall(sample))
            result -= 2.0 * max(0, spaced - 1) / max(1, ideographs)
        return result

    return score


_LATIN_PUNCTUATION = frozenset("’‘“”–—…€©®°•«»·")
# Russian, Ukrainian and Bulgarian share most of these.
_CYRILLIC_FREQUENT = "оеаинтсрвлкмдпуя"


def _script_scorer(first: str, last: str, frequent: str) -> Callable[[str], float]:
    """Scorer for a single-byte codec of one non-Latin script (letters ``first``..``last``).

    ``frequent`` holds the script's most frequent lowercase letters: mojibake between
    single-byte codecs yields letters of the right script but in the wrong proportions.
    """

    def score(text: str) -> float:
        sample = _sample(text)
        if not sample:
            return 0.0
        total = 0.0
        for ch, in_latin_word in sample:
            if first <= ch <= last:
                if in_latin_word:
                    continue  # one script per word; a lone letter inside Latin is mojibake
                if ch.isupper():
                    total += 0.5
                else:
                    total += 1.0 if ch in frequent else 0.6
            elif ch in _LATIN_PUNCTUATION or ch == "№":
                total += 1.0
        return total / len(sample) - 0.05  # ties go to windows-1252

    return score


def latin_score(text: str) -> float:
    sample = _sample(text)
    if not sample:
        return 1.0
    total = 0.0
    for ch, in_latin_word in sample:
        if ch in _LATIN_PUNCTUATION or (ch.isalpha() and in_latin_word):
            total += 1.0
        elif ch.isalpha():
            total += 0.3  # accented letters in a run of their own: another script's bytes
    return total / len(sample)


CJK_SCORERS: dict[str, Callable[[str], float]] = {
    "gb18030": _cjk_scorer("zh-hans"),
    "big5hkscs": _cjk_scorer("zh-hant"),
    "cp950": _cjk_scorer("zh-hant"),
    "cp932": _cjk_scorer("ja"),
    "shift_jis_2004": _cjk_scorer("ja"),
    "euc_jp": _cjk_scorer("ja"),
    "euc_jis_2004": _cjk_scorer("ja"),
    "cp949": _cjk_scorer("ko"),
}
_CANDIDATES: tuple[tuple[str, Callable[[str], float]], ...] = (
    *(
        (codec, CJK_SCORERS[codec])
        for codec in ("gb18030", "big5hkscs", "cp932", "euc_jp", "euc_jis_2004", "cp949")
    ),
    ("cp1252", latin_score),
    ("cp1251", _script_scorer("\u0400", "\u04ff", _CYRILLIC_FREQUENT)),
    ("koi8-r", _script_scorer("\u0400", "\u04ff", _CYRILLIC_FREQUENT)),
    ("cp1253", _script_scorer("\u0370", "\u03ff", "αοειτνσςρκπμλυηάέίόύήώ")),
    ("cp1255", _script_scorer("\u05d0", "\u05ea", "יוהלארמתבשנםקכע")),
    ("cp1256", _script_scorer("\u0620", "\u06ff", "اليمونرتبهعدكفة")),
)


# The most frequent characters of each written language, by corpus counts: about 300
# hanzi each for simplified and traditional Chinese, 500 kanji plus all kana for Japanese,
# the 113 commonest Hangul syllables for Korean. Real text draws a third or more of its
# characters from these; the same bytes read in the wrong codec draw a few percent.
_FREQUENT: dict[str, str] = {
    "zh-hans": (
        "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过"
        "发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本"
        "前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很"
        "最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度"
        "门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电"
        "数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马"
    ),
    "zh-hant": (
        "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過"
        "發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本"
        "前開但因只從想實日軍者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很"
        "最重並物手應戰向頭文體政美相見被利什二等產或新己製身果加西斯月話合回特代內信表化老給世位次度"
        "門任常先海通教兒原東聲提立及比員解水名真論處走義各入幾口認條平系氣題活爾更別打女變四神總何電"
        "數安少報才結反受目太量再感建務做接必場件計管期市直德資命山金指克許統區保至隊形社便空決治展馬"
    ),
    "ja": (
        "ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのは"
        "ばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔァアィイゥウェエォオ"
        "カガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベ"
        "ペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶーー・"
        "日一国会人年大十二本中長出三同時政事自行社見月分議後前民生連五発間対上部東者党地合市業内相方"
        "四定今回新場金員九入選立開手米力学問高代明実円関決子動京全目表戦経通外最言氏現理調体化田当八"
        "六約主題下首意法不来作性的要用制治度務強気小七成期公持野協取都和統以機平総加山思家話世受区領"
        "多県続進正安設保改数記院女初北午指権心界支第産結百派点教報済書府活原先共得解名交資予川向際査"
        "勝面委告軍文反元重近千考判認画海参売利組知案道信策集在件団別物側任引使求所次水半品昨論計死官"
        "増係感特情投示変打男基私各始島直両朝革価式確村提運終挙果西勢減台広容必応演電歳住争談能無再位"
        "置企真流格有疑口過局少放税検藤町常校料沢裁状工建語球営空職証土与急止送援供可役構木割聞身費付"
        "施切由説転食比難防補車優夫研収断井何南石足違消境神番規術護展態導鮮備宅害配副算視条幹独警宮究"
        "育席輸訪楽起万着乗店述残想線率病農州武声質念待試族象銀域助労例衛然早張映限親額監環験追審商葉"
        "義伝働形景落欧担好退準賞訴辺造英被株頭技低毎医復仕去姿味負閣韓渡失移差衆個門写評課末守若脳極"
        "種美岡影命含福蔵量望松非撃佐核観察整段横融型白深字答夜製票況音申様財港識注呼渉達"
    ),
    "ko": (
        "이다는의에하고을가로지기서한도리사자대어인나수정아일를시해게들있요보전것주상적장만부으되니스제"
        "과국위라면와원말했동성우중여문생내오소연경화구신비공개방관무학데미조식세마선진거은계회분업물"
        "당단그까드없간음트발용저실안법유년행때모"
    ),
}


def strict_decode(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
