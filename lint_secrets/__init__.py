"""lint-secrets: keep hardcoded secrets out of code that runs Replicate models."""

__version__ = "0.2.0"
