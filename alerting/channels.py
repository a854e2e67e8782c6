"""Sending one message: e-mail over SMTP, or a JSON POST to a Slack, Microsoft Teams or generic
webhook. Standard library only: each channel is one request, and the targets come from the
environment (alerting/routes.py). Any failure raises DeliveryError with the reason."""

import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage

from alerting.settings import smtp_settings

# A webhook that has not answered by then counts as failed (and is retried).
TIMEOUT_SECONDS = 10


class DeliveryError(RuntimeError):
    """The channel did not accept the message."""


def send_email(to: str, subject: str, body: str) -> None:
    settings = smtp_settings()
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)  # UTF-8: Japanese text arrives intact
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as server:
            if settings.starttls:
                server.starttls()
            if settings.user:
                server.login(settings.user, settings.password or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as problem:
        raise DeliveryError(f"SMTP {settings.host}:{settings.port}: {problem}") from problem


def post_json(url: str, payload: dict) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as problem:
        raise DeliveryError(f"HTTP {problem.code} from the webhook") from problem
    except (OSError, ValueError) as problem:
        raise DeliveryError(f"webhook not reachable: {problem}") from problem


def send(channel: str, target: str, subject: str, body: str, alert: dict) -> None:
    """Slack and Teams incoming webhooks take {"text": ...}; a generic webhook gets the alert's
    fields as well, for the receiving system to use."""
    if channel == "email":
        send_email(target, subject, body)
    elif channel in ("slack", "teams"):
        post_json(target, {"text": f"{subject}\n{body}"})
    else:
        post_json(target, {"subject": subject, "text": body, "alert": alert})
