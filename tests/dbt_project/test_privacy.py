"""No personal data of leads reaches the marts BI reads; a salted key stands for the person."""

import duckdb

from scoring_udfs import privacy


def test_no_mart_holds_a_leads_email_phone_or_name(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        connection.execute(
            "create temp table personal as select distinct value from (select unnest([email, phone, "
            "last_name || first_name, last_name || ' ' || first_name, first_name, last_name]) as value "
            "from staging.stg_crm__leads) where value is not null and length(value) > 1"
        )
        # Sales reps' names are there on purpose (by-rep views), and common names are shared by leads
        # and reps, so the rep name columns are left out of the comparison.
        columns = connection.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and data_type = 'VARCHAR' "
            "and column_name not in ('owner_name', 'user_name')"
        ).fetchall()
        leaks = []
        for table, column in columns:
            found = connection.execute(
                f'select count(*) from marts."{table}" where "{column}" in (select value from personal)'
            ).fetchall()[0][0]
            if found:
                leaks.append(f"{table}.{column}: {found}")
        emails = connection.execute(
            "select email from staging.stg_crm__leads where email is not null limit 1"
        ).fetchall()
        keys = dict(connection.execute("select lead_id, person_key from marts.dim_leads").fetchall())
        lead_with_email = connection.execute(
            "select lead_id, email from staging.stg_crm__leads where email is not null limit 1"
        ).fetchall()[0]
    assert len(columns) > 50 and emails
    assert not leaks, leaks
    assert keys[lead_with_email[0]] == privacy.person_key(lead_with_email[1])
    assert len(keys[lead_with_email[0]]) == 64 and lead_with_email[1] not in keys[lead_with_email[0]]


def test_the_person_key_depends_on_the_salt(monkeypatch):
    monkeypatch.setenv(privacy.SALT_VARIABLE, "one")
    first = privacy.person_key(" Taro@Example.co.jp ")
    assert first == privacy.person_key("taro@example.co.jp")
    monkeypatch.setenv(privacy.SALT_VARIABLE, "two")
    assert privacy.person_key("taro@example.co.jp") != first
    monkeypatch.delenv(privacy.SALT_VARIABLE)
    try:
        privacy.person_key("taro@example.co.jp")
    except privacy.MissingSaltError as error:
        assert "LEAD_WAREHOUSE_PII_SALT" in str(error)
    else:
        raise AssertionError("hashing without a salt must fail")
