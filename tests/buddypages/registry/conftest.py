import pytest

from tests.buddypages.registry.helpers import registration_pages


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Every test client posts from 127.0.0.1: the rate limit has its own test."""
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "RATE_LIMIT": 0}


@pytest.fixture
def forms(demo):
    """The demo's two sign-up forms, by language and role: forms["ar"]["newcomer"]."""
    return registration_pages()
