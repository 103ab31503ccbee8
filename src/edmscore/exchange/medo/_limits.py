"""Bounds on what a MEDO reader accepts, so hostile input cannot exhaust the machine."""

from __future__ import annotations

from attrs import frozen

__all__ = ["DEFAULT_LIMITS", "Limits"]


@frozen
class Limits:
    """Size and count bounds applied while reading messages, letters and containers."""

    #: the largest message XML (passport, envelope) read, in bytes
    max_xml_bytes: int = 16 * 1024 * 1024
    #: the largest number of elements in one XML tree
    max_xml_elements: int = 200_000
    #: the largest single file of a letter or container member, in bytes
    max_file_bytes: int = 2 * 1024 * 1024 * 1024
    #: the largest sum of all files of a letter or uncompressed container, in bytes
    max_total_bytes: int = 4 * 1024 * 1024 * 1024
    #: the most files in a letter or members in a container
    max_members: int = 1000
    #: the largest compression ratio of a container member (uncompressed / compressed)
    max_ratio: int = 200


DEFAULT_LIMITS = Limits()
