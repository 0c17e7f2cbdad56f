"""The sheet report: one self-contained HTML page and a Markdown file from stored results.

:func:`write_report` reads what ``deltanet sheet`` stored in a results folder
(``task25/``, ``gradients/``, ``complex/``) and writes ``report.html`` and
``report.md`` next to it. It never trains: every number in the report is read
from the stored JSON files, every figure is a stored figure file.

One section per part of the sheet (25a-c, 26a-c, the measured vanishing
gradients, tutorial a-d), each with the question, the figures, a table of the
key numbers and the answer computed from the data. Parts that were not run are
shown as gaps with the command that produces them; results from another
deltanet version are marked.

Examples
--------
>>> from deltanet.report import write_report
>>> path = write_report("deltanet-out", lang="de")      # doctest: +SKIP
>>> path.name                                           # doctest: +SKIP
'report.html'
"""

import datetime
import os
import platform
from pathlib import Path

import numpy as np

from deltanet import __version__
from deltanet.i18n import LANGUAGES, catalogue, check_lang
from deltanet.report import task25, task26, tutorial
from deltanet.report.document import Note, Report, Table, rich
from deltanet.report.html import render_html
from deltanet.report.markdown import render_markdown
from deltanet.report.sources import Context
from deltanet.serialization import atomic_write_text

__all__ = ["write_report", "build_report", "save_report", "report_paths", "LANGUAGES"]

PARTS = (task25, task26, tutorial)


def _check_dir(out_dir):
    out_dir = Path(out_dir)
    if not out_dir.exists():
        raise FileNotFoundError(
            f"results directory {str(out_dir)!r} does not exist; run "
            f"'deltanet sheet --out {out_dir}' first (it writes the results and the report)")
    if not out_dir.is_dir():
        raise NotADirectoryError(f"results directory {str(out_dir)!r} is not a directory")
    return out_dir


def build_report(out_dir, lang="en"):
    """The :class:`~deltanet.report.document.Report` for the results in ``out_dir``.

    Raises
    ------
    FileNotFoundError
        ``out_dir`` does not exist.
    ValueError
        ``lang`` is not one of :data:`LANGUAGES`.
    """
    check_lang(lang)
    out_dir = _check_dir(out_dir)
    text = catalogue(lang)
    ctx = Context(out_dir=out_dir, lang=lang, text=text)
    sections, groups = [], []
    for part in PARTS:
        part_sections = part.build(ctx)
        sections.extend(part_sections)
        groups.append((part.group_title(ctx), [s.id for s in part_sections]))

    now = datetime.datetime.now().astimezone()
    report = Report(lang=lang, title=text["title"], generated=now.strftime("%Y-%m-%d %H:%M %Z"),
                    sections=sections, groups=groups)
    report.header = _header(ctx, now)
    report.experiments = _experiments_table(ctx)
    lang_option = "" if lang == "en" else f" --lang {lang}"
    report.reproduce = ([f"deltanet sheet --out {ctx.out_arg}{lang_option}"]
                        + [f"# {text['reproduce_parts']}"] + ctx.commands
                        + [f"deltanet report {ctx.out_arg}{lang_option}"])
    report.notes = _version_notes(ctx) + ctx.notes
    try:
        report.explorer = _explorer(out_dir, lang, groups[0][1])
    except (ValueError, KeyError, TypeError) as exc:    # a foreign layout: say so, go on
        report.notes.append(Note(rich(text["note_explorer"], lang, problem=str(exc)), "warning"))
    if ctx.quick:
        report.notes.append(Note(rich(text["note_quick"], lang, parts=", ".join(ctx.quick),
                                      out=str(out_dir)), "warning"))
    missing = [s for s in sections if not s.complete]
    if missing:
        report.notes.append(Note(rich(text["note_incomplete"], lang,
                                      parts=", ".join(s.label for s in missing)), "warning"))
    return report


def _explorer(out_dir, lang, task25_ids):
    """``(last task-25 section id, explorer section)`` of the stored runs, or None."""
    from deltanet.report.explorer import explorer_section, stored_records
    records = [r for r in stored_records(out_dir) if r["history"]["epochs_completed"] > 0]
    if not records or not task25_ids:
        return None
    return task25_ids[-1], explorer_section(records, lang=lang)


def _header(ctx, now):
    lang, t = ctx.lang, ctx.text
    header = [
        (t["h_date"], [("text", now.strftime("%Y-%m-%d %H:%M"))]),
        (t["h_results"], [("code", str(ctx.out_dir.resolve()))]),
        (t["h_version"], rich(t["h_version_value"], lang, version=__version__,
                              numpy=np.__version__, python=platform.python_version())),
    ]
    cpus = sorted(set(ctx.machines.values()))
    if cpus:
        header.append((t["h_machine"], rich(t["h_machine_value"], lang,
                                            cpus=", ".join(str(c) for c in cpus),
                                            system=platform.system())))
    else:
        header.append((t["h_machine"], rich(t["h_machine_here"], lang, cpus=os.cpu_count() or 0,
                                            system=platform.system())))
    seeds = [f"{part}: {value}" for part, value in ctx.seeds.items()]
    header.append((t["h_seeds"], [("text", "; ".join(seeds) if seeds else "–")]))
    return header


def _experiments_table(ctx):
    if not ctx.experiments:
        return None
    t = ctx.text
    return Table(header=[[("text", t[k])] for k in
                         ("x_experiment", "x_config", "x_seeds", "x_wall", "x_written")],
                 rows=ctx.experiments, css_class="experiments")


def _version_notes(ctx):
    notes = []
    for part, version in ctx.versions.items():
        if version != __version__:
            notes.append(Note(ctx.rich("note_version", part=part, found=version,
                                   current=__version__, out=str(ctx.out_dir)), "warning"))
    return notes


def write_report(out_dir, lang="en"):
    """Write the report (:func:`report_paths`) from stored results.

    Parameters
    ----------
    out_dir : str or path-like
        The results folder of ``deltanet sheet --out DIR``.
    lang : {"en", "de"}
        Language of all headings, labels, answers and figures (missing
        figures in that language are drawn from the stored results).

    Returns
    -------
    pathlib.Path
        The path of ``report.html``.

    Raises
    ------
    FileNotFoundError
        ``out_dir`` does not exist.
    ValueError
        ``lang`` is not supported.
    """
    return save_report(build_report(out_dir, lang), out_dir)


def report_paths(out_dir, lang="en"):
    """``(report.html, report.md)`` for English, ``report.<lang>.html|md`` otherwise:
    the languages' reports sit side by side."""
    name = "report" if check_lang(lang) == "en" else f"report.{lang}"
    return Path(out_dir) / f"{name}.html", Path(out_dir) / f"{name}.md"


def save_report(report, out_dir):
    """Write a built report as HTML and Markdown (:func:`report_paths`); return the HTML path."""
    text = catalogue(report.lang)
    html_path, md_path = report_paths(out_dir, report.lang)
    atomic_write_text(html_path, render_html(report, text))
    atomic_write_text(md_path, render_markdown(report, text, Path(out_dir)))
    _readable(html_path, md_path)
    return html_path


def _readable(*paths):
    """Give the report the usual file mode (atomic writes create files as 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    for path in paths:
        os.chmod(path, 0o666 & ~umask)
