"""WSGI entry: ``gunicorn --chdir site buddysite.wsgi`` (or ``--pythonpath site``)."""

import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent.parent
if str(SITE_DIR) not in sys.path:
    sys.path.insert(0, str(SITE_DIR))
ROOT = SITE_DIR.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buddysite.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

django_application = get_wsgi_application()

# After Django's set-up: a page-cache hit is answered before Django's handler runs.
from buddysite.cache import serve_hits_first  # noqa: E402

application = serve_hits_first(django_application)
