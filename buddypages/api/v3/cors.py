"""Cross-origin rules of ``/api/v3/``, on top of django-cors-headers.

The host lists the origins that may *write* (``CORS_ALLOWED_ORIGINS``: its own website, its
app). Reads are public content, so any origin may read them: this receiver of
``corsheaders.signals.check_request_enabled`` allows a ``GET`` or ``HEAD`` (and the preflight
of one) from anywhere, and nothing else.
"""

READ_METHODS = {"GET", "HEAD"}


def allow_reads_from_anywhere(sender, request, **kwargs) -> bool:
    from buddypages.conf import buddypages_setting

    if not request.path.startswith(buddypages_setting("API_PREFIX")):
        return False
    if request.method == "OPTIONS":
        asked = request.headers.get("Access-Control-Request-Method", "").upper()
        return asked in READ_METHODS
    return request.method in READ_METHODS


def connect() -> None:
    """Called from the app's ``ready()`` when the host installs django-cors-headers."""
    from corsheaders.signals import check_request_enabled

    check_request_enabled.connect(allow_reads_from_anywhere, dispatch_uid="buddypages-api-reads")
