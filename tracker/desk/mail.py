"""Mailing the digests: one SMTP connection, one message per owner, from the settings file.

The server, the sender and the login are the settings file's ``smtp.*`` keys; the password
is read from ``smtp.password_file`` (a file only the sender can read), else from
``BANSO_SMTP_PASSWORD``; where each owner's digest goes is the file's address book
(``addresses.E001 = "…"``). Python's own ``smtplib`` and ``email`` do the rest.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from tracker.desk.config import DeskConfig
from tracker.desk.settings import smtp_password_from_environment
from tracker.domain.errors import InvalidInputError, MailError

#: Seconds to wait for the server before saying it cannot be reached.
TIMEOUT = 30


@dataclass(frozen=True)
class Outgoing:
    """One digest to mail: to whom, about what, in plain text and optionally HTML."""

    owner: str
    to: str
    subject: str
    text: str
    html: str | None = None


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    sender: str
    starttls: bool
    user: str | None
    password: str | None

    @classmethod
    def of(cls, config: DeskConfig) -> MailServer:
        """The server the settings name; a missing host or sender is refused (nothing sent)."""
        smtp = config.smtp
        if not smtp.host:
            raise InvalidInputError(field="smtp.host", reason="unset", value="")
        if not smtp.sender:
            raise InvalidInputError(field="smtp.from", reason="unset", value="")
        password = None
        if smtp.user:
            password = _password(smtp.password_file) or smtp_password_from_environment()
            if password is None:
                raise InvalidInputError(field="smtp.password_file", reason="empty", value="")
        port = smtp.port or (587 if smtp.starttls else 25)
        return cls(smtp.host, port, smtp.sender, bool(smtp.starttls), smtp.user, password)

    def send(self, mails: Iterable[Outgoing]) -> int:
        """Send every mail over one connection; how many were sent. A server that cannot be
        reached, or refuses, is one clear error."""
        mails = list(mails)
        if not mails:
            return 0
        try:
            with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT) as server:
                if self.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.user and self.password is not None:
                    server.login(self.user, self.password)
                for mail in mails:
                    server.send_message(self.message(mail))
        except (OSError, smtplib.SMTPException, UnicodeError) as e:  # smtplib logs in in ASCII
            raise MailError(server=f"{self.host}:{self.port}", detail=_one_line(e)) from None
        return len(mails)

    def message(self, mail: Outgoing) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(mail.text)
        if mail.html is not None:
            message.add_alternative(mail.html, subtype="html")
        return message


def _password(path: str | None) -> str | None:
    if not path:
        return None
    try:
        return Path(path).expanduser().read_text(encoding="utf-8").strip() or None
    except OSError as e:
        raise InvalidInputError(
            field="smtp.password_file", reason="unknown", value=str(e)
        ) from None


def _one_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return " ".join(text.split())
