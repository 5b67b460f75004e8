"""The curators' admin: one module per group of models."""

from agreements.admin import agreements, geography, people, sources

__all__ = ["agreements", "geography", "people", "sources"]
