"""Command-line delivery (Typer). Each module registers its commands; no business rules here."""
