"""Settings for bench/api_load.py --no-cache: the project's, with the API response cache off."""

from config.settings import *  # noqa: F403

API_CACHE_SECONDS = 0
