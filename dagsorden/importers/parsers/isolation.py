"""Reading a PDF or Word file in a separate process, with a memory ceiling and a hard deadline.

pdfium (PDF) and lxml (Word) are native code: a few hundred bytes of nested PDF forms make
pdfium build millions of objects while it loads one page, and neither can be interrupted
from Python. So the readers run in a reader process, forked from this one (it inherits
everything loaded, no start-up), whose address space is limited (``Limits.memory_bytes``
on top of what it inherits) and which is killed when a document's deadline has passed.
Whatever happens to it, the caller gets a text or a ``ParseError`` and carries on with the
next file; a reader process that was killed, crashed, ran out of memory or failed is
replaced at the next document.

The reader process serves one document after another (a fork per document cost more than
reading a typical PDF: every page the child touched was copied), and is replaced every
``DOCUMENTS_PER_READER`` documents, so that what one file leaves behind stays bounded.
It keeps only the pipes it talks through (inherited database connections and files are
closed in it) and leaves by ``os._exit`` when this process goes. Where ``fork`` is missing
(Windows) the readers run in-process.

Pure Python, no Django.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import json
import os
import pickle
import select
import signal
import struct
import threading
import time
from collections.abc import Callable
from typing import NoReturn

from dagsorden.importers.parsers.errors import ParseError
from dagsorden.importers.parsers.limits import Deadline, Limits, size_text

GRACE_SECONDS = 1.0  # the reader's own deadline check should win, with its clearer message
READ_CHUNK = 1 << 20
DOCUMENTS_PER_READER = 200
LENGTH = struct.Struct("!Q")  # each message: its length, then its bytes

_TEXT, _PARSE_ERROR, _NO_MEMORY, _FAILURE = b"T", b"E", b"M", b"X"


class ReaderFailure(RuntimeError):
    """The reader broke on a file in a way it should have turned into a ParseError: a bug."""


class _Gone(Exception):
    """The reader process ended (killed, crashed, out of memory) before it answered."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _ReaderProcess:
    """The reader process this process talks to, started on first use."""

    def __init__(self) -> None:
        self.pid = 0
        self.owner = 0  # the process that started it (a fork of ours must not use it)
        self.requests = -1  # the pipe we write requests to
        self.answers = -1  # the pipe we read answers from
        self.memory_bytes = 0
        self.served = 0
        self.lock = threading.Lock()

    def ask(self, read: Callable[[], str], *, limits: Limits, deadline: Deadline) -> bytes:
        """The reader's answer to ``read``; _Gone or TimeoutError when there is none."""
        request = pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL)
        with self.lock:
            if not self._ready(limits):
                self._start(limits)
            try:
                _send(self.requests, request)
                answer = _receive(self.answers, deadline.remaining() + GRACE_SECONDS)
            except (TimeoutError, BrokenPipeError, EOFError) as error:
                status = self._stop(kill=True)
                if isinstance(error, TimeoutError):
                    raise
                raise _Gone(status) from None
            except BaseException:  # interrupted halfway through a message: start afresh
                self._stop(kill=True)
                raise
            self.served += 1
            if answer[:1] in (_NO_MEMORY, _FAILURE) or self.served >= DOCUMENTS_PER_READER:
                self._stop(kill=False)  # a fresh reader for the next document
            return answer

    def _ready(self, limits: Limits) -> bool:
        """Started here, alive, and with the memory ceiling ``limits`` ask for."""
        if not self.pid or self.owner != os.getpid():
            return False
        if _reaped(self.pid, wait=False) is not None:  # ended while idle
            self.forget()
            return False
        return self.memory_bytes == limits.memory_bytes

    def _start(self, limits: Limits) -> None:
        if self.pid and self.owner == os.getpid():
            self._stop(kill=False)
        self.forget()
        requests_in, requests_out = os.pipe()
        answers_in, answers_out = os.pipe()
        pid = os.fork()
        if pid == 0:
            _serve(requests_in, answers_out, memory_bytes=limits.memory_bytes)
        os.close(requests_in)
        os.close(answers_out)
        self.pid, self.owner = pid, os.getpid()
        self.requests, self.answers = requests_out, answers_in
        self.memory_bytes, self.served = limits.memory_bytes, 0

    def _stop(self, *, kill: bool) -> int:
        """End the reader process (at once, or when it reads the end of its requests); its
        exit status."""
        pid = self.pid
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.forget()
        return _reaped(pid, wait=True) or 0

    def forget(self) -> None:
        """Drop the pipes to the reader process (closing them ends it); also in a fork of
        this process, which must neither use nor keep the parent's."""
        for descriptor in (self.requests, self.answers):
            if descriptor >= 0:
                with contextlib.suppress(OSError):
                    os.close(descriptor)
        self.pid, self.owner, self.requests, self.answers = 0, 0, -1, -1


