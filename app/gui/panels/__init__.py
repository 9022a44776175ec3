"""The docks beside the canvas, one widget per module."""
