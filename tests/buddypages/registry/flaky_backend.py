"""An email backend that fails a set number of times, then delivers (for retry tests)."""

from smtplib import SMTPRecipientsRefused

from django.core.mail.backends.base import BaseEmailBackend

attempts = 0
failures = 0
sent = []


def reset(*, failures: int) -> None:
    globals().update(attempts=0, failures=failures, sent=[])


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        global attempts
        attempts += 1
        if attempts <= failures:
            # Like a real server: the error quotes the address.
            raise SMTPRecipientsRefused({email_messages[0].to[0]: (550, b"mailbox busy")})
        sent.extend(email_messages)
        return len(email_messages)
