"""Task paths of sign-up emails queued before the calendar became ``buddypages.calendar``:
a worker still finds ``buddypages.tasks.send_signup_email`` here."""

from buddypages.calendar.tasks import send_signup_email

__all__ = ["send_signup_email"]
