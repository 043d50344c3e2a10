"""Who may frame the widgets, and the headers that say so.

The widgets' frames carry their own Content-Security-Policy (django-csp and other
middleware leave a response's existing header alone), so a host without django-csp gets the
same protection: scripts, styles and form posts only from this site, and ``frame-ancestors``
naming this site and the origins in ``BUDDYPAGES["EMBED_ALLOWED_ORIGINS"]``. Browsers refuse
to show the frame anywhere else.
"""

from urllib.parse import urlsplit

from buddypages.conf import buddypages_setting

CSP_HEADER = "Content-Security-Policy"


def normalise_origin(value: str) -> str:
    """``scheme://host[:port]`` in lower case, or "" when ``value`` is not an origin."""
    try:
        parts = urlsplit(str(value).strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return ""
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        return ""
    default_port = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    suffix = f":{port}" if port and port != default_port else ""
    return f"{parts.scheme}://{host}{suffix}"


def allowed_origins() -> list[str]:
    """The configured origins that are well formed, normalised, in their order."""
    found = []
    for value in buddypages_setting("EMBED_ALLOWED_ORIGINS"):
        origin = normalise_origin(value)
        if origin and origin not in found:
            found.append(origin)
    return found


def malformed_origins() -> list[str]:
    """Entries of the setting that are not origins (the system check names them)."""
    return [v for v in buddypages_setting("EMBED_ALLOWED_ORIGINS") if not normalise_origin(v)]


def embedding_origin(value: str) -> str:
    """``value`` as an allowed embedding origin, or "" (unknown, malformed or not allowed)."""
    origin = normalise_origin(value)
    return origin if origin in allowed_origins() else ""


def frame_policy() -> str:
    ancestors = " ".join(["'self'", *allowed_origins()])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        ]
    )


def allow_framing(response):
    """Let the allowed origins frame ``response`` (and no one else)."""
    response[CSP_HEADER] = frame_policy()
    response.xframe_options_exempt = True
    return response


def same_origin_post(request) -> bool:
    """Whether a POST comes from a page of this site (the form inside the frame).

    The frames cannot rely on Django's CSRF cookie: a browser does not send the cookies of a
    frame from another site (SameSite, third-party cookie blocking). A forged post from
    another site carries that site's ``Origin`` (or, in old browsers, its ``Referer``).
    """
    own = normalise_origin(f"{request.scheme}://{request.get_host()}")
    sent = request.headers.get("Origin")
    if sent is None or sent == "null":
        referer = request.headers.get("Referer", "")
        parts = urlsplit(referer)
        sent = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return bool(own) and normalise_origin(sent) == own
