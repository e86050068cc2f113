"""This user's cache folder for the builder: where it is, its secret key, and the signed files kept in it.

Kept apart from the render cache (`diskcache`) so that the up-to-date check (`uptodate`) reads its record
without importing what rendering needs. A file here is input like any other, so each carries a keyed hash
(HMAC-SHA256) with a key that never leaves this folder: a file that does not check is not there.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any, Callable

from . import __version__

MAGIC = b"coursewright-render 1\n"


def user_folder() -> Path:
    """This user's cache folder for the builder (XDG)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "coursewright"


def key_file() -> Path:
    """Where this user's secret key lives."""
    return user_folder() / "render-cache.key"


def cache_folder(out: Path) -> Path:
    """The folder of one output folder's pages (named by its absolute path)."""
    return user_folder() / "render" / hashlib.sha256(str(out.resolve()).encode("utf-8")).hexdigest()[:24]


def secret_key() -> bytes | None:
    """This user's key, made on first use (readable by this user only); None when it cannot be kept."""
    path = key_file()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key)
        return key
    except FileExistsError:  # another build made it meanwhile
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data if len(data) >= 32 else None
    except OSError:
        return None


def builder_fingerprint() -> str:
    """The builder itself: its version and its modules' sizes and times (a changed builder renders afresh)."""
    here = Path(__file__).parent
    stamps = []
    for path in sorted(here.glob("*.py")):
        stat = path.stat()
        stamps.append((path.name, stat.st_size, stat.st_mtime_ns))
    return hashlib.sha256(repr((__version__, stamps)).encode()).hexdigest()




def sign(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).hexdigest().encode("ascii")


def read_signed(key: bytes, path: Path) -> bytes | None:
    """A cache file's payload, or None when it is missing or does not carry this user's hash."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, mac_end = len(MAGIC), len(MAGIC) + 64
    payload = data[mac_end + 1:]
    if (not data.startswith(MAGIC) or data[mac_end:mac_end + 1] != b"\n"
            or not hmac.compare_digest(data[head:mac_end], sign(key, payload))):
        return None
    return payload


def write_signed(key: bytes, path: Path, payload: bytes) -> None:
    """Written beside its place and moved there: a reader finds the old file or the new one, whole."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(MAGIC + sign(key, payload) + b"\n" + payload)
    os.replace(partial, path)


def with_texts(head: Any, texts: list[str], default: Callable[[Any], Any] | None = None) -> bytes:
    """JSON (`head`, which gives each text's length), then the texts strung together: search entries,
    laid-out HTML and pages' models are megabytes of quotes that JSON would escape, and unescape when read."""
    return (json.dumps(head, separators=(",", ":"), default=default).encode("ascii") + b"\n"
            + "".join(texts).encode("utf-8", "surrogatepass"))


def texts_after(payload: bytes) -> tuple[Any, str]:
    """`with_texts`' JSON and texts (JSON written so holds no line break)."""
    head, _, texts = payload.partition(b"\n")
    return json.loads(head), texts.decode("utf-8", "surrogatepass")
