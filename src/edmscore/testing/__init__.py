"""Test helpers for hosts: hypothesis strategies, the adapter contract suite, a test PKI."""
