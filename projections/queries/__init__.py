"""Thin query functions over the read models; each returns plain rows (dicts)."""
