from django_tasks import task

from buddypages.calendar.emails import signup_email_send


@task()
def send_signup_email(*, signup_id: int, event: str) -> None:
    """Send a sign-up email from a task worker (never inside the sign-up's transaction)."""
    signup_email_send(signup_id=signup_id, event=event)
