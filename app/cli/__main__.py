"""`python -m app.cli`: the same as the `journeymap` command."""

from app.cli import main

raise SystemExit(main())
