"""An email backend that raises chosen errors for chosen addresses, then delivers."""

from django.core.mail.backends.base import BaseEmailBackend

plan: dict[str, list[Exception]] = {}
sent: list[str] = []


def reset(errors: dict[str, list[Exception]]) -> None:
    plan.clear()
    plan.update({address: list(items) for address, items in errors.items()})
    sent.clear()


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            errors = plan.get(message.to[0])
            if errors:
                raise errors.pop(0)
            sent.append(message.to[0])
        return len(email_messages)