def _reaped(pid: int, *, wait: bool) -> int | None:
    """The exit status of the ended reader process ``pid`` (None: still running); 0 when
    it was reaped elsewhere (a parent that ignores SIGCHLD reaps its children itself)."""
    try:
        ended, status = os.waitpid(pid, 0 if wait else os.WNOHANG)
    except ChildProcessError:
        return 0
    return status if ended == pid else None


_READER = _ReaderProcess()


def _forget_after_fork() -> None:
    _READER.forget()
    _READER.lock = threading.Lock()  # a lock held by another thread at the fork stays held


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def run_isolated(
    read: Callable[[], str], *, source: str, limits: Limits, deadline: Deadline, reader: str
) -> str:
    """``read()`` (a picklable callable) in the reader process; its text, or its
    ParseError raised here."""
    if not hasattr(os, "fork"):
        return read()
    try:
        answer = _READER.ask(read, limits=limits, deadline=deadline)
    except TimeoutError:
        raise limits.exceeded(
            source, "seconds", f"took more than {limits.seconds:g} s to read"
        ) from None
    except _Gone as gone:
        how = _signal_name(os.WTERMSIG(gone.status)) if os.WIFSIGNALED(gone.status) else "no answer"
        raise limits.exceeded(
            source,
            "memory_bytes",
            f"the {reader} reader stopped on this file ({how}): a damaged file, or one that "
            f"needs more than {size_text(limits.memory_bytes)} to read",
        ) from None
    tag, body = answer[:1], answer[1:]
    if tag == _TEXT:
        return body.decode("utf-8", "surrogatepass")
    if tag == _PARSE_ERROR:
        reason, line = json.loads(body)
        raise ParseError(source, reason, line)
    if tag == _NO_MEMORY:
        raise limits.exceeded(
            source, "memory_bytes", f"needs more than {size_text(limits.memory_bytes)} to read"
        )
    raise ReaderFailure(f"{source}: the {reader} reader failed: {body.decode()}")


# --- The reader process


def _serve(requests: int, answers: int, *, memory_bytes: int) -> NoReturn:
    """Answer requests until the parent goes (the end of the request pipe)."""
    try:
        _keep_only(requests, answers)
        _silence()
        # Everything inherited is frozen out of the collector's way: walking it would copy
        # every page of it into this process.
        gc.freeze()
        _limit_memory(memory_bytes)
        while True:
            try:
                request = _receive(requests, None)
            except EOFError:
                break
            _send(answers, _answer(request))
    finally:
        os._exit(0)


def _answer(request: bytes) -> bytes:
    try:
        read = pickle.loads(request)  # noqa: S301 (from the parent process, over its own pipe)
        return _TEXT + read().encode("utf-8", "surrogatepass")
    except ParseError as error:
        return _PARSE_ERROR + json.dumps([error.reason, error.line]).encode()
    except MemoryError:
        return _NO_MEMORY
    except BaseException as error:  # reported to the parent, which raises it
        return _FAILURE + f"{type(error).__name__}: {error}".encode("utf-8", "replace")


def _keep_only(*descriptors: int) -> None:
    """Close every inherited descriptor but standard input and output, error and ours:
    database connections, files and the pipes of other reader processes stay the
    parent's."""
    start = 0
    for descriptor in [*sorted({0, 1, 2, *descriptors}), max(_descriptor_limit(), 3)]:
        if start < descriptor:  # closerange(n, n) would close everything (CPython 3.11)
            os.closerange(start, descriptor)
        start = descriptor + 1


def _descriptor_limit() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (ValueError, OSError):
        return 1024


def _silence() -> None:
    """Nothing the reader (or a crash report) prints reaches the terminal: the command's
    errors stay one line each."""
    with contextlib.suppress(OSError, ValueError):
        faulthandler.disable()
        devnull = os.open(os.devnull, os.O_RDWR)
        for standard in (0, 1, 2):
            os.dup2(devnull, standard)
        os.close(devnull)


def _limit_memory(extra: int) -> None:
    """Allow the reader ``extra`` bytes of address space beyond what it has at the fork."""
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


# --- Messages over pipes


def _send(descriptor: int, message: bytes) -> None:
    view = memoryview(LENGTH.pack(len(message)) + message)
    while view:
        view = view[os.write(descriptor, view) :]


def _receive(descriptor: int, timeout: float | None) -> bytes:
    """One message; EOFError at the end of the pipe, TimeoutError when ``timeout`` (seconds,
    None: no limit) passes first."""
    header = _read_exactly(descriptor, LENGTH.size, timeout)
    return _read_exactly(descriptor, LENGTH.unpack(header)[0], timeout)


def _read_exactly(descriptor: int, size: int, timeout: float | None) -> bytes:
    chunks: list[bytes] = []
    missing = size
    end = None if timeout is None else time.monotonic() + timeout
    while missing:
        if end is not None:
            left = end - time.monotonic()
            if left <= 0 or not select.select([descriptor], [], [], left)[0]:
                raise TimeoutError
        chunk = os.read(descriptor, min(missing, READ_CHUNK))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
