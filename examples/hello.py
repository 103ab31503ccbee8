"""Smallest example: the installed version."""

import edmscore

print(edmscore.__version__)
