"""The CRM's account (company) export, with the inconsistent spellings real CRMs accumulate."""

from dataclasses import dataclass

import numpy as np
from faker.providers.person.ja_JP import Provider as JapanesePersonNames

from sample_exports import vocabulary as vocab
from sample_exports.randomness import format_timestamps, stream, weighted_choice

COLUMNS = [
    "Account ID",
    "Account Name",
    "Industry",
    "Employees",
    "Annual Revenue",
    "Prefecture",
    "Website",
    "Last Modified Date",
]
CRM_TIMESTAMP = "%Y/%m/%d %H:%M"
_LEGAL_FORM_STYLES = (
    ("株式会社{}", 40),
    ("{}株式会社", 20),
    ("(株){}", 12),
    ("㈱{}", 8),
    ("{}(株)", 6),
    ("（株）{}", 6),
    ("有限会社{}", 4),
    ("合同会社{}", 4),
)
_LAST_NAMES = list(JapanesePersonNames.last_name_pairs.keys())
_LAST_NAME_WEIGHTS = list(JapanesePersonNames.last_name_pairs.values())
_DOMAIN_WORDS = ("tech", "corp", "sys", "kogyo", "shoji", "net", "group", "works")


@dataclass
class AccountTraits:
    """What lead generation needs to know of each account (index = account number)."""

    fit: np.ndarray
    domain: np.ndarray


def _full_width(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


def _employees_text(employees: int, style: int) -> str:
    return (f"{employees}", f"{employees:,}名", f"約{employees}人", "")[style]


def _revenue_text(revenue: int, style: int) -> str:
    if style == 1:
        oku, man = divmod(revenue // 10_000, 10_000)
        if oku and man:
            return f"{oku}億{man:,}万円"
        return f"{oku}億円" if oku else f"{man:,}万円"
    return (f"{revenue}", "", f"¥{revenue:,}", "", "非公開")[style]


def generate_accounts(seed: int, count: int, start: int, end: int, write) -> AccountTraits:
    """Write ``count`` accounts through ``write(columns)`` and return their hidden traits."""
    rng = stream(seed, "accounts")
    industry = weighted_choice(rng, [w for _, w, _ in vocab.INDUSTRIES], count)
    prefecture = weighted_choice(rng, [w for _, w, _ in vocab.PREFECTURES], count)
    employees = np.clip(np.round(rng.lognormal(np.log(120), 1.4, count)), 3, 80_000).astype(int)
    # Revenue per head ~20M JPY with spread; rounded to 10,000 JPY as CRMs hold it.
    revenue = (employees * rng.lognormal(np.log(2.0e7), 0.5, count) // 10_000 * 10_000).astype(np.int64)
    family = weighted_choice(rng, _LAST_NAME_WEIGHTS, count)
    word = rng.integers(0, len(vocab.COMPANY_WORDS), count)
    ascii_word = rng.integers(0, len(vocab.ASCII_COMPANY_WORDS), count)
    uses_ascii = rng.random(count) < 0.15
    full_width = rng.random(count) < 0.3
    legal_form = weighted_choice(rng, [w for _, w in _LEGAL_FORM_STYLES], count)
    employees_style = weighted_choice(rng, [70, 15, 10, 5], count)
    revenue_style = weighted_choice(rng, [40, 35, 10, 10, 5], count)
    spelling = weighted_choice(rng, [70, 20, 10], count)
    variant = rng.random(count) < 0.08
    modified = rng.integers(start, end, count)

    names, industries, domains = [], [], []
    for i in range(count):
        if uses_ascii[i]:
            stem = vocab.ASCII_COMPANY_WORDS[ascii_word[i]]
            stem = _full_width(stem) if full_width[i] else stem
            romanised = vocab.ASCII_COMPANY_WORDS[ascii_word[i]].lower().replace("-", "")
        else:
            stem = _LAST_NAMES[family[i]][0]
            romanised = _LAST_NAMES[family[i]][2].lower()
        names.append(_LEGAL_FORM_STYLES[legal_form[i]][0].format(stem + vocab.COMPANY_WORDS[word[i]]))
        label = vocab.INDUSTRIES[industry[i]][0]
        if variant[i] and label in vocab.INDUSTRY_VARIANTS:
            label = vocab.INDUSTRY_VARIANTS[label][i % len(vocab.INDUSTRY_VARIANTS[label])]
        industries.append(label)
        domains.append(f"{romanised}-{_DOMAIN_WORDS[i % len(_DOMAIN_WORDS)]}{i}.co.jp")

    write(
        {
            "Account ID": [f"A{i + 1:07d}" for i in range(count)],
            "Account Name": names,
            "Industry": industries,
            "Employees": [
                _employees_text(int(e), int(s)) for e, s in zip(employees, employees_style, strict=True)
            ],
            "Annual Revenue": [
                _revenue_text(int(r), int(s)) for r, s in zip(revenue, revenue_style, strict=True)
            ],
            "Prefecture": [vocab.PREFECTURES[p][2][s] for p, s in zip(prefecture, spelling, strict=True)],
            "Website": [f"https://www.{d}/" for d in domains],
            "Last Modified Date": format_timestamps(modified, CRM_TIMESTAMP),
        }
    )

    industry_fit = np.array([f for _, _, f in vocab.INDUSTRIES])[industry]
    urban = np.isin(prefecture, [0, 1, 2, 3, 6]).astype(float)  # 首都圏, 関西, 中京 in vocabulary order
    size = (np.log(employees) - np.log(120)) / 1.4
    return AccountTraits(fit=0.5 * size + industry_fit + 0.3 * urban, domain=np.array(domains))
