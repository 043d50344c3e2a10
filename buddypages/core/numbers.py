"""Numbers from form data and addresses."""


def as_id(value) -> int:
    """A primary key from form data; 0 (matches nothing) for anything else."""
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
