"""The terminal UI (Textual). ``reader``, ``words`` and ``text`` import without Textual."""
