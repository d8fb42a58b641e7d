"""Data beside the pages: feeds and sitemap, search, open data, exports and their schemas."""
