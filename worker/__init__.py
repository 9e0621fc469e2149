"""The Celery worker: a thin task around the pure core, writing through the store."""
