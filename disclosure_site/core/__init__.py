"""Helpers that know nothing of entries: diagnostics, YAML with lines, schema, values, privacy, work days, input limits, CSV safety."""
