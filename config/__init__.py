"""Configuration shared by every part above the store: typed settings from
``TIMELINE_*`` variables, structlog set up once, Celery's configuration and the
one-line messages for validation errors."""
