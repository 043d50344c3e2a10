"""Publish webhooks: signed events (Standard Webhooks) to the endpoints a site registers,
when the plugin's pages are published, unpublished, moved or deleted and when an
activity's places change, so a static front end can rebuild and a cache can purge.

- :mod:`.models`: endpoints (per Wagtail Site) and one delivery row per event and endpoint.
- :mod:`.events`: what an event says (never personal data), and the receivers of Wagtail's
  signals that queue them (connected in ``buddypages.apps``).
- :mod:`.services`: queueing, one delivery attempt (signed POST), retries with backoff.
- :mod:`.tasks`: the task that runs an attempt from the task queue.
- :mod:`.purge`: the API addresses of a page, purged by ``wagtail.contrib.frontend_cache``.
- :mod:`.admin`: endpoints and the delivery log in the Wagtail admin.
"""
