"""A salted hash that stands for a person in the marts: the same email gives the same key (BI can count
and join people), while the email itself stays in raw and staging. The salt comes from the
environment (LEAD_WAREHOUSE_PII_SALT, generated once per installation by warehouse_core.settings), so
the keys cannot be reversed by hashing a list of known addresses without it."""

import hashlib
import os

SALT_VARIABLE = "LEAD_WAREHOUSE_PII_SALT"


class MissingSaltError(RuntimeError):
    """No salt in the environment: hashing without one would make the keys reversible."""


def person_key(value: str | None) -> str | None:
    """SHA-256 of salt + the trimmed, lower-cased value, as hex; None for an empty value."""
    if value is None or not value.strip():
        return None
    salt = os.environ.get(SALT_VARIABLE)
    if not salt:
        raise MissingSaltError(
            f"{SALT_VARIABLE} is not set. Run through `make` or orchestration (which create a salt in "
            "data/pii_salt), or export your own secret salt."
        )
    return hashlib.sha256((salt + value.strip().lower()).encode("utf-8")).hexdigest()
