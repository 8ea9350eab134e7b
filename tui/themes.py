"""banso's light and dark themes (the indigo of the printed briefing)."""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="banso-dark",
    primary="#6C9BD2",
    secondary="#88A9C3",
    accent="#E3A857",
    foreground="#E4E7EB",
    background="#14181E",
    surface="#1A2028",
    panel="#243040",
    success="#7FB77E",
    warning="#E3B341",
    error="#E5736B",
    dark=True,
)

LIGHT = Theme(
    name="banso-light",
    primary="#35618F",
    secondary="#5B7A99",
    accent="#A8561B",
    foreground="#1F2328",
    background="#F4F5F2",
    surface="#FFFFFF",
    panel="#E2E8EF",
    success="#2E7D32",
    warning="#9A6700",
    error="#B3261E",
    dark=False,
)

THEMES = (DARK, LIGHT)
