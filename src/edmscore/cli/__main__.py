"""``python -m edmscore.cli``: the ``edmscore`` command."""

from __future__ import annotations

from edmscore.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
