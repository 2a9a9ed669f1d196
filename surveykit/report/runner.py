"""Run a study script with a report: what ``surveykit run SCRIPT`` does.

A study script is plain Python using the public API. Two styles work, both with
``surveykit run analyses/x.py`` and with ``python analyses/x.py``:

1. define ``main(report)`` and end with ``if __name__ == "__main__": run(main)``
   (:func:`run` reads ``--out``/``--lang`` from the command line like ``surveykit run``);
2. top to bottom, taking the report from :func:`surveykit.report.current`; under
   ``surveykit run`` the script's ``__name__`` is ``"__surveykit_run__"``, so an
   ``if __name__ == "__main__": report.write(...)`` block runs only under plain Python.

Steps go in ``with report.stage("clean", input=path):``. Warnings raised while the study
runs are printed once each (``warning: DataWarning: …``) and listed in the manifest. When anything fails,
:func:`run_study` prints ONE line naming the stage and its input (no traceback; set
``SURVEYKIT_TRACEBACK=1`` to see one), writes the partial report marked INCOMPLETE
(``FAILED.txt``, ``report-INCOMPLETE.html``, no ``report.html``) and returns exit code 1.
"""
from __future__ import annotations

import argparse
import os
import runpy
import sys
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._files import write_text
from ..errors import OutputError, ReportError, SurveykitError, ValidationError, check_choice
from .builder import Report, set_current
from .docx_style import parse_docx_options, resolve_style
from .i18n import LANGS

__all__ = ["run_study", "run", "StageFailed", "failure_line", "one_line", "default_out"]


class StageFailed(ReportError):
    """A stage of a study failed; ``stage``, ``input`` and ``message`` say where and why."""

    def __init__(self, stage: str, input: str | None, message: str) -> None:
        self.stage, self.input, self.message = stage, input, message
        super().__init__(failure_line(stage, input, message))


def failure_line(stage: str, input: str | None, message: str) -> str:
    """``stage 'clean' failed (input: wave1.csv): <first line of the message>``."""
    first = message.strip().splitlines()[0] if message.strip() else "(no message)"
    return f"stage '{stage}' failed (input: {input or 'none'}): {first}"


def one_line(exc: BaseException) -> str:
    """What the one failure line says about ``exc``.

    A :class:`~surveykit.errors.ValidationError` gives its header, its first problem and
    "and N more" (the full list goes to ``FAILED.txt``); any other error its first line.

    >>> from surveykit.errors import Problem, ValidationError
    >>> e = ValidationError([Problem("r.yaml", 3, 5, "unknown rule 'speeder'"),
    ...                      Problem("r.yaml", 9, 5, "unknown key 'treshold'")],
    ...                     header="r.yaml: 2 problem(s) in the cleaning rules:")
    >>> one_line(e)
    "r.yaml: 2 problem(s) in the cleaning rules: r.yaml:3:5: unknown rule 'speeder' (and 1 more)"
    """
    message = _message(exc).strip()
    lines = message.splitlines()
    if isinstance(exc, ValidationError) and exc.problems:
        first = str(exc.problems[0]).strip().splitlines()[0]
        head = lines[0] if lines and lines[0].strip() != first else ""
        more = len(exc.problems) - 1
        text = f"{head} {first}".strip() if head else first
        return text + (f" (and {more} more)" if more else "")
    return lines[0] if lines else "(no message)"


def _message(exc: BaseException) -> str:
    if isinstance(exc, SurveykitError):
        return str(exc)
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def default_out(script: str | os.PathLike[str]) -> Path:
    """Default output folder of a script: ``report/<script name without .py>`` (``/report/`` is git-ignored)."""
    return Path("report") / Path(script).stem


