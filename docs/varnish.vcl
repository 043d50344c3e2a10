vcl 4.1;

# Varnish in front of the buddy programme site (Debian's `varnish` package, 7.x).
# See docs/operating.md, "Varnish or a CDN in front". In short:
#   - the site says what may be shared (Cache-Control: public, s-maxage=...) and what is
#     personal (private, no-store); Varnish follows it;
#   - cookies reach the site only for the admin, form posts, visitors with a session and the
#     addresses the site marked personal (form pages, links from e-mails); elsewhere they are
#     stripped, so one stored page serves every visitor;
#   - the site purges a page's addresses when an editor publishes it (PURGE from the
#     addresses in the `purgers` list; the site's FRONTEND_CACHE_URL points here).

# The site (gunicorn). Behind a TLS terminator that sets X-Forwarded-Proto.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# The site's web servers: they send PURGE when a page is published or unpublished.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    # Form posts and API writes reach the site with their cookies, and are never stored.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, API clients with a token and anyone with a session (an editor, a visitor who
    # typed a page's password): their pages are theirs alone.
    if (req.url ~ "^/(admin|django-admin)/"
        || req.http.Authorization
        || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Elsewhere the cookies are set aside: a public page is the same for every visitor. The
    # addresses the site marks personal get them back (vcl_backend_fetch).
    unset req.http.X-Buddy-Cookie;
    if (req.http.Cookie) {
        set req.http.X-Buddy-Cookie = req.http.Cookie;
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_backend_fetch {
    # A pass, or an address the site marked personal a moment ago (hit-for-pass): with the
    # visitor's cookies, as if Varnish were not there (a form's CSRF cookie, for one).
    if (bereq.uncacheable && bereq.http.X-Buddy-Cookie) {
        set bereq.http.Cookie = bereq.http.X-Buddy-Cookie;
    }
    unset bereq.http.X-Buddy-Cookie;
}

sub vcl_backend_response {
    # Personal (a form with its token, a link from an e-mail, a session), or not for sharing
    # (redirects, errors, pages with unchecked query strings say no-cache): never stored, and
    # for two minutes this address goes straight to the site, cookies included.
    if (beresp.http.Set-Cookie
        || !beresp.http.Cache-Control
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
        || beresp.http.Vary == "*") {
        return (pass(120s));
    }
    # Public: kept for s-maxage (the site's HTTP_CACHE_SHARED_SECONDS), or max-age for the API,
    # and purged sooner when an editor publishes.
    return (deliver);
}

sub vcl_deliver {
    # For operators and the CI test: was this answer stored here?
    if (obj.uncacheable) {
        set resp.http.X-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
