"""Markdown bodies: editors' comments, structure limits, conversion to safe HTML, links."""
