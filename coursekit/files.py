"""Files the course writes and checks: a file's SHA-256, and JSON written atomically.

`write_json` writes a temporary file beside the target and renames it over the target, so a run cut off
while writing (the session limit, a kill) leaves the previous document whole, never half of the new one.
"""
import hashlib
import json
import os
import pathlib


def sha256(path):
    """The SHA-256 hex digest of a file's bytes (read in 1 MiB blocks: checkpoints are large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json(path, document):
    """Write `document` to `path` as indented JSON with a final newline, atomically (see the module doc)."""
    path = pathlib.Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
