"""Rules across entries over the catalogue, and their registry."""
