"""The alerts of the published warehouse and the message each one becomes.

The message is the template alerting/templates/alert_ja.txt (its first line is the subject, the rest
after the --- line the body; edit it to change the wording). A value the warehouse does not know is
written 不明 (unknown), never left blank.
"""

from pathlib import Path

import duckdb

TEMPLATE = Path(__file__).resolve().parent / "templates" / "alert_ja.txt"
UNKNOWN = "不明"

NEW_ALERTS = """
select
    alerts.lead_id,
    cast(alerts.scored_as_of as varchar) as scored_as_of,
    alerts.owner_user_id,
    alerts.owner_name,
    reps.team,
    alerts.alert_label_ja,
    alerts.total_score,
    alerts.score_change,
    alerts.score_band,
    scores.score_band_label_ja,
    alerts.buying_stage_label_ja,
    alerts.recommended_action_ja,
    alerts.top_reasons,
    leads.account_name
from marts.mart_handoff_alerts as alerts
left join marts.dim_sales_reps as reps on alerts.owner_user_id = reps.user_id
left join marts.dim_leads as leads on alerts.lead_id = leads.lead_id
left join marts.fct_lead_scores as scores on alerts.lead_id = scores.lead_id
order by alerts.total_score desc, alerts.lead_id
"""
# The first-contact target in force (seed sla_targets): the SLA clock starts at the CRM handoff.
SLA_TARGET = """
select label_ja from seeds.sla_targets
where metric = 'first_contact_hours' and valid_to is null
order by valid_from desc nulls last limit 1
"""


def alert_id(alert: dict) -> str:
    """One alert per lead and scored day: a second refresh of the same day finds the same alert."""
    return f"{alert['lead_id']}@{alert['scored_as_of']}"


def read_alerts(warehouse: Path) -> tuple[list[dict], str]:
    """The alerts of the published warehouse's latest refresh, and the first-contact target's label."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        result = connection.execute(NEW_ALERTS)
        columns = [column[0] for column in result.description]
        alerts = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
        target = connection.execute(SLA_TARGET).fetchall()
    return alerts, (target[0][0] if target else UNKNOWN)


def render(alert: dict, sla_target: str, template: Path = TEMPLATE) -> tuple[str, str]:
    """(subject, body) of one alert."""
    change = alert.get("score_change")

    def known(value) -> str:
        return UNKNOWN if value is None or value == "" else str(value)

    fields = {
        "lead_id": alert["lead_id"],
        "account_name": known(alert.get("account_name")),
        "owner_name": known(alert.get("owner_name")),
        "alert_label_ja": known(alert.get("alert_label_ja")),
        "total_score": f"{alert['total_score']:.1f}",
        "score_band_label": known(alert.get("score_band_label_ja")),
        "score_change": "" if change is None else f"（前回から {change:+.1f}）",
        "buying_stage": known(alert.get("buying_stage_label_ja")),
        "top_reasons": known(alert.get("top_reasons")),
        "recommended_action": known(alert.get("recommended_action_ja")),
        "sla_target": sla_target,
        "scored_as_of": alert["scored_as_of"],
    }
    subject, _, body = template.read_text(encoding="utf-8").format(**fields).partition("\n---\n")
    return subject.strip(), body.strip() + "\n"
