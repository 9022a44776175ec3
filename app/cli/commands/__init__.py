"""One module per `journeymap` command.

A command module defines ``NAME``, ``HELP``, optionally ``ORDER`` (its place
in ``--help``), ``register(parser)`` to add its arguments and
``run(args) -> int``. Modules here are headless: they must not import Qt.
Shared helpers for commands live in :mod:`app.cli.commands._common`.
"""
