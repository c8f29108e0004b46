"""Languages: the message catalogues (gettext, managed with Babel) and locale-aware dates and numbers."""
