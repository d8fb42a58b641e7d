"""The only code that touches the output folder: staging, swap, stamp, SHA256SUMS."""