def run_study(target: str | os.PathLike[str] | Callable[[Report], Any], *,
              out: str | os.PathLike[str] | None = None, lang: str | None = None,
              command: Sequence[str] | None = None, progress: bool = True,
              console: Any = None, title: Any = None, formula_safe: bool = True,
              docx: Mapping[str, Any] | Sequence[str] | None = None) -> int:
    """Run a study script (path) or a ``main(report)`` callable and write its report.

    ``formula_safe=False`` (``surveykit run --raw-cells``) writes the text cells of the
    tables raw instead of quoting formula-like ones (see docs/report.md). ``docx`` changes
    the Word file's style on top of the script's ``Report(docx_style=...)``: a mapping of
    :class:`~surveykit.report.DocxStyle` fields or ``FIELD=VALUE`` strings
    (``surveykit run --docx east_asia=FangSong --docx body_size=10.5``).

    Returns the exit code: 0 when the report was written, 1 when a stage failed (after
    printing one line to stderr and writing the partial, INCOMPLETE-marked outputs; an
    interrupt with Ctrl-C counts as a failure of the running stage and returns 130).

    Raises
    ------
    ReportError
        ``target`` is a path that is not a file (nothing is run or written).
    """
    from rich.console import Console
    from rich.markup import escape

    if lang is not None:
        check_choice("surveykit run", "lang", lang, LANGS)
    if docx is not None and not isinstance(docx, Mapping):
        docx = parse_docx_options(list(docx))
    if docx:
        resolve_style(None, lang or "zh", docx)  # a bad value fails before the study runs
    console = console or Console(stderr=True, highlight=False, soft_wrap=True)
    is_path = not callable(target)
    script = Path(os.fspath(target)) if is_path else None
    if script is not None and not script.is_file():  # nothing ran: no output folder either
        raise ReportError(f"{script}: no such study script. Give the path of a Python file, "
                          f"e.g. analyses/regional_synergy.py.")
    label = str(script) if script is not None else getattr(target, "__module__", "script")
    out_dir = Path(out) if out is not None else (default_out(script) if script else Path("report"))
    bad_out = next((q for q in (out_dir, *out_dir.parents) if q.exists() and not q.is_dir()), None)
    if bad_out is not None:                # before anything runs: nowhere to put the report
        raise OutputError(f"Cannot write the report to {out_dir}: {bad_out} is a file, not a "
                          f"folder. Choose another --out folder.", path=str(out_dir))
    report = Report(title, lang=lang or "zh") if title is not None else Report(lang=lang or "zh")
    set_current(report)
    listener = None
    if progress:
        from .progress import RichProgress

        listener = RichProgress(console)
        report.listener = listener
    failed: tuple[str, str | None, BaseException] | None = None
    old_argv, old_path = sys.argv[:], sys.path[:]

    def show_warning(message: Any, category: type, *_: Any, **__: Any) -> None:
        text = f"{category.__name__}: {message}"
        if text not in report.warnings:  # each distinct warning once, kept for the manifest
            report.warnings.append(text)
            console.print(f"[yellow]warning:[/] {escape(text)}")

    caught = warnings.catch_warnings()
    caught.__enter__()
    warnings.simplefilter("default")
    for noise in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        warnings.filterwarnings("ignore", category=noise)  # library housekeeping, not findings
    # one CJKFontWarning says it all; matplotlib would add one line per missing glyph
    warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
    warnings.showwarning = show_warning
    try:
        if listener is not None:
            listener.__enter__()
        try:
            if script is not None:
                sys.argv = [str(script)]
                sys.path.insert(0, str(script.resolve().parent))
                namespace = runpy.run_path(str(script), run_name="__surveykit_run__")
                main = namespace.get("main")
                if callable(main):
                    main(report)
            else:
                target(report)  # type: ignore[operator]
        except SystemExit as exc:
            if exc.code not in (0, None):
                failed = _where(report, label, exc)
        except (Exception, KeyboardInterrupt) as exc:  # any failure: one line, no traceback
            failed = _where(report, label, exc)
        finally:
            sys.argv, sys.path[:] = old_argv, old_path
        if failed is None:
            lang_out = lang or report.lang
            try:
                with report.stage("write report", input=str(out_dir)):
                    report.write(out_dir, lang=lang_out, command=command,
                                 formula_safe=formula_safe,
                                 docx_style=resolve_style(report.docx_style, lang_out, docx))
            except Exception as exc:
                failed = _where(report, label, exc)
    finally:
        if listener is not None:
            listener.__exit__(None, None, None)
        caught.__exit__(None, None, None)
        set_current(None)

    if failed is None:
        done = "report.html"
        console.print(f"[green]report written:[/] {escape(str(out_dir / done))}")
        return 0
    stage, inp, exc = failed
    message = _message(exc)
    detail = "".join(traceback.format_exception(exc))
    try:
        lang_out = lang or report.lang
        report.write_failed(out_dir, stage=stage, input=inp, message=message,
                            lang=lang_out, command=command, detail=detail,
                            formula_safe=formula_safe,
                            docx_style=resolve_style(report.docx_style, lang_out, docx))
    except Exception:  # the partial report itself could not be written: keep the marker
        write_text(out_dir / "FAILED.txt", failure_line(stage, inp, message) + "\n\n" + detail)
    line = one_line(exc)
    full = len(message.strip().splitlines()) > 1
    more = f" (full message in {out_dir / 'FAILED.txt'})" if full else ""
    at = script_line(exc, script) if script is not None else None
    where = f" at {at}" if at else ""
    console.print(f"[bold red]error:[/] {escape(failure_line(stage, inp, line))}{escape(where)}"
                  f"{escape(more)} — partial output in {escape(str(out_dir))} is marked "
                  f"INCOMPLETE.")
    if os.environ.get("SURVEYKIT_TRACEBACK"):
        console.print(escape(detail))
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED
    return 1


