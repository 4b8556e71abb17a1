"""Where the dev stack keeps its state: everything under `.data/` at the repo root."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / ".data"
PG_DIR = DATA_DIR / "pg"
REDIS_DB = DATA_DIR / "redis.db"
TEMPORAL_DB = DATA_DIR / "temporal.db"
SECRETS_FILE = DATA_DIR / "dev-secrets.env"
TOKENS_FILE = DATA_DIR / "dev-tokens.txt"
LOCK_FILE = DATA_DIR / "devstack.lock"


def ensure_data_dir() -> Path:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return DATA_DIR
