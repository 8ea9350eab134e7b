"""banso's tracker: the domain, the application, settings and the command line."""
