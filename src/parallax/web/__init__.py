"""The web app: server-rendered pages (Jinja2) on the same FastAPI app as the API.

Owns pages, login sessions, roles and CSRF. Holds no business rules: it reads through repositories and the
services of other rooms (cases, metrics, identity, alerts) and renders what they return.
Must not be imported by any domain room.
"""
