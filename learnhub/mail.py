"""Sending e-mail through the organisation's SMTP server, when one is configured."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from learnhub.text import clean_text


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message; raises OSError/SMTPException when the server refuses."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("MAIL_SENDER") or f"LearnHub <noreply@{config['MAIL_SERVER']}>"
    # Header values with a line break are refused (or would add headers): clean them as forms do.
    message["To"] = clean_text(to).strip()
    message["Subject"] = clean_text(subject).strip()
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 587)), timeout=15) as smtp:
        if config.get("MAIL_USE_TLS", True):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(message)
