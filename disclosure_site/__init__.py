"""A static-site generator for a government bureau's 政府信息公开目录."""

__version__ = "0.1.0"
