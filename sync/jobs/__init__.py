"""Runs as Procrastinate jobs: the API enqueues, `sigma worker` processes execute (PostgreSQL)."""
