"""Compile the catalogues of this project's apps into ``.mo`` files without GNU gettext.

Django's ``compilemessages`` needs the ``msgfmt`` program, which a fresh
machine with nothing but Python lacks; polib (already required by
wagtail-localize) writes the same files.

Each app ships its own catalogues inside its package (``buddypages/locale/``,
``newsletter/locale/``, ``buddysite/locale/``, and any subpackage's). This
compiles every ``locale/*/LC_MESSAGES/*.po`` under the path of each installed
app that is not installed into site-packages (a wheel brings its ``.mo`` files
compiled), and those in ``LOCALE_PATHS`` if a host sets it.
"""

import os
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

INSTALLED_PACKAGES = {"site-packages", "dist-packages"}


def catalogue_paths() -> list[Path]:
    folders = [Path(app.path) for app in apps.get_app_configs()]
    found = {
        po_path.resolve()
        for folder in folders
        if not INSTALLED_PACKAGES & set(folder.resolve().parts)
        for po_path in folder.glob("**/locale/*/LC_MESSAGES/*.po")
    }
    for locale_dir in settings.LOCALE_PATHS:
        found.update(path.resolve() for path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"))
    return sorted(found)


class Command(BaseCommand):
    help = "Compile the gettext catalogues of this project's apps (locale/) into .mo files."

    def handle(self, *args, **options):
        compiled = 0
        for po_path in catalogue_paths():
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as error:
                raise CommandError(f"{po_path}: {error}") from error
            # Written aside, then renamed: a test run reading the catalogues meanwhile
            # never sees half a file.
            mo_path = po_path.with_suffix(".mo")
            partial = mo_path.with_name(f".{mo_path.stem}.{os.getpid()}.mo")
            catalogue.save_as_mofile(str(partial))
            partial.replace(mo_path)
            compiled += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"Compiled {compiled} catalogues.")
