"""``banso demo``: realistic synthetic histories of the programme, for trying banso out."""

from tracker.demo.generator import SCALES, DemoSummary, generate

__all__ = ["SCALES", "DemoSummary", "generate"]
