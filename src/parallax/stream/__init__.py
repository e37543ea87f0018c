"""The stream: a bus (in-process by default, NATS JetStream to scale out) and the worker that turns
interactions into enriched events, detector updates and alerts.

Must not import delivery code (api, cli, web). Entry point for the lead: ``run_stream_worker``.
"""
