"""Read models: SQLite tables rebuilt from the event log, and the queries that read them.

A read model can be deleted at any time: ``ReadModels.catch_up`` replays the log into it.
"""
