"""Reading a PDF or Word file in a child process, with a memory ceiling and a hard deadline.

pdfium (PDF) and lxml (Word) are native code: a few hundred bytes of nested PDF forms make
pdfium build millions of objects while it loads one page, and neither can be interrupted
from Python. So the reader runs in a forked child whose address space is limited
(``Limits.memory_bytes`` on top of what it inherits) and which is killed when the document's
deadline has passed; whatever happens to it, the parent gets a text or a ``ParseError`` and
carries on with the next file. The child inherits everything loaded already, so the fork
costs about a millisecond; where ``fork`` is missing (Windows) the reader runs in-process.

Pure Python, no Django: the child touches no database connection and leaves by
``os._exit``, so nothing the parent holds is closed or flushed twice.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import json
import os
import select
import signal
from collections.abc import Callable
from typing import NoReturn

from dagsorden.importers.parsers.errors import ParseError
from dagsorden.importers.parsers.limits import Deadline, Limits, size_text

GRACE_SECONDS = 1.0  # the child's own deadline check should win, with its clearer message
READ_CHUNK = 1 << 20

_TEXT, _PARSE_ERROR, _NO_MEMORY, _FAILURE = b"T", b"E", b"M", b"X"


class ReaderFailure(RuntimeError):
    """The reader broke on a file in a way it should have turned into a ParseError: a bug."""


def run_isolated(
    read: Callable[[], str], *, source: str, limits: Limits, deadline: Deadline, reader: str
) -> str:
    """``read()`` in a child process; its text, or its ParseError raised here."""
    if not hasattr(os, "fork"):
        return read()
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(receive)
        _child(read, send, limits=limits)
    os.close(send)
    return _answer(_collect(receive, pid, deadline), source=source, limits=limits, reader=reader)


def _child(read: Callable[[], str], send: int, *, limits: Limits) -> NoReturn:
    try:
        # The collector would walk (and so copy) every object inherited from the parent;
        # the child is short-lived and its memory has a ceiling anyway.
        gc.disable()
        _silence()
        _limit_memory(limits.memory_bytes)
        try:
            message = _TEXT + read().encode("utf-8", "surrogatepass")
        except ParseError as error:
            message = _PARSE_ERROR + json.dumps([error.reason, error.line]).encode()
        except MemoryError:
            message = _NO_MEMORY
        except BaseException as error:  # reported to the parent, which raises it
            message = _FAILURE + f"{type(error).__name__}: {error}".encode("utf-8", "replace")
        view = memoryview(message)
        while view:
            view = view[os.write(send, view) :]
    finally:
        os._exit(0)


def _silence() -> None:
    """Nothing the reader (or a crash report) prints reaches the terminal: the command's
    errors stay one line each."""
    with contextlib.suppress(OSError, ValueError):
        faulthandler.disable()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)


def _limit_memory(extra: int) -> None:
    """Allow the child ``extra`` bytes of address space beyond what it has at the fork."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError, IndexError):
        return  # no /proc (macOS): the deadline still applies
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = current + extra
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _collect(receive: int, pid: int, deadline: Deadline) -> tuple[bytes, int] | None:
    """The child's message and exit status; None when the deadline passed (child killed)."""
    chunks: list[bytes] = []
    finished = False
    try:
        while True:
            remaining = deadline.remaining() + GRACE_SECONDS
            if remaining <= 0 or not select.select([receive], [], [], remaining)[0]:
                return None
            chunk = os.read(receive, READ_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
        finished = True
    finally:
        os.close(receive)
        if not finished:
            os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
    return b"".join(chunks), status


def _answer(
    collected: tuple[bytes, int] | None, *, source: str, limits: Limits, reader: str
) -> str:
    if collected is None:
        raise limits.exceeded(source, "seconds", f"took more than {limits.seconds:g} s to read")
    message, status = collected
    tag, body = message[:1], message[1:]
    if tag == _TEXT:
        return body.decode("utf-8", "surrogatepass")
    if tag == _PARSE_ERROR:
        reason, line = json.loads(body)
        raise ParseError(source, reason, line)
    if tag == _NO_MEMORY:
        raise limits.exceeded(
            source, "memory_bytes", f"needs more than {size_text(limits.memory_bytes)} to read"
        )
    if tag == _FAILURE:
        raise ReaderFailure(f"{source}: the {reader} reader failed: {body.decode()}")
    how = _signal_name(os.WTERMSIG(status)) if os.WIFSIGNALED(status) else "no answer"
    raise limits.exceeded(
        source,
        "memory_bytes",
        f"the {reader} reader stopped on this file ({how}): a damaged file, or one that needs "
        f"more than {size_text(limits.memory_bytes)} to read",
    )


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
