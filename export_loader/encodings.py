"""Which encoding an export file is in: UTF-8 (with or without BOM), UTF-16, CP932 (Shift_JIS as
Windows and Excel write it) or EUC-JP. Never a guess that loads mojibake:

- a BOM decides; NUL bytes in every other place mean UTF-16 without one;
- otherwise each candidate must decode a sample strictly; UTF-8 first, as it rarely decodes by
  accident;
- when both Japanese encodings decode (EUC-JP bytes are often valid CP932 as half-width katakana:
  山田 reads ｻｳﾅﾄ), the one whose text is plausible wins — its non-ASCII characters are kana and
  common kanji, not half-width katakana, rare kanji and unassigned codes — and when neither is
  clearly so, the file is refused with both readings shown, asking for ``encoding:`` in its export
  profile;
- anything else is described by charset-normalizer in the refusal.
"""

import codecs
import unicodedata
from pathlib import Path

import charset_normalizer

SAMPLE_BYTES = 1 << 20
JAPANESE_ENCODINGS = ("cp932", "euc_jp")
# A reading is implausible when this share of its non-ASCII characters is half-width katakana or
# unassigned / private-use code points, and plausible under the lower share.
IMPLAUSIBLE_SHARE, PLAUSIBLE_SHARE = 0.5, 0.1
# Fewer non-ASCII characters than this are too little text to tell a reading by (a misreading of a
# few characters can look plausible by chance).
MIN_EVIDENCE = 20


class EncodingError(Exception):
    """The encoding cannot be told safely; the message says why and what to set."""


def sample(path: Path, start: int = 0) -> bytes:
    """Up to SAMPLE_BYTES from ``start``: from the file's start, the first block with a non-ASCII byte
    (a long ASCII head says nothing about the encoding)."""
    with path.open("rb") as handle:
        handle.seek(start)
        head = handle.read(SAMPLE_BYTES)
        block = head
        while block.isascii() and len(block) == SAMPLE_BYTES:
            block = handle.read(SAMPLE_BYTES)
            if not block.isascii():
                return block
    return head


def _strict_decode(data: bytes, encoding: str) -> str | None:
    """The sample decoded, or None; a character cut at the sample's end is not an error."""
    try:
        return codecs.getincrementaldecoder(encoding)(errors="strict").decode(data, final=False)
    except UnicodeDecodeError:
        return None


def _is_unusual(character: str) -> bool:
    """Half-width katakana, unassigned or private-use, or a JIS level-2 kanji (EUC-JP lead byte 0xD0
    and up): common in a misreading (its characters are spread over the whole JIS table), rare in
    real business text, whose kanji are nearly all level 1."""
    if "\uff61" <= character <= "\uff9f" or unicodedata.category(character) in ("Cn", "Co"):
        return True
    if unicodedata.category(character) != "Lo" or "\u3040" <= character <= "\u30ff":
        return False
    try:
        return character.encode("euc_jp")[0] >= 0xD0
    except UnicodeEncodeError:
        return False


def implausible_share(text: str) -> float:
    """Share of non-ASCII characters that are unusual (above) in a reading of the file."""
    foreign = [c for c in text if ord(c) > 127]
    if not foreign:
        return 0.0
    return sum(map(_is_unusual, foreign)) / len(foreign)


def _utf16(data: bytes) -> str | None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = len(data) // 2
    if pairs and data[1::2].count(0) > pairs * 0.3:
        return "utf-16-le"
    if pairs and data[0::2].count(0) > pairs * 0.3:
        return "utf-16-be"
    return None


def detect_encoding(path: Path, start: int = 0) -> str:
    """The encoding of ``path`` from a sample at ``start`` (see the module docstring)."""
    data = sample(path, start)
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"  # DuckDB skips the BOM
    utf16 = _utf16(data)
    if utf16:
        return utf16
    if _strict_decode(data, "utf-8") is not None:
        return "utf-8"
    readings = {name: text for name in JAPANESE_ENCODINGS if (text := _strict_decode(data, name)) is not None}
    if len(readings) == 1:
        return next(iter(readings))
    if readings:
        shares = {name: implausible_share(text) for name, text in readings.items()}
        plausible = [
            name
            for name, share in shares.items()
            if share < PLAUSIBLE_SHARE and sum(ord(c) > 127 for c in readings[name]) >= MIN_EVIDENCE
        ]
        if len(plausible) == 1 and all(
            share >= IMPLAUSIBLE_SHARE for name, share in shares.items() if name != plausible[0]
        ):
            return plausible[0]
        shown = "; ".join(f"as {name}: {_excerpt(text)!r}" for name, text in readings.items())
        raise EncodingError(
            f"{path.name} reads as both CP932 and EUC-JP ({shown}). Set `encoding: cp932` or "
            "`encoding: euc_jp` in its export profile, whichever shows the text right."
        )
    best = charset_normalizer.from_bytes(data).best()
    looks_like = f"it looks like {best.encoding}" if best else "it looks like binary data"
    raise EncodingError(
        f"{path.name} is not UTF-8, UTF-16, CP932 (Shift_JIS) or EUC-JP text ({looks_like}). Save it as "
        "UTF-8, or set `encoding:` in its export profile."
    )


def _excerpt(text: str) -> str:
    """The first non-ASCII stretch of a reading, to show the user."""
    first = next((i for i, c in enumerate(text) if ord(c) > 127), 0)
    return text[max(0, first - 10) : first + 20]
