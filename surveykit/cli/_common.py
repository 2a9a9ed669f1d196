"""What every command group shares: the console and the user-mistake guard.

A :class:`~surveykit.errors.SurveykitError` raised inside a command becomes one message on
stderr and exit code 1 — a user mistake never shows a traceback.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import typer

from ..errors import SurveykitError

__all__ = ["console", "error_exit", "friendly"]


def console(stderr: bool = False, **kw: Any) -> Any:
    """A rich console without syntax highlighting (messages are shown as written)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, **kw)


def error_exit(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` (rich markup allowed) to stderr and return the Exit to raise."""
    console(stderr=True).print(f"[bold red]error:[/] {message}", markup=True)
    return typer.Exit(code)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a command: a SurveykitError becomes one message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SurveykitError as e:
            from rich.markup import escape

            raise error_exit(escape(str(e))) from None

    return wrapper
