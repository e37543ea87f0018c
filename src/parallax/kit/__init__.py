"""Plumbing shared by every room: settings, database engine and sessions, clock, ids, errors.

Must not import any domain package (ingest, enrich, metrics...): dependencies point inward.
"""
