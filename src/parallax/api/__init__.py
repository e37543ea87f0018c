"""HTTP delivery (FastAPI): thin routes over the domain services. No business rules here.

Every route but ``/v1/health`` needs a workspace API key; errors are JSON ``{"error", "detail"}``.
"""
