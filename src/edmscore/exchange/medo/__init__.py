"""MEDO."""
