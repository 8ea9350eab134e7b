"""Modal forms: each records one thing through one application command, or nothing."""
