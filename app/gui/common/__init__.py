"""Small Qt helpers every GUI layer may use: style, dialogs, the worker pool, signal following."""
