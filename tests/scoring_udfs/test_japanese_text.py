import pytest

from scoring_udfs.japanese_text import (
    normalize_company_name,
    normalize_prefecture,
    normalize_text,
    parse_japanese_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(株)ＡＢＣ", "ABC"),
        ("ＡＢＣ株式会社", "ABC"),
        ("㈱山田精機", "山田精機"),
        ("（株）さくら　商事", "さくら 商事"),
        ("株式会社 NEXTシステム", "NEXTシステム"),
        ("有限会社佐藤工業", "佐藤工業"),
        ("合同会社ミライ", "ミライ"),
        ("中川商事(株)", "中川商事"),
        ("ABC Co., Ltd.", "ABC"),
        ("ｻｸﾗﾃｯｸ株式会社", "サクラテック"),
        ("株式会社", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_company_name(raw, expected):
    assert normalize_company_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("東京", "東京都"),
        ("東京都", "東京都"),
        ("Tokyo", "東京都"),
        ("TOKYO-TO", "東京都"),
        ("大阪", "大阪府"),
        ("Osaka-fu", "大阪府"),
        ("京都", "京都府"),
        ("北海道", "北海道"),
        ("hokkaido", "北海道"),
        ("神奈川", "神奈川県"),
        ("Aichi Prefecture", "愛知県"),
        ("東京都千代田区丸の内1-1", "東京都"),
        ("　福岡　", "福岡県"),
        ("火星", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_prefecture(raw, expected):
    assert normalize_prefecture(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10億円", 1_000_000_000),
        ("5,000万円", 50_000_000),
        ("1億2,000万円", 120_000_000),
        ("3.5億円", 350_000_000),
        ("１０億円", 1_000_000_000),
        ("¥12,000,000", 12_000_000),
        ("￥12,000,000", 12_000_000),
        ("12000000", 12_000_000),
        ("約1,200名", 1_200),
        ("500人", 500),
        ("3千人", 3_000),
        ("100〜499名", 100),
        ("100-499", 100),
        ("1兆円", 1_000_000_000_000),
        ("非公開", None),
        ("不明", None),
        ("10億円くらい", None),
        ("-5000000", -5_000_000),
        ("▲1,200万円", -12_000_000),
        ("-0", 0),
        ("NaN", None),
        ("Infinity", None),
        ("-Infinity", None),
        ("1e308", None),
        ("99999999999999999999", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_japanese_number(raw, expected):
    assert parse_japanese_number(raw) == expected


def test_normalize_text_widths_and_spaces():
    assert normalize_text("　ＡＢＣ　ｶﾀｶﾅ  部長 ") == "ABC カタカナ 部長"
    assert normalize_text("   ") is None
