"""The screens, one per file; each section of the top bar is a Textual mode."""
