"""Fixtures of every test folder: a PostgreSQL server, and the storage adapters to run on."""

from __future__ import annotations

pytest_plugins = ("tests._postgres", "tests._adapters")
