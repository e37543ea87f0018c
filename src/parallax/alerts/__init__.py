"""Alerts: streaming spike detectors with small checkpointable state, NAB scoring, rules, grouping,
notifications and escalation.

Pure logic (detectors, NAB, rules) imports nothing from delivery (api, cli) or from other rooms' services;
the store is reached only through ``alerts.repository``.
"""
