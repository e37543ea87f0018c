"""One module per page family; each exposes ``router`` (route class ``WebRoute``)."""
