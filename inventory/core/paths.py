"""Where the real public data shipped beside the project lives (../shared/data by default)."""

import os
from pathlib import Path

from django.conf import settings


def shared_data_dir() -> Path:
    """The folder of real public data files (see its README); LOGITHEQUE_SHARED_DATA overrides it."""
    configured = os.environ.get("LOGITHEQUE_SHARED_DATA")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "data"
