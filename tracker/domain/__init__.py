"""Aggregates: they decide what may happen and record it as events."""
