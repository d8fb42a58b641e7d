"""Commands beside build and check: console output, self-inspection, serve, deploy, new."""
