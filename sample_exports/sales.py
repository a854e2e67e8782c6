"""What happens after marketing hands a lead over: status history, sales activities, BANT, opportunities.

Every step is drawn from a hidden propensity (fit, intent, engagement, BANT, noise). None of it uses
our scoring rules, so the warehouse's scores predict these outcomes only as well as they deserve to.
"""

import numpy as np

from sample_exports import vocabulary as vocab
from sample_exports.accounts import CRM_TIMESTAMP
from sample_exports.leads import LeadChunk, SalesUsers, user_id
from sample_exports.randomness import (
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    format_timestamps,
    sigmoid,
    stream,
    to_business_time,
    weighted_choice,
)

STATUS_COLUMNS = ["Lead ID", "Status", "Changed Date", "Changed By", "Reason"]
SALES_ACTIVITY_COLUMNS = ["Task ID", "Lead ID", "Type", "Subject", "Assigned To", "Activity Date Time"]
BANT_COLUMNS = [
    "Assessment ID",
    "Lead ID",
    "Assessed Date",
    "Assessed By",
    "Budget",
    "Budget Amount",
    "Authority",
    "Need",
    "Need Note",
    "Timeline",
]
OPPORTUNITY_COLUMNS = [
    "Opportunity ID",
    "Lead ID",
    "Account ID",
    "Opportunity Name",
    "Stage",
    "Amount",
    "Created Date",
    "Close Date",
    "Lost Reason",
    "Opportunity Owner ID",
]
_DAY = SECONDS_PER_DAY


