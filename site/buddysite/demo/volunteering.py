"""Demo: the programme's insurance policy and information note (nl/en/fr/ar), volunteers
who acknowledged it and are insured, two trainings with attendance."""


def ensure_volunteering(programme, calendar, locales) -> None:
    """Idempotent. Runs after the participants and before the duos and matching."""
