"""The generator against Hugo on a synthetic corpus, driving build.py as a user would: ``python -m benchmarks``."""
