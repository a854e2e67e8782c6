"""Monthly marketing spend by channel, as a finance spreadsheet exports it."""

import numpy as np

from sample_exports import vocabulary as vocab
from sample_exports.randomness import stream

COLUMNS = ["Month", "Channel", "Spend (JPY)"]
# Monthly spend per 1,000 leads a month, by channel (referrals and mail magazines cost little).
_BASE_PER_THOUSAND_LEADS = {
    "Webフォーム": 400_000,
    "資料請求": 600_000,
    "ウェビナー": 500_000,
    "展示会": 2_500_000,
    "紹介": 50_000,
    "Web広告": 1_800_000,
    "メルマガ": 80_000,
    "テレアポ": 700_000,
}


def generate_spend(seed: int, leads: int, start: int, end: int, write) -> None:
    rng = stream(seed, "spend")
    first = np.datetime64(int(start), "s").astype("datetime64[M]")
    last = np.datetime64(int(end) - 1, "s").astype("datetime64[M]")
    months = np.arange(first, last + 1)
    leads_per_month = leads / max(len(months), 1)
    rows = {name: [] for name in COLUMNS}
    for month in months:
        for channel, _, _ in vocab.LEAD_SOURCES:
            spend = _BASE_PER_THOUSAND_LEADS[channel] * leads_per_month / 1000 * rng.lognormal(0, 0.25)
            rows["Month"].append(str(month).replace("-", "/"))
            rows["Channel"].append(channel)
            rows["Spend (JPY)"].append(f"{int(round(spend, -3)):,}")
    write(rows)
