"""The limit of the stack: a WSGI app that answers 200 "hello" and does nothing else.

bench/http.py serves it with the same gunicorn command and worker count as the
site, in the same run, and reports every URL of the site as a share of it.
"""

BODY = b"hello"
HEADERS = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
