"""Normalisation of Japanese CRM text: width, company legal forms, prefectures, amounts written in words.

Every function is pure and null-safe (``None`` in, ``None`` out) so that it can run row by row in tests
and, through ``vectorize.over_unique_values``, on whole Arrow columns inside DuckDB.
"""

import re
import unicodedata

from scoring_udfs.prefectures import PREFECTURES

# Legal-form markers are removed so that ㈱ABC, 株式会社ABC and ABC株式会社 compare equal. After NFKC,
# ㈱ and （株） both read "(株)", so only the half-width spellings need listing.
_LEGAL_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|\((?:株|有|同|資|名)\)"
    r"|\b(?:co\.,? ?ltd\.?|inc\.|k\.k\.)",
    flags=re.IGNORECASE,
)
_WHITESPACE = re.compile(r"\s+")

_PREFECTURE_BY_SPELLING: dict[str, str] = {}
for _official, _short, _romanised in PREFECTURES:
    for _spelling in (_official, _short, _romanised):
        _PREFECTURE_BY_SPELLING[_spelling] = _official
# Romanised spellings often carry the suffix: "Tokyo-to", "Osaka-fu", "Aichi Prefecture".
_ROMANISED_SUFFIX = re.compile(r"[\s-]*(?:to|fu|ken|prefecture|pref\.?)$")

# Units of Japanese numerals; amounts such as 1億2,000万円 add their parts.
_UNITS = {"兆": 10**12, "億": 10**8, "万": 10**4, "千": 10**3}
_NUMBER_PART = re.compile(r"(\d+(?:\.\d+)?)([兆億万千]?)")
# Words around a count or amount that carry no value: currency, counters, "about", "or more".
_NOISE = re.compile(r"[,\s円¥名人社]|JPY|約|程度|以上|未満|超|前後", flags=re.IGNORECASE)
# In a range ("100〜499名") the lower bound is kept: it is the figure the export vouches for.
_RANGE_SEPARATOR = re.compile(r"[〜~～]|-(?=\d)")
# A leading minus, or ▲ / △ as Japanese accounts write a negative figure.
_NEGATIVE = re.compile(r"^[-−▲△]\s*(?=\d)")
# Integers SQL can hold (BIGINT); a longer figure is not a number anyone meant.
_LARGEST = 2**63 - 1


def normalize_text(text: str | None) -> str | None:
    """NFKC (full-width letters and digits to ASCII, half-width kana to full-width), single spaces, trimmed.

    Empty strings become ``None`` so that "no value" has one spelling.
    """
    if text is None:
        return None
    normalised = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return normalised or None


def normalize_company_name(text: str | None) -> str | None:
    """Company name without its legal form: "(株)ＡＢＣ" -> "ABC", "ＡＢＣ株式会社" -> "ABC"."""
    normalised = normalize_text(text)
    if normalised is None:
        return None
    return normalize_text(_LEGAL_FORMS.sub(" ", normalised))


def normalize_prefecture(text: str | None) -> str | None:
    """Official prefecture name from any common spelling: "東京" / "Tokyo" / "東京都千代田区…" -> "東京都".

    Returns ``None`` when no prefecture is recognised (staging keeps the original text beside it).
    """
    normalised = normalize_text(text)
    if normalised is None:
        return None
    key = normalised.lower()
    if key in _PREFECTURE_BY_SPELLING:
        return _PREFECTURE_BY_SPELLING[key]
    romanised = _ROMANISED_SUFFIX.sub("", key)
    if romanised in _PREFECTURE_BY_SPELLING:
        return _PREFECTURE_BY_SPELLING[romanised]
    # A full address starts with the official name.
    for official, _short, _romanised in PREFECTURES:
        if normalised.startswith(official):
            return official
    return None


def parse_japanese_number(text: str | None) -> int | None:
    """A count or amount written the Japanese way, as an integer.

    "10億円" -> 1_000_000_000, "5,000万円" -> 50_000_000, "1億2,000万円" -> 120_000_000,
    "約1,200名" -> 1_200, "¥12,000,000" -> 12_000_000, "100〜499名" -> 100 (lower bound),
    "-500" / "▲500" -> -500. Anything else ("非公開", "不明", "NaN", "Infinity", "1e308", a figure
    beyond BIGINT) gives ``None`` rather than a guess. The loader's number check calls this same
    function, so a value that passes it reaches staging as the same number.
    """
    normalised = normalize_text(text)
    if normalised is None:
        return None
    sign = -1 if _NEGATIVE.match(normalised) else 1
    normalised = _NEGATIVE.sub("", normalised)
    lower_bound = _RANGE_SEPARATOR.split(normalised, maxsplit=1)[0]
    compact = _NOISE.sub("", lower_bound)
    if not compact:
        return None
    total = 0.0
    position = 0
    for match in _NUMBER_PART.finditer(compact):
        if match.start() != position:
            return None
        total += float(match.group(1)) * _UNITS.get(match.group(2), 1)
        position = match.end()
    if position != len(compact) or total > _LARGEST:
        return None
    return sign * round(total)
