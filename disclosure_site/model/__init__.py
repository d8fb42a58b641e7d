"""Frozen data without I/O: the site configuration, entry types, entries, the catalogue, output paths."""
