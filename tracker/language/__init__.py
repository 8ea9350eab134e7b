"""Words the users read, in Japanese and English; imports nothing else of banso.

One lookup for every text, ``say(key, lang, **params)``, over catalogues a translator can
read (TOML, both languages side by side per key; see ``catalogue``).
"""

from tracker.language.catalogue import LANGUAGES, Catalogue, CatalogueError
from tracker.language.words import WORDS, error_message, say, why

__all__ = ["LANGUAGES", "WORDS", "Catalogue", "CatalogueError", "error_message", "say", "why"]
