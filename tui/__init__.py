"""The terminal UI (Textual). ``reader``, ``strings`` and ``text`` import without Textual."""
