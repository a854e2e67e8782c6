"""The MA tool's activity log (web, downloads, forms, webinars) and email event export."""

import numpy as np

from sample_exports import vocabulary as vocab
from sample_exports.leads import LeadChunk
from sample_exports.randomness import (
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    format_timestamps,
    sigmoid,
    stream,
)

ACTIVITY_COLUMNS = [
    "Activity ID",
    "Lead ID",
    "Activity Type",
    "Activity Date",
    "Web Page URL",
    "Session ID",
    "Dwell Time (sec)",
    "Asset Name",
    "Asset Type",
    "Webinar Name",
]
EMAIL_COLUMNS = [
    "Event ID",
    "Lead ID",
    "Campaign ID",
    "Campaign Name",
    "Event Type",
    "Bounce Type",
    "Event Date",
]
MA_TIMESTAMP = "%Y-%m-%d %H:%M:%S"
_SITE = "https://www.example-vendor.co.jp"
# Activity kinds: (type as the MA writes it, weight, tilt by intent)
_KINDS = (
    ("Visit Web Page", 90, 0.0),
    ("Download", 4, 0.4),
    ("Fill Out Form", 1.2, 0.8),
    ("Register for Webinar", 3, 0.3),
)


def _tilted_choice(rng, base_weights, tilts, intent: np.ndarray) -> np.ndarray:
    """Per-row choice whose weights lean towards high-tilt options as intent rises (inverse CDF)."""
    weights = np.asarray(base_weights, float)[None, :] * np.exp(np.outer(intent, tilts))
    cumulative = np.cumsum(weights, axis=1)
    draws = rng.random(intent.size) * cumulative[:, -1]
    return (cumulative < draws[:, None]).sum(axis=1)


def generate_activities(seed: int, chunk: int, leads: LeadChunk, end: int, scale: float, write) -> dict:
    """Write the chunk's activities; return per-lead engagement the sales simulation reacts to."""
    rng = stream(seed, "activities", chunk)
    # Heavy tail: most leads do almost nothing, a few do dozens of things (negative binomial).
    mean = scale * np.exp(0.8 + 1.0 * leads.intent)
    counts = np.minimum(rng.negative_binomial(0.6, 0.6 / (0.6 + mean)), int(300 * scale) + 1)
    lead_row = np.repeat(np.arange(leads.size), counts)
    total = lead_row.size
    intent = leads.intent[lead_row]
    # Some visits happen before the form fill (anonymous cookie merged into the lead): up to 14 days.
    earliest = leads.created[lead_row] - np.where(rng.random(total) < 0.06, 14 * SECONDS_PER_DAY, 0)
    sessions = np.maximum(1, np.round(counts / 2.5)).astype(int)[lead_row]
    session = (rng.random(total) * sessions).astype(int)
    # A session's start is drawn from (lead, session) alone so its pages share one visit time.
    session_key = lead_row.astype(np.int64) * 1000 + session
    _, session_index = np.unique(session_key, return_inverse=True)
    session_draw = stream(seed, "sessions", chunk).random(session_index.max() + 1 if total else 0)
    # Buyers research in a burst after they first show up (about six weeks); a fifth of sessions are
    # later nurture visits spread over the rest of the history.
    session_days = stream(seed, "session-days", chunk).exponential(42.0, session_draw.size)
    in_burst = session_draw < 0.8
    span = np.maximum(end - earliest, SECONDS_PER_HOUR)
    offset = np.where(
        in_burst[session_index],
        (session_days[session_index] * SECONDS_PER_DAY).astype(np.int64),
        (span * (session_draw[session_index] - 0.8) / 0.2).astype(np.int64),
    )
    at = earliest + offset + rng.integers(0, 1800, total)
    # Visits planned after the export time have not happened yet: they are not exported.
    happened = np.flatnonzero(at < end)

    kind = _tilted_choice(rng, [w for _, w, _ in _KINDS], [t for _, _, t in _KINDS], intent)
    page = _tilted_choice(rng, [w for _, w, _ in vocab.PAGES], [t for _, _, t in vocab.PAGES], intent)
    download = _tilted_choice(
        rng, [w for *_, w, _ in vocab.DOWNLOADS], [t for *_, t in vocab.DOWNLOADS], intent
    )
    form = rng.integers(0, len(vocab.FORMS), total)
    webinar = rng.integers(0, len(vocab.WEBINARS), total)
    dwell = np.round(rng.lognormal(3.6 + 0.3 * intent, 1.0)).astype(int)
    page_number = rng.integers(1, 40, total)

    urls, asset_names, asset_types, webinars, kinds = [], [], [], [], []
    for i in range(total):
        name = _KINDS[kind[i]][0]
        kinds.append(name)
        if name == "Visit Web Page":
            path = vocab.PAGES[page[i]][0].format(n=page_number[i])
        elif name == "Fill Out Form":
            path = vocab.FORMS[form[i]][0]
        else:
            path = ""
        urls.append(_SITE + path if path else "")
        asset_names.append(vocab.DOWNLOADS[download[i]][0] if name == "Download" else "")
        asset_types.append(vocab.DOWNLOADS[download[i]][1] if name == "Download" else "")
        webinars.append(vocab.WEBINARS[webinar[i]] if name == "Register for Webinar" else "")

    # Attendance follows registration a few days later, more often for engaged leads.
    registered = happened[kind[happened] == 3]
    attended = registered[rng.random(registered.size) < sigmoid(0.2 + 0.8 * intent[registered])]
    attended_at = at[attended] + rng.integers(2, 10, attended.size) * SECONDS_PER_DAY
    attended = attended[attended_at < end]
    attended_at = attended_at[attended_at < end]

    rows = np.concatenate([happened, attended])
    is_attendance = np.arange(rows.size) >= happened.size
    all_at = np.concatenate([at[happened], attended_at])
    columns = {
        "Activity ID": [f"ACT{chunk:04d}{n:08d}" for n in range(rows.size)],
        "Lead ID": leads.lead_ids(lead_row[rows]),
        "Activity Type": [kinds[r] for r in happened] + ["Attend Webinar"] * attended.size,
        "Activity Date": format_timestamps(all_at, MA_TIMESTAMP),
        "Web Page URL": [urls[r] for r in happened] + [""] * attended.size,
        "Session ID": [
            f"s{chunk:04d}-{session_index[r]:08d}" if not late and kinds[r] == "Visit Web Page" else ""
            for r, late in zip(rows, is_attendance, strict=True)
        ],
        "Dwell Time (sec)": [
            str(dwell[r]) if not late and kinds[r] == "Visit Web Page" else ""
            for r, late in zip(rows, is_attendance, strict=True)
        ],
        "Asset Name": [asset_names[r] for r in happened] + [""] * attended.size,
        "Asset Type": [asset_types[r] for r in happened] + [""] * attended.size,
        "Webinar Name": [webinars[r] for r in happened] + [webinars[r] for r in attended],
    }
    write(columns)
    # MA exports overlap at page boundaries: a small share of rows is exported twice, identically.
    repeated = np.flatnonzero(rng.random(rows.size) < 0.002)
    if repeated.size:
        write({name: [values[i] for i in repeated] for name, values in columns.items()})

    pricing = np.zeros(leads.size, int)
    is_pricing = np.array([urls[r].endswith("/pricing") for r in happened], dtype=bool)
    np.add.at(pricing, lead_row[happened[is_pricing]], 1)
    return {"activity_count": np.bincount(lead_row[happened], minlength=leads.size), "pricing_views": pricing}


