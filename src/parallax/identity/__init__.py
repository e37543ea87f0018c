"""Identity: one customer across channels.

Owns linking identifiers and interactions to customers (deterministic keys, then Splink), merges and
unmerges with their audit trail, the customer profile (360), threading interactions into journeys and
cases, reply-chain threading, and the linkage evaluation. Case *lifecycle* (transitions, SLA, replies)
belongs to ``parallax.cases``. Must not import delivery code (api, web, cli).

Splink and DuckDB are base dependencies (the demo runs Splink); only ``linkage`` imports them. The
``identity`` extra adds recordlinkage (with pandas), the FEBRL evaluation's baseline (``febrl``).
"""

from parallax.identity.merges import merge, unmerge
from parallax.identity.normalise import AuthorFields, Ident, hash_ident, identifiers_of, redact
from parallax.identity.resolve import Resolution, link_unattached, resolve_ids, resolve_one

__all__ = [
    "AuthorFields",
    "Ident",
    "Resolution",
    "hash_ident",
    "identifiers_of",
    "link_unattached",
    "merge",
    "redact",
    "resolve_ids",
    "resolve_one",
    "unmerge",
]
