"""Command-line delivery (Typer). Each module registers its commands; no business rules here.

Every ``parallax`` command logs through the redaction policy: importing the CLI installs the log-record
factory of ``parallax.enrich.pii.logfilter``, so no log line a command or its server writes carries
personal data (house rule: personal data is never logged).
"""

from parallax.enrich.pii.logfilter import install as _install_log_redaction

_install_log_redaction()
