import hashlib
from datetime import date

import duckdb
import pytest

from sample_exports.cli import main
from sample_exports.generator import EXPORTS, generate

AS_OF = date(2026, 6, 30)


def _digests(folder):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def _quiet(_message):
    pass


def test_same_seed_gives_identical_files(tmp_path):
    generate(tmp_path / "a", 300, seed=5, as_of=AS_OF, chunk_size=100, progress=_quiet)
    generate(tmp_path / "b", 300, seed=5, as_of=AS_OF, chunk_size=100, progress=_quiet)
    generate(tmp_path / "c", 300, seed=6, as_of=AS_OF, chunk_size=100, progress=_quiet)
    first, second, other = _digests(tmp_path / "a"), _digests(tmp_path / "b"), _digests(tmp_path / "c")
    assert first == second
    assert len(first) == len(EXPORTS)
    assert first["crm_leads.csv"] != other["crm_leads.csv"]


def test_rows_written_match_the_files(sample_landing):
    with duckdb.connect() as con:
        leads = con.execute(
            'select count(distinct "Lead ID") from read_csv($p, all_varchar=true)',
            {"p": str(sample_landing / "crm_leads.csv")},
        ).fetchall()[0][0]
    assert leads == 600


def test_japanese_spellings_vary_like_real_exports(sample_landing):
    accounts = (sample_landing / "crm_accounts.csv").read_text(encoding="utf-8")
    leads = (sample_landing / "crm_leads.csv").read_text(encoding="utf-8")
    for marker in ("株式会社", "(株)", "㈱", "東京都", '"東京"', "Tokyo", "億", "万円", "非公開"):
        assert marker in accounts, marker
    assert any("\uff21" <= char <= "\uff3a" for char in accounts), "some company names use full-width letters"
    for marker in ("部長", "課長", "gmail.com", "展示会", "ウェビナー"):
        assert marker in leads, marker


def test_activity_volume_has_a_heavy_tail(sample_landing):
    with duckdb.connect() as con:
        per_lead = con.execute(
            "select coalesce(events, 0) from read_csv($leads, all_varchar=true) as l "
            'left join (select "Lead ID" as id, count(*) as events from read_csv($acts, all_varchar=true) '
            'group by 1) as a on l."Lead ID" = a.id',
            {
                "leads": str(sample_landing / "crm_leads.csv"),
                "acts": str(sample_landing / "ma_activities.csv"),
            },
        ).fetchall()
    counts = sorted(row[0] for row in per_lead)
    quiet_share = sum(count <= 2 for count in counts) / len(counts)
    assert quiet_share > 0.4, "most leads barely act"
    assert counts[-1] >= 40, "a few leads act dozens of times"


def test_outcomes_follow_hidden_propensity_not_noise(sample_landing):
    # Leads that reached SQL were more engaged than the rest: the funnel is not random.
    with duckdb.connect() as con:
        engaged_sql, engaged_rest = con.execute(
            'with acts as (select "Lead ID" as id, count(*) as n '
            "from read_csv($acts, all_varchar=true) group by 1), "
            'sql_leads as (select distinct "Lead ID" as id '
            "from read_csv($status, all_varchar=true) where Status = 'SQL') "
            "select avg(case when s.id is not null then coalesce(a.n, 0) end), "
            "avg(case when s.id is null then coalesce(a.n, 0) end) "
            'from read_csv($leads, all_varchar=true) l left join acts a on l."Lead ID" = a.id '
            'left join sql_leads s on l."Lead ID" = s.id',
            {
                "acts": str(sample_landing / "ma_activities.csv"),
                "status": str(sample_landing / "crm_lead_status_history.csv"),
                "leads": str(sample_landing / "crm_leads.csv"),
            },
        ).fetchall()[0]
    assert engaged_sql > 1.5 * engaged_rest


def test_nothing_is_dated_after_the_export(sample_landing):
    with duckdb.connect() as con:
        latest = con.execute(
            "select max(strptime(\"Activity Date\", '%Y-%m-%d %H:%M:%S')) "
            "from read_csv($p, all_varchar=true)",
            {"p": str(sample_landing / "ma_activities.csv")},
        ).fetchall()[0][0]
    assert latest.date() <= AS_OF


def test_parquet_output_holds_the_same_rows_as_csv(tmp_path):
    csv_rows = generate(tmp_path / "csv", 120, seed=3, as_of=AS_OF, progress=_quiet)
    parquet_rows = generate(tmp_path / "pq", 120, seed=3, as_of=AS_OF, file_format="parquet", progress=_quiet)
    assert list(csv_rows.values()) == list(parquet_rows.values())
    with duckdb.connect() as con:
        count = con.execute(
            "select count(*) from read_parquet($p)", {"p": str(tmp_path / "pq" / "ma_activities.parquet")}
        )
        assert count.fetchall()[0][0] == csv_rows["ma_activities.csv"]


def test_cli_writes_exports_and_prints_counts(tmp_path, capsys):
    assert (
        main(["generate", "--leads", "50", "--seed", "1", "--out", str(tmp_path), "--as-of", "2026-06-30"])
        == 0
    )
    output = capsys.readouterr().out
    assert "crm_leads.csv" in output and "seed 1" in output
    assert sorted(path.stem for path in tmp_path.iterdir()) == sorted(EXPORTS)


def test_refuses_zero_leads(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        generate(tmp_path, 0, seed=1, as_of=AS_OF)
