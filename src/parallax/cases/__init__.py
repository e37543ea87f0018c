"""The omnichannel inbox: case lifecycle (an explicit transition table), routing, priority, SLA, notes and
replies through the channel the customer used (outbound adapters behind one interface).

Owns the rules of working a case once it exists; threading interactions into cases is the identity room's.
Must not import delivery code (api, web, cli).
"""
