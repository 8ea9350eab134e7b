"""banso's tracker, one sub-package per layer: ``domain``, ``application``, ``desk`` (the
composition root), ``cli``; ``language`` holds the words and ``demo`` the synthetic history."""