#: exit code after Ctrl-C (128 + SIGINT, as shells report it); the INCOMPLETE report is kept
INTERRUPTED = 130


def script_line(exc: BaseException, script: Path) -> str | None:
    """``analyses/study.py line 42`` — the innermost line of the study script in the
    traceback of ``exc`` (where the researcher's code called what failed)."""
    try:
        target = script.resolve()
    except OSError:
        return None
    found = None
    for fr in traceback.extract_tb(exc.__traceback__):
        try:
            if Path(fr.filename).resolve() == target:
                found = fr.lineno
        except OSError:
            continue
    return f"{script} line {found}" if found is not None else None


def _where(report: Report, label: str, exc: BaseException) -> tuple[str, str | None, BaseException]:
    """The failed stage and its input (the script itself when no stage was running)."""
    seen, e = set(), exc
    while e is not None and id(e) not in seen:  # the stage's error, or one raised from it
        if report.failed is not None and e is report.failure:
            f = report.failed          # a Report.each stage names the item it was working on
            return (f"{f.name}: {f.item}" if f.item else f.name), f.input, exc
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return "script", label, exc


def run(main: Callable[[Report], Any], argv: Sequence[str] | None = None) -> None:
    """Run ``main(report)`` from a script's ``if __name__ == "__main__":`` block.

    Reads ``--out DIR``, ``--lang zh|en`` and ``--docx FIELD=VALUE`` like ``surveykit run`` and exits with its
    exit code (0 written, 1 a stage failed).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    script = sys.argv[0] if sys.argv and sys.argv[0] else "study.py"
    parser = argparse.ArgumentParser(prog=os.path.basename(script),
                                     description="Run this study and write its report.")
    parser.add_argument("--out", default=None, help="output folder (default report/<script>)")
    parser.add_argument("--lang", choices=LANGS, default=None, help="report language")
    parser.add_argument("--docx", action="append", default=None, metavar="FIELD=VALUE",
                        help="change the Word report's style, e.g. --docx east_asia=FangSong")
    args = parser.parse_args(argv)
    out = args.out or default_out(script)
    command = ["python", script, *argv]
    try:
        code = run_study(main, out=out, lang=args.lang, command=command, docx=args.docx)
    except SurveykitError as e:  # a bad --docx value: one line, no traceback
        parser.exit(2, f"error: {e}\n")
    sys.exit(code)
