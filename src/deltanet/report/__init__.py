"""The sheet report: one self-contained HTML page and a Markdown file from stored results.

:func:`write_report` reads what ``deltanet sheet`` stored in a results folder
(``task25/``, ``gradients/``, ``complex/``) and writes ``report.html`` and
``report.md`` next to it; it never trains. One section per part of the sheet,
with the question, figures, key numbers and the answer computed from the data;
parts not run are gaps naming the command that produces them.

>>> write_report("deltanet-out", lang="de").name        # doctest: +SKIP
'report.de.html'
"""

import datetime
import os
import platform
from pathlib import Path

import numpy as np

from deltanet import __version__
from deltanet.i18n import catalogue
from deltanet.report import task25, task26, tutorial
from deltanet.report.document import Report, Table
from deltanet.report.html import render_html
from deltanet.report.markdown import render_markdown
from deltanet.report.sources import Context, sheet_command
from deltanet.serialization import atomic_write_text, command

__all__ = ["write_report", "build_report", "save_report", "check_results_folder"]

PARTS = (task25, task26, tutorial)


def build_report(out_dir, lang="en"):
    """The :class:`~deltanet.report.document.Report` for the results in ``out_dir``
    (``FileNotFoundError`` if it does not exist)."""
    text = catalogue(lang)              # (ValueError for an unknown language)
    out_dir = Path(out_dir)
    if not out_dir.exists():
        raise FileNotFoundError(
            f"results directory {str(out_dir)!r} does not exist; run "
            f"'{command('sheet', '--out', out_dir)}' first (it writes the results and the report)")
    if not out_dir.is_dir():
        raise NotADirectoryError(f"results directory {str(out_dir)!r} is not a directory")
    check_results_folder(out_dir, "report")
    ctx = Context(out_dir=out_dir, lang=lang, text=text)
    built = [(part, part.build(ctx)) for part in PARTS]
    sections = [section for _, part_sections in built for section in part_sections]
    groups = [(text[part.GROUP], [s.id for s in part_sections]) for part, part_sections in built]

    now = datetime.datetime.now().astimezone()
    report = Report(lang=lang, title=text["title"], generated=now.strftime("%Y-%m-%d %H:%M %Z"),
                    sections=sections, groups=groups, header=_header(ctx, now))
    if ctx.experiments:
        columns = ("x_experiment", "x_config", "x_seeds", "x_wall", "x_written")
        report.experiments = Table(header=[ctx.rich(k) for k in columns],
                                   rows=ctx.experiments, css_class="experiments")
    lang_option = "" if lang == "en" else f" --lang {lang}"
    whole = None if ctx.run_set else sheet_command(ctx)
    sheet = [f"{whole}{lang_option}", f"# {text['reproduce_parts']}"] if whole else []
    report.reproduce = sheet + ctx.commands + [f"deltanet report {ctx.out_arg}{lang_option}"]
    report.notes = [ctx.warning("note_version", part=part, found=version, current=__version__,
                                out=str(out_dir))
                    for part, version in ctx.versions.items() if version != __version__]
    report.notes += ctx.notes
    try:        # the explorer of the stored runs, after the last task-25 section
        from deltanet.report.explorer import ANCHOR, explorer_section, sweep_records
        left_out = {}
        records = [r for r in ctx.runs + sweep_records(out_dir, left_out)
                   if r["history"]["epochs_completed"] > 0]
        if records and groups[0][1]:
            report.explorer = groups[0][1][-1], explorer_section(records, lang=lang,
                                                                        anchor=ANCHOR)
        report.notes += [ctx.warning("note_explorer_run", problem=problem)
                         for problem in left_out.values()]
        ctx.damaged.update(left_out)
    except (ValueError, KeyError, TypeError) as exc:    # a foreign layout: say so, go on
        report.notes.append(ctx.warning("note_explorer", problem=str(exc)))
    if ctx.quick:
        report.notes.append(ctx.warning("note_quick_set" if ctx.run_set else "note_quick",
                                        parts=", ".join(ctx.quick),
                                        out=f"{ctx.out_arg}{lang_option}"))
    missing = [s.label for s in sections if not s.complete]
    if missing:
        report.notes.append(ctx.warning("note_incomplete", parts=", ".join(missing)))
    report.damaged = list(ctx.damaged.values())
    return report


def check_results_folder(out_dir, *words):
    """Refuse one part's folder (``OUT/task25``, ``OUT/gradients``, ``OUT/complex``) given
    for a results folder ``OUT``, naming the command ``deltanet WORDS OUT`` instead."""
    out_dir, parts = Path(out_dir), {part.SUBDIR for part in PARTS}
    if out_dir.name in parts and (out_dir / "results.json").is_file() \
            and not any((out_dir / name).is_dir() for name in parts):
        raise ValueError(f"{out_dir} is the {out_dir.name} part of the results folder "
                         f"{out_dir.parent}; give that folder: "
                         f"'{command(*words, out_dir.parent)}'")


def _header(ctx, now):
    t, cpus = ctx.text, sorted(set(ctx.machines.values()))
    seeds = "; ".join(f"{part}: {value}" for part, value in ctx.seeds.items()) or "–"
    machine = (ctx.rich("h_machine_value", cpus=", ".join(str(c) for c in cpus),
                        system=platform.system()) if cpus else
               ctx.rich("h_machine_here", cpus=os.cpu_count() or 0, system=platform.system()))
    return [(t["h_date"], [("text", now.strftime("%Y-%m-%d %H:%M"))]),
            (t["h_results"], [("code", str(ctx.out_dir.resolve()))]),
            (t["h_version"], ctx.rich("h_version_value", version=__version__,
                                      numpy=np.__version__, python=platform.python_version())),
            (t["h_machine"], machine),
            (t["h_seeds"], [("text", seeds)])]


def write_report(out_dir, lang="en"):
    """Write the report of the results folder ``out_dir`` in ``lang`` (figures missing
    in that language are drawn from the stored results); return the HTML page's path."""
    return save_report(build_report(out_dir, lang), out_dir)


def save_report(report, out_dir):
    """Write a built report as ``report.html`` and ``report.md`` (English) or
    ``report.<lang>.html|md`` (the languages' reports sit side by side); return
    the HTML path."""
    text = catalogue(report.lang)
    name = "report" if report.lang == "en" else f"report.{report.lang}"
    html_path, md_path = Path(out_dir) / f"{name}.html", Path(out_dir) / f"{name}.md"
    atomic_write_text(html_path, render_html(report, text))
    atomic_write_text(md_path, render_markdown(report, text, Path(out_dir)))
    return html_path
