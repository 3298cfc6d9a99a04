"""Errors that reach a user as a clear message, never as a traceback."""


class ApplicationError(Exception):
    """A domain rule was broken; the message is fit to show a user."""
