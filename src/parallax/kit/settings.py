"""One settings object, read from the environment (prefix ``PARALLAX_``) at the delivery edge only."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    """Runtime configuration. Library code takes explicit parameters; only CLI/API build this."""

    model_config = SettingsConfigDict(env_prefix="PARALLAX_", env_file=None, extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'parallax.sqlite'}"
    host: str = "127.0.0.1"
    port: int = 8000
    sentiment_tier: str = "fast"
    secret_key: str = "dev-only-change-me"
    log_level: str = "INFO"


def load_settings() -> Settings:
    return Settings()
