"""Export encodings: detected, decoded strictly, never loaded as mojibake."""

import duckdb
import pytest

from export_loader.encodings import EncodingError, detect_encoding, implausible_share
from export_loader.raw_exports import RAW_EXPORTS_BY_TABLE
from export_loader.raw_load import ExportError, load_export
from tests.fixtures.profiles import write_profile

USERS = RAW_EXPORTS_BY_TABLE["crm_users"]
HEADER = "User ID,Full Name,Team\n"
ROWS = "U1,山田 太郎,営業\nU2,佐藤 花子,インサイドセールス\nU3,鈴木 一郎,マーケティング部\n"


def _users(con):
    return con.sql("select user_id, full_name, team from raw.crm_users order by 1").fetchall()


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("euc_jp", "euc_jp"),  # 山田 is also valid CP932 (ｻｳﾅﾄ): only the plausible reading is taken
        ("cp932", "cp932"),
        ("utf-16", "utf-16"),  # with a BOM
        ("utf-16-le", "utf-16-le"),  # without one
        ("utf-8-sig", "utf-8"),
        ("utf-8", "utf-8"),
    ],
)
def test_each_encoding_is_detected_and_loads_the_same_text(tmp_path, encoding, expected):
    (tmp_path / "crm_users.csv").write_bytes((HEADER + ROWS).encode(encoding))
    with duckdb.connect() as con:
        result = load_export(con, USERS, tmp_path)
        assert _users(con) == [
            ("U1", "山田 太郎", "営業"),
            ("U2", "佐藤 花子", "インサイドセールス"),
            ("U3", "鈴木 一郎", "マーケティング部"),
        ]
    assert result.files[0].encoding == expected


def test_the_euc_jp_bytes_of_a_name_read_as_cp932_would_be_mojibake():
    as_cp932 = "山田".encode("euc_jp").decode("cp932")
    assert as_cp932 == "ｻｳﾅﾄ" and implausible_share(as_cp932) == 1.0
    assert implausible_share("山田 ﾃﾚｱﾎﾟ 太郎") < 0.6 and implausible_share("山田太郎") == 0.0


def test_text_that_reads_plausibly_both_ways_is_refused_asking_for_the_encoding(tmp_path):
    # Half-width katakana in CP932 can be valid EUC-JP too (ｻﾄｳﾊﾅｺ reads 残格添): too little text to
    # tell which reading is right.
    path = tmp_path / "crm_users.csv"
    path.write_bytes((HEADER + "U1,ｻﾄｳﾊﾅｺ,ｶﾌﾞｼｷｶﾞｲｼｬ\n").encode("cp932"))
    with pytest.raises(EncodingError, match=r"both CP932 and EUC-JP .*`encoding: cp932`"):
        detect_encoding(path)
    specs = write_profile(
        tmp_path,
        "source: x\nexports:\n  - {name: users, target: crm_users, file_pattern: 'crm_users*', "
        "encoding: cp932, columns: {user_id: User ID, full_name: Full Name, team: Team}}\n",
    )
    with duckdb.connect() as con:
        load_export(con, USERS, tmp_path, specs)
        assert _users(con) == [("U1", "ｻﾄｳﾊﾅｺ", "ｶﾌﾞｼｷｶﾞｲｼｬ")]


def test_a_file_whose_later_part_is_cp932_is_read_as_cp932(tmp_path):
    # A long ASCII head says nothing: the sample is taken where the first non-ASCII byte is.
    head = "".join(f"U{n},Name {n},Sales\n" for n in range(60_000))
    (tmp_path / "crm_users.csv").write_bytes((HEADER + head + "UX,山田 太郎,営業\n").encode("cp932"))
    with duckdb.connect() as con:
        result = load_export(con, USERS, tmp_path)
        assert con.sql("select full_name from raw.crm_users where user_id = 'UX'").fetchall() == [
            ("山田 太郎",)
        ]
    assert result.files[0].encoding == "cp932"


def test_binary_junk_is_refused_naming_what_it_looks_like_and_the_line(tmp_path):
    (tmp_path / "crm_users.csv").write_bytes(HEADER.encode() + b"U1,\x82\xff\xfe\x80,x\n")
    with duckdb.connect() as con, pytest.raises(ExportError, match=r"not UTF-8, UTF-16.*on line 2"):
        load_export(con, USERS, tmp_path)
