"""One settings object, read from the environment (prefix ``PARALLAX_``) at the delivery edge only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    """Runtime configuration. Library code takes explicit parameters; only CLI/API build this."""

    model_config = SettingsConfigDict(env_prefix="PARALLAX_", env_file=None, extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'parallax.sqlite'}"
    host: str = "127.0.0.1"
    port: int = 8000
    sentiment_tier: str = "fast"
    # Signs web sessions. Empty: `parallax serve` makes a random one on loopback and refuses other hosts.
    secret_key: str = ""
    log_level: str = "INFO"
    # Ingest rejects a row dated before this day or more than this many days after now (docs/ingest.md).
    ingest_earliest: date = date(2000, 1, 1)
    ingest_future_days: float = Field(default=2.0, ge=0)


def load_settings() -> Settings:
    return Settings()
