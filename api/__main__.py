"""``python -m api [--host 127.0.0.1] [--port 8080]``."""

from api.server import main

raise SystemExit(main())
