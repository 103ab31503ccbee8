"""Fixtures of every test folder: a PostgreSQL server."""

from __future__ import annotations

pytest_plugins = ("tests._postgres",)
