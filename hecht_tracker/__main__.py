from __future__ import annotations

from hecht_tracker.cli import main

main()
