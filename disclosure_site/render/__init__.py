"""HTML pages: templates, list pages, entry pages, worker processes, annual-report tables."""
