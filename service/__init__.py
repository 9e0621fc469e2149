"""The service shell: settings, logging and the ``timeline`` command line."""
