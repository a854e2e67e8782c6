"""Delivery settings, from the environment only (credentials included).

- LEAD_WAREHOUSE_ALERT_HOURS (default: any hour): Japan-time hours alerts go out, e.g. 8-20; outside
  them alerts are queued for the next delivery inside them.
- LEAD_WAREHOUSE_ALERT_ATTEMPTS (3): tries per delivery run; then the alert counts as failed.
- LEAD_WAREHOUSE_ALERT_BACKOFF_SECONDS (2): pause before the second try, doubling each try.
- LEAD_WAREHOUSE_ALERT_MAX_ATTEMPTS (10): tries over all runs, after which a failed alert is given up.
- LEAD_WAREHOUSE_SMTP_HOST / _PORT (localhost / 25), _USER / _PASSWORD (none), _STARTTLS (false): the
  mail server; LEAD_WAREHOUSE_ALERT_EMAIL_FROM (lead-warehouse@localhost): the sender.
"""

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

JAPAN = timezone(timedelta(hours=9))


class AlertSettingsError(ValueError):
    """A delivery setting is malformed; the message names the variable and the expected form."""


def _number(variable: str, default: float) -> float:
    text = os.environ.get(variable, "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        raise AlertSettingsError(f"{variable} must be a number, not {text!r}") from None
    if value < 0:
        raise AlertSettingsError(f"{variable} must not be negative, not {text!r}")
    return value


@dataclass(frozen=True)
class DeliverySettings:
    hours: tuple[int, int] | None
    attempts: int
    backoff_seconds: float
    max_attempts: int

    def is_delivery_time(self, now: datetime) -> bool:
        if self.hours is None:
            return True
        start, end = self.hours
        return start <= now.astimezone(JAPAN).hour < end


def delivery_settings() -> DeliverySettings:
    hours_text = os.environ.get("LEAD_WAREHOUSE_ALERT_HOURS", "").strip()
    hours = None
    if hours_text:
        try:
            start, end = (int(part) for part in hours_text.split("-"))
        except ValueError:
            raise AlertSettingsError(
                f"LEAD_WAREHOUSE_ALERT_HOURS must look like 8-20 (Japan time), not {hours_text!r}"
            ) from None
        if not 0 <= start < end <= 24:
            raise AlertSettingsError(
                f"LEAD_WAREHOUSE_ALERT_HOURS needs 0 <= start < end <= 24, not {hours_text!r}"
            )
        hours = (start, end)
    return DeliverySettings(
        hours=hours,
        attempts=max(1, int(_number("LEAD_WAREHOUSE_ALERT_ATTEMPTS", 3))),
        backoff_seconds=_number("LEAD_WAREHOUSE_ALERT_BACKOFF_SECONDS", 2),
        max_attempts=max(1, int(_number("LEAD_WAREHOUSE_ALERT_MAX_ATTEMPTS", 10))),
    )


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    starttls: bool
    sender: str


def smtp_settings() -> SmtpSettings:
    return SmtpSettings(
        host=os.environ.get("LEAD_WAREHOUSE_SMTP_HOST") or "localhost",
        port=int(_number("LEAD_WAREHOUSE_SMTP_PORT", 25)),
        user=os.environ.get("LEAD_WAREHOUSE_SMTP_USER") or None,
        password=os.environ.get("LEAD_WAREHOUSE_SMTP_PASSWORD") or None,
        starttls=os.environ.get("LEAD_WAREHOUSE_SMTP_STARTTLS", "").lower() in ("1", "true", "yes"),
        sender=os.environ.get("LEAD_WAREHOUSE_ALERT_EMAIL_FROM") or "lead-warehouse@localhost",
    )
