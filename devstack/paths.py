"""Where the dev stack keeps its state: everything under `.data/` at the repo root.

ZG_DATA_DIR moves it elsewhere (the launcher's tests use a temporary directory).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ZG_DATA_DIR") or ROOT / ".data").resolve()
PG_DIR = DATA_DIR / "pg"
REDIS_DB = DATA_DIR / "redis.db"
REDIS_PID = DATA_DIR / "redis.pid"
TEMPORAL_DB = DATA_DIR / "temporal.db"
SECRETS_FILE = DATA_DIR / "dev-secrets.env"
TOKENS_FILE = DATA_DIR / "dev-tokens.txt"
LOCK_FILE = DATA_DIR / "devstack.lock"
OUTPUT_LOG = DATA_DIR / "devstack-output.log"  # the launcher's output once stdout is gone


def ensure_data_dir() -> Path:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return DATA_DIR
