"""What the registry tells the layers above it (the duos) about a person's data.

The registry sits below the duos and never imports them; a context above that keeps data
about participants connects receivers to these signals (``buddypages.duos.receivers``).
Each is sent inside the registry's transaction, with ``sender=Participant``.
"""

from django.dispatch import Signal

#: Sent while a subject access export is put together, with ``participant`` and ``when``
#: (the export's date formatter). Each receiver returns a dict of sections to add,
#: e.g. ``{"duos": [...]}``; their keys must not clash with the registry's own.
participant_exporting = Signal()

#: Sent just before a participant is deleted (erasure or an abandoned sign-up), with
#: ``participant`` and ``forget_admin_log(model, pks)``: receivers drop what the
#: database's cascade does not reach, such as Wagtail's admin log entries naming their rows.
participant_erasing = Signal()

#: Sent when a participant is anonymised, with ``participant``: receivers clear the free
#: text they keep about that person and keep their numbers.
participant_anonymising = Signal()