def campaign_calendar(start: int, end: int) -> list[tuple[str, str, int]]:
    """Two campaigns a month from the first lead on: (campaign id, name, send time)."""
    calendar = []
    month_start = np.datetime64(int(start), "s").astype("datetime64[M]")
    month = month_start
    while True:
        for slot, day in enumerate((5, 20)):
            send = int((month.astype("datetime64[D]") + day).astype("datetime64[s]").astype(np.int64))
            send += 10 * SECONDS_PER_HOUR
            if send >= end:
                return calendar
            index = (month - month_start).astype(int) * 2 + slot
            name = vocab.EMAIL_CAMPAIGNS[index % len(vocab.EMAIL_CAMPAIGNS)]
            calendar.append((f"CMP-{str(month).replace('-', '')}-{slot + 1}", name, send))
        month = month + 1


def generate_email_events(seed: int, chunk: int, leads: LeadChunk, start: int, end: int, write) -> None:
    rng = stream(seed, "email", chunk)
    reachable = ~leads.do_not_contact
    lead_rows, campaign_ids, campaign_names, event_types, bounce_types, times = [], [], [], [], [], []

    def emit(rows, campaign, name, event, at, bounce=""):
        keep = at < end
        lead_rows.append(rows[keep])
        campaign_ids.extend([campaign] * int(keep.sum()))
        campaign_names.extend([name] * int(keep.sum()))
        event_types.extend([event] * int(keep.sum()))
        bounce_types.extend([bounce] * int(keep.sum()))
        times.append(at[keep])

    for campaign, name, send_at in campaign_calendar(start, end):
        audience = np.flatnonzero(reachable & (leads.created < send_at) & (rng.random(leads.size) < 0.7))
        if audience.size == 0:
            continue
        sent_at = send_at + rng.integers(0, 600, audience.size)
        emit(audience, campaign, name, "sent", sent_at)
        draw = rng.random(audience.size)
        hard = draw < np.where(leads.is_free_mail[audience], 0.02, 0.006)
        soft = ~hard & (draw < 0.02)
        emit(audience[hard], campaign, name, "bounce", sent_at[hard] + 60, "hard")
        emit(audience[soft], campaign, name, "bounce", sent_at[soft] + 60, "soft")
        reachable[audience[hard]] = False
        delivered = audience[~hard & ~soft]
        delivered_at = sent_at[~hard & ~soft] + 30
        emit(delivered, campaign, name, "delivered", delivered_at)
        intent = leads.intent[delivered]
        opened = rng.random(delivered.size) < sigmoid(-0.9 + 0.7 * intent)
        opened_at = delivered_at[opened] + (rng.exponential(20, opened.sum()) * SECONDS_PER_HOUR).astype(
            np.int64
        )
        emit(delivered[opened], campaign, name, "open", opened_at)
        clicked = rng.random(opened.sum()) < sigmoid(-1.4 + 0.8 * intent[opened])
        emit(
            delivered[opened][clicked],
            campaign,
            name,
            "click",
            opened_at[clicked] + rng.integers(5, 300, clicked.sum()),
        )
        unsubscribed = rng.random(delivered.size) < sigmoid(-5.5 - 0.6 * intent)
        emit(delivered[unsubscribed], campaign, name, "unsubscribe", delivered_at[unsubscribed] + 7200)
        reachable[delivered[unsubscribed]] = False

    rows = np.concatenate(lead_rows) if lead_rows else np.array([], int)
    at = np.concatenate(times) if times else np.array([], np.int64)
    write(
        {
            "Event ID": [f"EML{chunk:04d}{n:08d}" for n in range(rows.size)],
            "Lead ID": leads.lead_ids(rows),
            "Campaign ID": campaign_ids,
            "Campaign Name": campaign_names,
            "Event Type": event_types,
            "Bounce Type": bounce_types,
            "Event Date": format_timestamps(at, MA_TIMESTAMP),
        }
    )
