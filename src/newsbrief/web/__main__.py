"""``python -m newsbrief.web``: run the web app (see :func:`newsbrief.web.server.main`)."""

from __future__ import annotations

import sys

from .server import main

sys.exit(main())
