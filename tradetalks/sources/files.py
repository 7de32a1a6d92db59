"""Reading a document file: only regular files, never more than the size cap whatever
the file system says, and every way a path can fail named as such (a FIFO, a device, a
socket, a symbolic link loop, a directory)."""

from __future__ import annotations

import errno
import os
import stat

from tradetalks.clean import decode
from tradetalks.errors import InputError, shown

MAX_BYTES = decode.MAX_BYTES
CHUNK = 1024 * 1024

_KINDS = [(stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")]


def read_file(path: str | os.PathLike[str]) -> tuple[str, list[str]]:
    """A document file's text and the notes on how it was decoded, or InputError saying
    what to do. A FIFO is opened without waiting for a writer, and nothing but a regular
    file is read."""
    name = shown(os.fspath(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise _open_error(path, name, exc) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name}: is a directory; pass the files in it (e.g. {name}/*.txt)")
        if not stat.S_ISREG(info.st_mode):
            kind = next((label for test, label in _KINDS if test(info.st_mode)), "not a regular file")
            raise InputError(f"{name}: is {kind}, not a regular file; only files are read, so copy "
                             "what it gives into a file and pass that")
        if info.st_size > MAX_BYTES:
            raise InputError(f"{name}: file is {info.st_size // (1024 * 1024)} MB, over the 10 MB limit; "
                             "split it or pass only the article")
        data = _read_capped(fd, name)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror}); check the file") from None
    finally:
        os.close(fd)
    return decode.decode_noted(data, os.fspath(path))


def read_head(path: str | os.PathLike[str], size: int = 4096) -> str:
    """The first `size` bytes of a regular file as text (bad bytes replaced), or "" when it
    is anything else or cannot be read: a hint only, never the document."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return ""
    try:
        return os.read(fd, size).decode("utf-8", "replace") if stat.S_ISREG(os.fstat(fd).st_mode) else ""
    except OSError:
        return ""
    finally:
        os.close(fd)


def _read_capped(fd: int, name: str) -> bytes:
    """At most MAX_BYTES bytes (a file that grows, or says it is empty as /proc's do, is
    still read no further)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = os.read(fd, CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise InputError(f"{name}: file is over the 10 MB limit; split it or pass only the article")
        chunks.append(chunk)


def _open_error(path: str | os.PathLike[str], name: str, exc: OSError) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError(f"{name}: is a symbolic link loop (the links point at each other); fix or remove the link")
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return InputError(f"{name}: is a symbolic link to {shown(os.readlink(path))}, which does not exist; "
                              "fix or remove the link")
        return InputError(f"{name}: no such file; check the path")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(f"{name}: permission denied; make the file readable")
    if exc.errno == errno.ENXIO:
        return InputError(f"{name}: is a socket (or a device with nothing behind it), not a regular file; "
                          "only files are read")
    return InputError(f"{name}: cannot be read ({exc.strerror}); check the file")
