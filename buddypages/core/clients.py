"""Who is asking: the client's address, read past the proxies the host trusts."""

from buddypages.conf import buddypages_setting


def client_address(request) -> str:
    """The client's address, as the proxy setting says.

    With ``BUDDYPAGES["TRUSTED_PROXY_COUNT"]`` = N proxies in front, each appends the address
    it received from to X-Forwarded-For, so the client is the N-th address from the end;
    anything further left was written by the client and is not trusted. Without proxies
    (N = 0) it is the connection's address. The sign-up rate limit reads it here (and the
    example host's login lockout).
    """
    count = buddypages_setting("TRUSTED_PROXY_COUNT")
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
