"""The app's own settings, plus the bench's bare page (bench.urls). Run with the environment
bench.run gives: debug off, a throwaway secret key, plain HTTP on 127.0.0.1."""

import os
from pathlib import Path

from reflexbook.settings import *  # noqa: F403
from reflexbook.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
# Collected static files go to the bench's scratch folder, not the project's.
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", BASE_DIR / "staticfiles"))
