"""Render a :class:`~deltanet.report.document.Report` as Markdown (``report.md``).

Same content as the HTML page. Figures are linked by their path relative to
the results directory (PNG preferred), so the file renders next to its
figures, e.g. on a Git hosting site. Text is escaped for Markdown; sub- and
superscripts use ``<sub>``/``<sup>``, which common renderers accept.
"""

import os
import re

from deltanet.report.document import (Answer, Figure, Missing, Note, Num, Para, Steps, Table,
                                      render)

__all__ = ["render_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text):
    return _SPECIAL.sub(r"\\\1", str(text))


def md_code(text):
    text = str(text)
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


MARKS = {"text": md_escape, "code": md_code, "num": lambda num, shown: shown,
         "strong": lambda inner: f"**{inner}**",
         **{kind: lambda v, kind=kind: f"<{kind}>{md_escape(v)}</{kind}>"
            for kind in ("sup", "sub")}}


def md_runs(runs, lang):
    return render(runs, lang, MARKS).replace("\n", " ")


def md_table(table, lang):
    lines = [f"*{md_runs(table.caption, lang)}*", ""] if table.caption else []
    lines.append("| " + " | ".join(md_runs(h, lang) for h in table.header) + " |")
    lines.append("|" + "|".join(" ---: " if rows_numeric(table, i) else " --- "
                                for i in range(len(table.header))) + "|")
    for row in table.rows:
        cells = (md_runs([("num", c)] if isinstance(c, Num) else c, lang) for c in row)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def rows_numeric(table, column):
    return bool(table.rows) and all(isinstance(row[column], Num) for row in table.rows)


def md_block(block, text, lang, base):
    if isinstance(block, Para):
        return md_runs(block.runs, lang)
    if isinstance(block, Table):
        return md_table(block, lang)
    if isinstance(block, Answer):
        return "\n>\n".join([f"> **{md_escape(text['answer'])}**"]
                             + [f"> {md_runs(sentence, lang)}" for sentence in block.sentences])
    if isinstance(block, Figure):
        caption = md_runs(block.caption, lang)
        if not block.files:
            return (f"> **{md_escape(text['figure_missing'])}:** {md_escape(block.name)} – {caption}  \n"
                    f"> {md_escape(text['produce_with'])} {md_code(block.command)}")
        path = block.files.get("png") or block.files["svg"]
        rel = os.path.relpath(path, base).replace(os.sep, "/")
        return f"![{caption}]({rel.replace(' ', '%20')})\n\n*{caption}*"
    if isinstance(block, Missing):
        return (f"> **{md_escape(text['missing'])}:** {md_runs(block.what, lang)}  \n"
                f"> {md_escape(text['produce_with'])} {md_code(block.command)}")
    if isinstance(block, Note):
        mark = "⚠ " if block.level == "warning" else ""
        return f"> {mark}{md_runs(block.runs, lang)}"
    if isinstance(block, Steps):
        return "\n".join(f"{i}. {md_runs(item, lang)}" for i, item in enumerate(block.items, 1))
    raise TypeError(f"cannot render block {block!r}")  # pragma: no cover


def render_markdown(report, text, base):
    """The report as Markdown; figure links are relative to ``base``."""
    lang = report.lang
    out = [f"# {md_escape(report.title)}", "", f"*{md_escape(text['subtitle'])}*", ""]
    for label, runs in report.header:
        out.append(f"- **{md_escape(label)}:** {md_runs(runs, lang)}")
    out.append("")
    if report.reproduce:
        out += [f"**{md_escape(text['reproduce'])}**", "", "```bash", *report.reproduce, "```", ""]
    if report.experiments is not None:
        out += [f"**{md_escape(text['experiments'])}**", "", md_table(report.experiments, lang), ""]
    for note in report.notes:
        out += [md_block(note, text, lang, base), ""]
    out += [f"## {md_escape(text['contents'])}", ""]
    for section in report.sections:
        gap = "" if section.complete else f" ({md_escape(text['incomplete'])})"
        out.append(f"- [{md_escape(section.label)} – {md_runs(section.title, lang)}](#{section.id}){gap}")
    out.append("")
    for section in report.sections:
        status = "" if section.complete else f" ({md_escape(text['incomplete'])})"
        out += [f'<a id="{section.id}"></a>', "",
                f"## {md_escape(section.label)} – {md_runs(section.title, lang)}{status}", "",
                f"**{md_escape(text['question'])}:** *{md_runs(section.question, lang)}*", ""]
        for block in section.blocks:
            out += [md_block(block, text, lang, base), ""]
    out += ["---", "", f"*{md_escape(text['footer'])} {md_escape(report.generated)}*", ""]
    return "\n".join(out)
