"""Journeymap: the desktop application and the `journeymap` command line."""

__version__ = "0.1.0"
