"""Development: ``make run``. Debug on, a generated secret, email to the console."""

from .base import *  # noqa: F403
from .base import BUDDYPAGES, VAR_DIR
from .env import development_secret_key, env_bool, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY") or development_secret_key(VAR_DIR / "secret_key")

# The demo accounts log in without a phone on one's own machine; production never allows this.
BUDDYPAGES["REQUIRE_TWO_FACTOR"] = env_bool("TWO_FACTOR_REQUIRED", False)
