"""The example host installs the plugin as an adopter would: every system check passes."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_test_settings_pass_every_check_at_warning_level():
    # Like `make check`: the immediate task backend's two warnings are silenced on purpose.
    call_command("check", fail_level="WARNING")
