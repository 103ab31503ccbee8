"""The file tiers of the ``edmscore backup`` commands, read from a TOML file.

``--tiers FILE`` (or the ``EDMS_TIERS`` environment variable) names it::

    [files]
    hot = "/srv/edms/files"          # the FileBlobStore folder the installation writes to
    write_through = true             # copy each file to the replica at commit (the default)

    [files.replica]                  # a folder, say on another volume ...
    directory = "/mnt/copy/files"

    [files.cold]                     # ... or a bucket of an S3-compatible store (``s3`` extra)
    bucket = "edms-cold"
    prefix = "files/"
    endpoint_url = "https://storage.example.ru"
    region_name = "ru-central1"

Relative folders are taken from the file's own folder. Credentials for S3 are never written in
the file: boto3 takes them from its usual places (``AWS_ACCESS_KEY_ID`` and
``AWS_SECRET_ACCESS_KEY``, ``~/.aws/credentials``, a role). Anything else in the file is refused
with a :class:`~edmscore.errors.ValidationError` naming it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from edmscore.errors import ValidationError

__all__ = ["tiered_store", "tiers_option"]

_DIRECTORY_KEYS = frozenset({"directory", "name"})
_S3_KEYS = frozenset({"bucket", "prefix", "endpoint_url", "region_name", "name"})
_FILES_KEYS = frozenset({"hot", "write_through", "replica", "cold"})
_MAX_SIZE = 1024 * 1024


def tiers_option(given: str | None) -> str | None:
    """The tier file the command was given, else ``EDMS_TIERS``, else None."""
    return given or os.environ.get("EDMS_TIERS") or None


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{where}.{key}", "must be non-empty text")
    return value


def _tier(table: object, where: str, base: Path) -> Any:
    from edmscore.storage.tiers import DirectoryTier, S3Tier

    if not isinstance(table, dict):
        raise ValidationError(where, "must be a table")
    name = table.get("name", where.rsplit(".", 1)[-1])
    if not isinstance(name, str) or not name:
        raise ValidationError(f"{where}.name", "must be non-empty text")
    if "directory" in table:
        unknown = sorted(table.keys() - _DIRECTORY_KEYS)
        if unknown:
            raise ValidationError(where, f"a directory tier does not take {', '.join(unknown)}")
        return DirectoryTier(base / _text(table, "directory", where), name=name)
    if "bucket" in table:
        unknown = sorted(table.keys() - _S3_KEYS)
        if unknown:
            raise ValidationError(
                where,
                f"an S3 tier does not take {', '.join(unknown)} "
                "(credentials come from the environment, not the file)",
            )
        options = {key: _text(table, key, where) for key in ("endpoint_url", "region_name")}
        prefix = table.get("prefix", "")
        if not isinstance(prefix, str):
            raise ValidationError(f"{where}.prefix", "must be text")
        return S3Tier(
            _text(table, "bucket", where),
            prefix=prefix,
            name=name,
            **{key: value for key, value in options.items() if key in table},
        )
    raise ValidationError(where, "give either directory = … or bucket = …")


def tiered_store(path: str | os.PathLike[str]) -> Any:
    """The :class:`~edmscore.storage.tiers.TieredBlobStore` the TOML file at ``path`` describes."""
    from edmscore.storage.tiers import TieredBlobStore

    file = Path(path)
    if not file.is_file():
        raise ValidationError("tiers", f"{file} is not a file")
    data = file.read_bytes()
    if len(data) > _MAX_SIZE:
        raise ValidationError("tiers", f"{file} is larger than {_MAX_SIZE} bytes")
    try:
        config = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError("tiers", f"{file} is not TOML: {exc}") from exc
    files = config.get("files")
    if not isinstance(files, dict) or config.keys() != {"files"}:
        raise ValidationError("tiers", f"{file} must hold one [files] table and nothing else")
    unknown = sorted(files.keys() - _FILES_KEYS)
    if unknown:
        raise ValidationError("files", f"unknown setting {', '.join(unknown)}")
    write_through = files.get("write_through", True)
    if not isinstance(write_through, bool):
        raise ValidationError("files.write_through", "must be true or false")
    base = file.parent
    return TieredBlobStore(
        base / _text(files, "hot", "files"),
        replica=_tier(files["replica"], "files.replica", base) if "replica" in files else None,
        cold=_tier(files["cold"], "files.cold", base) if "cold" in files else None,
        write_through=write_through,
    )
