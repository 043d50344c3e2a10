#!/usr/bin/env python
"""Django's command-line utility. Puts ``site/`` on the import path first.

``site/`` cannot be imported as a package (the standard library owns the name
``site``), so the settings live in ``site/buddysite/`` and this file, the WSGI
entry and pytest add ``site/`` to ``sys.path``.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buddysite.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
