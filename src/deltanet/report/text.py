"""The report's sections as plain text: what ``deltanet gradients``, ``complex`` and
``sheet`` print for task 26 and the tutorial task, so terminal and report say the
same words (built by :mod:`deltanet.report.task26` and :mod:`deltanet.report.tutorial`).
"""

import os
from pathlib import Path

from deltanet.i18n import catalogue
from deltanet.report.document import (Answer, Figure, Missing, Note, Num, Para, Steps,
                                      Table, plain_text)
from deltanet.report.markdown import rows_numeric

__all__ = ["part_text"]


def _cell(cell, lang):
    text = plain_text(cell.runs(lang) if isinstance(cell, Num) else cell, lang)
    return text.replace("\u00ad", "")         # soft hyphens are for HTML


def _table(table, lang):
    rows = [[_cell(h, lang) for h in table.header]] + [[_cell(c, lang) for c in row]
                                                       for row in table.rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(table.header))]
    right = [rows_numeric(table, i) for i in range(len(widths))]
    lines = ["  " + plain_text(table.caption, lang)] if table.caption else []
    for row in rows:
        lines.append("    " + "  ".join(c.rjust(w) if r else c.ljust(w)
                                        for c, w, r in zip(row, widths, right)).rstrip())
    return lines


def _block(block, text, lang, base):
    if isinstance(block, Para):
        return ["  " + plain_text(block.runs, lang)]
    if isinstance(block, Table):
        return _table(block, lang)
    if isinstance(block, Answer):
        return [text["answer"] + ":"] + [f"  - {plain_text(s, lang)}" for s in block.sentences]
    if isinstance(block, Figure):
        if base is None:            # no results folder given: no figures to name
            return []
        if not block.files:
            return [f"  {text['figure_missing']}: {block.name} ({text['produce_with']} "
                    f"{block.command})"]
        path = block.files.get("png") or block.files["svg"]
        return [f"  > {os.path.relpath(path, base)}: {plain_text(block.caption, lang)}"]
    if isinstance(block, Missing):
        return [f"  {text['missing']}: {plain_text(block.what, lang)} ({text['produce_with']} "
                f"{block.command})"]
    if isinstance(block, Note):
        return ["  " + ("! " if block.level == "warning" else "") + plain_text(block.runs, lang)]
    if isinstance(block, Steps):
        return [f"  {i}. {plain_text(item, lang)}" for i, item in enumerate(block.items, 1)]
    raise TypeError(f"cannot render block {block!r}")  # pragma: no cover


def part_text(part, results, out_dir=None, lang="en"):
    """The report's sections of ``part`` (``"gradients"``: task 26, ``"complex"``: the
    tutorial task) for the ``results`` dict, as plain text. Figures are looked up in
    ``out_dir`` (never drawn here; left out without ``out_dir``)."""
    from deltanet.report import task26, tutorial
    from deltanet.report.sources import Context, Loaded
    module = {"gradients": task26, "complex": tutorial}[part]
    folder = Path("." if out_dir is None else out_dir)
    text = catalogue(lang)
    ctx = Context(out_dir=folder, lang=lang, text=text, draw=False)
    sections = module.build(ctx, Loaded(folder / module.SUBDIR / "results.json", data=results))
    lines = [line for note in ctx.notes for line in _block(note, text, lang, out_dir)]
    for section in sections:
        lines += ["", f"{section.label} – {plain_text(section.title, lang)}",
                  f"{text['question']}: {plain_text(section.question, lang)}"]
        for block in section.blocks:
            lines += _block(block, text, lang, out_dir)
    body = "\n".join(lines).strip("\n").replace("\u00ad", "")
    return text[module.GROUP] + "\n" + body
