"""The CRM's sales users and lead exports, and the hidden fit and intent behind each lead."""

from dataclasses import dataclass

import numpy as np
from faker.providers.person.ja_JP import Provider as JapanesePersonNames

from sample_exports import vocabulary as vocab
from sample_exports.accounts import CRM_TIMESTAMP, AccountTraits
from sample_exports.randomness import SECONDS_PER_DAY, format_timestamps, stream, weighted_choice

USER_COLUMNS = ["User ID", "Full Name", "Email", "Team", "Active"]
LEAD_COLUMNS = [
    "Lead ID",
    "Account ID",
    "Last Name",
    "First Name",
    "Email",
    "Phone",
    "Title",
    "Department",
    "Lead Source",
    "Interested Product",
    "Do Not Contact",
    "Lead Owner ID",
    "Created Date",
    "Last Modified Date",
]
_LAST_NAMES = list(JapanesePersonNames.last_name_pairs.keys())
_LAST_NAME_WEIGHTS = list(JapanesePersonNames.last_name_pairs.values())
_FIRST_NAMES = list(JapanesePersonNames.first_name_male_pairs) + list(
    JapanesePersonNames.first_name_female_pairs
)
_PRODUCTS = ("リードスコアリング", "MA連携", "営業分析", "")
_PHONE_STYLES = ("{a}-{b}-{c}", "{a}{b}{c}", "({a}){b}-{c}")


@dataclass
class SalesUsers:
    count: int
    response_speed: np.ndarray  # hidden: multiplies each rep's time to first contact


@dataclass
class LeadChunk:
    """Hidden traits of one chunk of leads; index i is lead number ``first + i``."""

    first: int
    created: np.ndarray
    fit: np.ndarray
    intent: np.ndarray
    is_free_mail: np.ndarray
    account: np.ndarray
    owner: np.ndarray
    do_not_contact: np.ndarray

    @property
    def size(self) -> int:
        return self.created.size

    def lead_ids(self, rows: np.ndarray | None = None) -> list[str]:
        numbers = np.arange(self.size) if rows is None else rows
        return [f"L{self.first + n + 1:08d}" for n in numbers]


def user_id(index: int) -> str:
    return f"U{index + 1:04d}"


def _person_names(rng: np.random.Generator, size: int) -> tuple[list, list]:
    last = weighted_choice(rng, _LAST_NAME_WEIGHTS, size)
    first = rng.integers(0, len(_FIRST_NAMES), size)
    return [_LAST_NAMES[i] for i in last], [_FIRST_NAMES[i] for i in first]


def generate_users(seed: int, leads: int, write) -> SalesUsers:
    rng = stream(seed, "users")
    count = int(np.clip(leads // 700, 6, 60))
    last, first = _person_names(rng, count)
    write(
        {
            "User ID": [user_id(i) for i in range(count)],
            "Full Name": [f"{ln[0]} {fn[0]}" for ln, fn in zip(last, first, strict=True)],
            "Email": [
                f"{fn[2].lower()}.{ln[2].lower()}@example-vendor.co.jp"
                for ln, fn in zip(last, first, strict=True)
            ],
            "Team": ["インサイドセールス" if i % 3 else "フィールドセールス" for i in range(count)],
            "Active": ["true"] * count,
        }
    )
    return SalesUsers(count=count, response_speed=rng.lognormal(0.0, 0.6, count))


def generate_leads(
    seed: int,
    chunk: int,
    first: int,
    size: int,
    start: int,
    end: int,
    accounts: AccountTraits,
    users: SalesUsers,
    write,
) -> LeadChunk:
    rng = stream(seed, "leads", chunk)
    # Lead volume grows over the window (marketing ramps up): later dates are more likely.
    created = start + ((end - start - SECONDS_PER_DAY) * rng.random(size) ** 0.8).astype(np.int64)
    created = created // 3600 * 3600 + rng.integers(0, 3600, size)
    # A few large accounts hold many leads; most hold one or two.
    account = np.minimum((accounts.fit.size * rng.random(size) ** 1.6).astype(int), accounts.fit.size - 1)
    title = weighted_choice(rng, [w for _, w, _ in vocab.JOB_TITLES], size)
    department = weighted_choice(rng, [w for _, w in vocab.DEPARTMENTS], size)
    source = weighted_choice(rng, [w for _, w, _ in vocab.LEAD_SOURCES], size)
    free_mail = rng.random(size) < 0.14
    do_not_contact = rng.random(size) < 0.015
    owner = rng.integers(0, users.count, size)
    last, first_names = _person_names(rng, size)
    free_domain = rng.integers(0, len(vocab.FREE_MAIL_DOMAINS), size)
    phone_style = rng.integers(0, len(_PHONE_STYLES), size)
    phone_digits = rng.integers(1000, 9999, (size, 2))
    product = rng.integers(0, len(_PRODUCTS), size)

    emails, phones = [], []
    for i in range(size):
        local = f"{first_names[i][2]}.{last[i][2]}".lower()
        if free_mail[i]:
            emails.append(f"{local}{i % 97}@{vocab.FREE_MAIL_DOMAINS[free_domain[i]]}")
        else:
            emails.append(f"{local}@{accounts.domain[account[i]]}")
        area = "03" if i % 3 else "06"
        phone = _PHONE_STYLES[phone_style[i]].format(a=area, b=phone_digits[i, 0], c=phone_digits[i, 1])
        phones.append(
            phone if i % 11 else phone.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
        )

    lead = LeadChunk(
        first=first,
        created=created,
        fit=accounts.fit[account]
        + np.array([f for _, _, f in vocab.JOB_TITLES])[title]
        - 0.6 * free_mail
        + rng.normal(0, 0.4, size),
        intent=rng.normal(0, 1, size) + np.array([t for _, _, t in vocab.LEAD_SOURCES])[source],
        is_free_mail=free_mail,
        account=account,
        owner=owner,
        do_not_contact=do_not_contact,
    )
    lead.intent += 0.25 * lead.fit
    modified = np.minimum(created + rng.integers(0, 90 * SECONDS_PER_DAY, size), end - 1)
    columns = {
        "Lead ID": lead.lead_ids(),
        "Account ID": [f"A{a + 1:07d}" for a in account],
        "Last Name": [n[0] for n in last],
        "First Name": [n[0] for n in first_names],
        "Email": emails,
        "Phone": phones,
        "Title": [vocab.JOB_TITLES[t][0] for t in title],
        "Department": [vocab.DEPARTMENTS[d][0] for d in department],
        "Lead Source": [vocab.LEAD_SOURCES[s][0] for s in source],
        "Interested Product": [_PRODUCTS[p] for p in product],
        "Do Not Contact": ["TRUE" if d else "FALSE" for d in do_not_contact],
        "Lead Owner ID": [user_id(o) for o in owner],
        "Created Date": format_timestamps(created, CRM_TIMESTAMP),
        "Last Modified Date": format_timestamps(modified, CRM_TIMESTAMP),
    }
    write(columns)
    # CRMs export a lead twice when it changed during the export window: an older copy with an
    # earlier modification date and the title before the change. Staging keeps the newest.
    stale = np.flatnonzero(rng.random(size) < 0.005)
    if stale.size:
        stale_copy = {name: [values[i] for i in stale] for name, values in columns.items()}
        stale_copy["Title"] = ["担当"] * stale.size
        stale_copy["Last Modified Date"] = format_timestamps(created[stale], CRM_TIMESTAMP)
        write(stale_copy)
    return lead
