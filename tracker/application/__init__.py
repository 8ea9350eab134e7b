"""The application layer: commands over the event store, how events are stored, backups."""
