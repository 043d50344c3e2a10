"""An empty URL conf, named on the request of a 404 answer of the API.

Django's ``LocaleMiddleware`` (and ``CommonMiddleware``'s slash redirect) turn a 404 into a
redirect when the same path with a language prefix (or a slash) would resolve, and in a host
whose ``i18n_patterns`` end with Wagtail's catch-all, every path would. Both look the path up in
``request.urlconf`` when it is set: pointing it here, once the answer is made, keeps a client's
404 a JSON problem instead of a redirect to ``/nl/api/v3/...``, whatever middleware the host runs.
"""

urlpatterns = []
