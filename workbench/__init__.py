"""Offline benefit-risk workbench for multiple sclerosis disease-modifying therapies."""

__version__ = "0.1.0"
