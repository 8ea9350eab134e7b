"""Words the users read, in Japanese and English; imports nothing else of banso."""
