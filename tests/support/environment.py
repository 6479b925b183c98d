"""Where the repository and the seed article are, whether this run is CI, and which database it uses."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
SEED_PATH = REPO / "fixtures" / "2017_Ayorou_attack.txt"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def using_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
