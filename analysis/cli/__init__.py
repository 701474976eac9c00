"""Command groups of `python -m analysis`, each module exposing ``register(subparsers)``."""