class _Rows:
    """Column lists collected step by step, then written as one table."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = {name: [] for name in columns}

    def add(self, **values) -> None:
        lengths = {len(v) for v in values.values() if isinstance(v, list)}
        size = lengths.pop() if lengths else 1
        for name, column in self.columns.items():
            value = values.get(name, "")
            column.extend(value if isinstance(value, list) else [value] * size)


def _levels(rng, score: np.ndarray, choices: tuple) -> list:
    """Ordered levels (best first) drawn so that a higher score tends to a better level."""
    noisy = score + rng.normal(0, 0.9, score.size)
    cut = np.digitize(noisy, [0.8, -0.3, -1.2][: len(choices) - 1])
    return [choices[c] for c in cut]


def simulate_sales(
    seed: int, chunk: int, leads: LeadChunk, users: SalesUsers, engagement: dict, end: int, writers: dict
) -> None:
    rng = stream(seed, "sales", chunk)
    ids = np.array(leads.lead_ids())
    owners = np.array([user_id(o) for o in leads.owner])
    status, tasks, bant, opportunities = (
        _Rows(STATUS_COLUMNS),
        _Rows(SALES_ACTIVITY_COLUMNS),
        _Rows(BANT_COLUMNS),
        _Rows(OPPORTUNITY_COLUMNS),
    )
    status.add(
        **{
            "Lead ID": list(ids),
            "Status": "New",
            "Changed Date": format_timestamps(leads.created, CRM_TIMESTAMP),
            "Changed By": "system",
        }
    )

    engaged = np.log1p(engagement["activity_count"]) + 0.5 * np.minimum(engagement["pricing_views"], 3)
    handed = rng.random(leads.size) < sigmoid(
        -3.6 + 1.1 * engaged + 0.5 * leads.fit + rng.normal(0, 0.5, leads.size)
    )
    handed &= ~leads.do_not_contact
    mql_at = leads.created + (rng.exponential(18, leads.size) * _DAY).astype(np.int64)
    mql = np.flatnonzero(handed & (mql_at < end))
    status.add(
        **{
            "Lead ID": list(ids[mql]),
            "Status": "MQL",
            "Changed Date": format_timestamps(mql_at[mql], CRM_TIMESTAMP),
            "Changed By": "MA連携",
        }
    )

    # First contact: each rep has a typical speed; replies wait for office hours. Some leads are never called.
    delay = (
        rng.lognormal(np.log(6), 1.1, mql.size) * users.response_speed[leads.owner[mql]] * SECONDS_PER_HOUR
    )
    contact_at = to_business_time(mql_at[mql] + delay.astype(np.int64), rng)
    contacted = (rng.random(mql.size) > 0.07) & (contact_at < end)
    called, called_at = mql[contacted], contact_at[contacted]
    task_type = weighted_choice(rng, [w for _, w in vocab.SALES_ACTIVITY_TYPES[:2]], called.size)
    task_names = [vocab.SALES_ACTIVITY_TYPES[t][0] for t in task_type]
    tasks.add(
        **{
            "Lead ID": list(ids[called]),
            "Type": task_names,
            "Subject": [vocab.SALES_SUBJECTS[t] for t in task_names],
            "Assigned To": list(owners[called]),
            "Activity Date Time": format_timestamps(called_at, CRM_TIMESTAMP),
        }
    )

    propensity = 0.9 * leads.fit[called] + 0.7 * leads.intent[called] + rng.normal(0, 0.8, called.size)
    accepted = rng.random(called.size) < sigmoid(-0.3 + propensity)
    sal_at = called_at + rng.integers(1, 72, called.size) * SECONDS_PER_HOUR
    sal = accepted & (sal_at < end)
    rejected = ~accepted & (sal_at < end)
    status.add(
        **{
            "Lead ID": list(ids[called[sal]]),
            "Status": "SAL",
            "Changed Date": format_timestamps(sal_at[sal], CRM_TIMESTAMP),
            "Changed By": list(owners[called[sal]]),
        }
    )
    reason = weighted_choice(rng, [w for _, w in vocab.DISQUALIFY_REASONS], int(rejected.sum()))
    status.add(
        **{
            "Lead ID": list(ids[called[rejected]]),
            "Status": "Disqualified",
            "Changed Date": format_timestamps(sal_at[rejected], CRM_TIMESTAMP),
            "Changed By": list(owners[called[rejected]]),
            "Reason": [vocab.DISQUALIFY_REASONS[r][0] for r in reason],
        }
    )

    # Follow-up activities on accepted leads.
    followups = rng.integers(1, 6, int(sal.sum()))
    follow_rows = np.repeat(np.flatnonzero(sal), followups)
    follow_at = sal_at[follow_rows] + (rng.exponential(12, follow_rows.size) * _DAY).astype(np.int64)
    follow_at = to_business_time(follow_at, rng)
    keep = follow_at < end
    follow_type = weighted_choice(rng, [w for _, w in vocab.SALES_ACTIVITY_TYPES], int(keep.sum()))
    follow_names = [vocab.SALES_ACTIVITY_TYPES[t][0] for t in follow_type]
    tasks.add(
        **{
            "Lead ID": list(ids[called[follow_rows[keep]]]),
            "Type": follow_names,
            "Subject": [vocab.SALES_SUBJECTS[t] for t in follow_names],
            "Assigned To": list(owners[called[follow_rows[keep]]]),
            "Activity Date Time": format_timestamps(follow_at[keep], CRM_TIMESTAMP),
        }
    )

    # BANT is assessed by sales after acceptance; a fifth of leads are re-assessed later.
    assessed = np.flatnonzero(sal)
    assessed_at = sal_at[assessed] + rng.integers(1, 10, assessed.size) * _DAY
    in_window = assessed_at < end
    assessed, assessed_at = assessed[in_window], assessed_at[in_window]
    score = propensity[assessed]
    budget = _levels(rng, score, vocab.BUDGET_LEVELS)
    amounts = [
        f"{int(a):,}" if b == "高" else ""
        for a, b in zip(np.round(rng.lognormal(np.log(6e6), 0.8, assessed.size), -5), budget, strict=True)
    ]
    bant.add(
        **{
            "Assessment ID": [f"B{chunk:04d}{n:07d}" for n in range(assessed.size)],
            "Lead ID": list(ids[called[assessed]]),
            "Assessed Date": format_timestamps(assessed_at, CRM_TIMESTAMP),
            "Assessed By": list(owners[called[assessed]]),
            "Budget": budget,
            "Budget Amount": amounts,
            "Authority": _levels(rng, score, vocab.AUTHORITY_ROLES),
            "Need": _levels(rng, score, vocab.NEED_LEVELS),
            "Need Note": [vocab.NEED_NOTES[i] for i in rng.integers(0, len(vocab.NEED_NOTES), assessed.size)],
            "Timeline": _levels(rng, score - 0.3, vocab.TIMELINES),
        }
    )
    again = np.flatnonzero(rng.random(assessed.size) < 0.2)
    again_at = assessed_at[again] + rng.integers(14, 60, again.size) * _DAY
    again, again_at = again[again_at < end], again_at[again_at < end]
    better = score[again] + 0.5
    bant.add(
        **{
            "Assessment ID": [f"B{chunk:04d}{assessed.size + n:07d}" for n in range(again.size)],
            "Lead ID": list(ids[called[assessed[again]]]),
            "Assessed Date": format_timestamps(again_at, CRM_TIMESTAMP),
            "Assessed By": list(owners[called[assessed[again]]]),
            "Budget": _levels(rng, better, vocab.BUDGET_LEVELS),
            "Authority": _levels(rng, better, vocab.AUTHORITY_ROLES),
            "Need": _levels(rng, better, vocab.NEED_LEVELS),
            "Timeline": _levels(rng, better, vocab.TIMELINES),
        }
    )

    # SQL when BANT confirms; the rest is recycled to nurturing.
    budget_good = np.isin(np.array(budget), ["高", "中"])
    qualified = rng.random(assessed.size) < sigmoid(-2.0 + 1.1 * score + 0.8 * budget_good)
    sql_at = assessed_at + rng.integers(1, 14, assessed.size) * _DAY
    sql = qualified & (sql_at < end)
    recycle = ~qualified & (sql_at < end)
    sql_rows = called[assessed[sql]]
    status.add(
        **{
            "Lead ID": list(ids[sql_rows]),
            "Status": "SQL",
            "Changed Date": format_timestamps(sql_at[sql], CRM_TIMESTAMP),
            "Changed By": list(owners[sql_rows]),
        }
    )
    recycle_rows = called[assessed[recycle]]
    reason = weighted_choice(rng, [w for _, w in vocab.RECYCLE_REASONS], recycle_rows.size)
    status.add(
        **{
            "Lead ID": list(ids[recycle_rows]),
            "Status": "Recycled",
            "Changed Date": format_timestamps(sql_at[recycle], CRM_TIMESTAMP),
            "Changed By": list(owners[recycle_rows]),
            "Reason": [vocab.RECYCLE_REASONS[r][0] for r in reason],
        }
    )
    # A third of recycled leads come back: marketing hands them over again months later.
    back_at = sql_at[recycle] + rng.integers(30, 150, recycle_rows.size) * _DAY
    back = (rng.random(recycle_rows.size) < 0.35) & (back_at < end)
    status.add(
        **{
            "Lead ID": list(ids[recycle_rows[back]]),
            "Status": "MQL",
            "Changed Date": format_timestamps(back_at[back], CRM_TIMESTAMP),
            "Changed By": "MA連携",
        }
    )

    # Opportunities: won or lost after 3 weeks to 4 months; open if not yet closed.
    opp_score = score[sql]
    amount = np.round(rng.lognormal(np.log(4e6), 0.7, sql_rows.size), -4).astype(np.int64)
    closes_at = sql_at[sql] + rng.integers(21, 120, sql_rows.size) * _DAY
    won = rng.random(sql_rows.size) < sigmoid(-3.4 + 1.2 * opp_score)
    closed = closes_at < end
    open_stage = rng.integers(0, len(vocab.OPEN_OPPORTUNITY_STAGES), sql_rows.size)
    stages = [
        ("Closed Won" if w else "Closed Lost") if c else vocab.OPEN_OPPORTUNITY_STAGES[s]
        for w, c, s in zip(won, closed, open_stage, strict=True)
    ]
    lost_reason = weighted_choice(rng, [w for _, w in vocab.LOST_REASONS], sql_rows.size)
    opportunities.add(
        **{
            "Opportunity ID": [f"O{chunk:04d}{n:07d}" for n in range(sql_rows.size)],
            "Lead ID": list(ids[sql_rows]),
            "Account ID": [f"A{a + 1:07d}" for a in leads.account[sql_rows]],
            "Opportunity Name": [f"{i} リードスコアリング導入" for i in ids[sql_rows]],
            "Stage": stages,
            "Amount": [str(a) for a in amount],
            "Created Date": format_timestamps(sql_at[sql], CRM_TIMESTAMP),
            "Close Date": format_timestamps(np.where(closed, closes_at, -1), "%Y/%m/%d"),
            "Lost Reason": [
                vocab.LOST_REASONS[r][0] if s == "Closed Lost" else ""
                for r, s in zip(lost_reason, stages, strict=True)
            ],
            "Opportunity Owner ID": list(owners[sql_rows]),
        }
    )

    tasks.columns["Task ID"] = [f"T{chunk:04d}{n:07d}" for n in range(len(tasks.columns["Lead ID"]))]
    for name, rows in (
        ("status", status),
        ("tasks", tasks),
        ("bant", bant),
        ("opportunities", opportunities),
    ):
        writers[name](rows.columns)
