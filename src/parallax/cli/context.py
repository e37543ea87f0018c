"""What every command needs: settings, a migrated engine, a session factory, a console."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from parallax.kit.db import make_engine, make_sessionmaker
from parallax.kit.settings import Settings, load_settings
from parallax.store.migrate import upgrade

console = Console()
err_console = Console(stderr=True)


@dataclass
class Context:
    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.settings.database_url)
        upgrade(engine)
        return engine

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine)


def context(database_url: str | None = None) -> Context:
    settings = load_settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return Context(settings)
