"""Discover, parse and validate: content files and catalog.yaml into entries; git history."""
