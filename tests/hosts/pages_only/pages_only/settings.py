"""A host that installs ``buddypages`` without the newsletter: the bare host's settings
(``wagtail start`` plus the README's steps), minus ``newsletter`` and ``anymail``."""

import sys
from pathlib import Path

# The bare host sits beside this one (tests/test_hosts.py copies both).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bare"))

from bare.settings.dev import *  # noqa: E402, F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("newsletter", "anymail")]  # noqa: F405
ROOT_URLCONF = "pages_only.urls"
