"""Render a :class:`~deltanet.report.document.Report` as one self-contained HTML page.

The stylesheet and the figures (``data:`` URIs, SVG preferred) are in the file;
a Content-Security-Policy forbids every external resource and every script but
the explorer's (allowed by its hash), so the page makes no request. All text
goes through :func:`html.escape`.
"""

import base64
import html

from deltanet.report.document import (Answer, Figure, Missing, Note, Num, Para,
                                      Steps, Table, plain_text, render)
from deltanet.report.explorer import ANCHOR, script_hash

__all__ = ["render_html", "CSP"]

CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
       f"script-src {script_hash()}")

STYLE = """
:root { --ink: #1d2430; --muted: #5b6472; --line: #d5dae1; --accent: #1f5f99;
        --answer: #eef5ec; --answer-line: #4c8a3f; --gap: #fdf0e6; --gap-line: #c76b1d; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem 2rem 4rem; color: var(--ink);
       font-family: "DejaVu Sans", "Liberation Sans", "Segoe UI", Helvetica, Arial, sans-serif;
       line-height: 1.5; background: #fff; }
h1 { font-size: 1.9rem; margin: 0.2rem 0 0.3rem; }
h2 { font-size: 1.45rem; margin: 0 0 0.6rem; padding-bottom: 0.2rem;
     border-bottom: 2px solid var(--accent); }
h2 .label { color: var(--accent); margin-right: 0.4rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; color: var(--muted); text-transform: uppercase;
     letter-spacing: 0.04em; }
.subtitle { color: var(--muted); margin: 0 0 1.2rem; }
header.report { border-bottom: 1px solid var(--line); margin-bottom: 1.5rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1.2rem; margin: 0 0 1rem; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
code, pre { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace; font-size: 0.88em; }
code { background: #f3f5f7; padding: 0.05rem 0.25rem; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 0.6rem 0.8rem;
      overflow-x: auto; white-space: pre-wrap; }
pre code { background: none; padding: 0; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.88rem; }
p.caption { color: var(--muted); font-size: 0.9rem; margin: 0.5rem 0 -0.25rem; break-after: avoid; }
th, td { border-bottom: 1px solid var(--line); padding: 0.28rem 0.55rem; text-align: left;
         vertical-align: top; }
th { border-bottom: 2px solid var(--ink); vertical-align: bottom; font-size: 0.95em; }
table.experiments td:nth-child(4), table.experiments td:nth-child(5) { white-space: nowrap; }
table.experiments td:nth-child(2) { font-size: 0.95em; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #fafbfc; }
.question { font-style: italic; margin: 0 0 0.8rem; padding-left: 0.8rem;
            border-left: 3px solid var(--line); }
.question strong { font-style: normal; }
figure { margin: 0.8rem 0 1.2rem; text-align: center; break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 0.3rem; }
.answer { background: var(--answer); border-left: 4px solid var(--answer-line); padding: 0.6rem 1rem;
          margin: 1rem 0; break-inside: avoid; }
.answer p { margin: 0.25rem 0; }
.answer .tag { font-weight: bold; color: var(--answer-line); }
.missing { background: var(--gap); border: 1px dashed var(--gap-line); padding: 0.6rem 1rem;
           margin: 0.8rem 0; }
.missing .tag { font-weight: bold; color: var(--gap-line); }
.note { border-left: 4px solid var(--accent); background: #eef3f9; padding: 0.4rem 0.8rem; margin: 0.5rem 0; }
.note.warning { border-left-color: var(--gap-line); background: var(--gap); }
nav.toc ol { columns: 2 18rem; column-gap: 2.5rem; margin: 0.3rem 0 1rem; }
nav.toc .gap { color: var(--gap-line); }
section.task { padding-top: 1.5rem; margin-top: 1rem; }
.group-title { font-size: 1.1rem; color: var(--muted); margin: 2.5rem 0 0; }
.status { font-size: 0.8rem; font-weight: normal; padding: 0.05rem 0.45rem; border-radius: 3px;
          vertical-align: middle; margin-left: 0.5rem; background: var(--gap); color: var(--gap-line);
          border: 1px solid var(--gap-line); }
sub, sup { font-size: 0.75em; line-height: 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  nav.toc { break-after: page; }
  section.task { break-before: page; padding-top: 0; margin-top: 0; }
  .group-title { display: none; }
  figure, table, .answer, .missing, pre { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 8.5pt; }
  h2, h3 { break-after: avoid; }
  figure img { max-height: 120mm; width: auto; }
  a { color: inherit; text-decoration: none; }
  tbody tr:nth-child(even) { background: none; }
}
"""


def esc(text):
    return html.escape(str(text), quote=True)


def num_span(num, shown, tag="span"):
    """A number as shown, with its stored value and source for tests."""
    attrs = f' class="num" data-value="{esc(repr(num.value))}" data-kind="{esc(num.kind)}"'
    if num.key:
        attrs += f' data-key="{esc(num.key)}"'
    return f"<{tag}{attrs}>{shown}</{tag}>"


MARKS = {"text": esc, "num": num_span, "strong": lambda inner: f"<strong>{inner}</strong>",
         **{kind: lambda v, kind=kind: f"<{kind}>{esc(v)}</{kind}>"
            for kind in ("sup", "sub", "code")}}


def render_runs(runs, lang):
    return render(runs, lang, MARKS)


def render_table(table, lang):
    cls = f' class="{esc(table.css_class)}"' if table.css_class else ""
    # the caption above the scrolling box: a <caption> is as wide as its table, so on
    # a narrow screen its lines were cut at the window's edge
    parts = [f'<p class="caption">{render_runs(table.caption, lang)}</p>'] if table.caption else []
    parts.append(f'<div class="table-wrap"><table{cls}>')
    parts.append("<thead><tr>" + "".join(f'<th scope="col">{render_runs(h, lang)}</th>'
                                         for h in table.header) + "</tr></thead><tbody>")
    for row in table.rows:
        parts.append("<tr>" + "".join(num_span(c, render_runs(c.runs(lang), lang), "td")
                                      if isinstance(c, Num)
                                      else f"<td>{render_runs(c, lang)}</td>" for c in row)
                     + "</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def render_block(block, text, lang):
    if isinstance(block, Para):
        return f"<p>{render_runs(block.runs, lang)}</p>"
    if isinstance(block, Table):
        return render_table(block, lang)
    if isinstance(block, Answer):
        body = "".join(f"<p>{render_runs(s, lang)}</p>" for s in block.sentences)
        return (f'<div class="answer"><p class="tag">{esc(text["answer"])}</p>{body}</div>')
    if isinstance(block, Figure):
        caption = render_runs(block.caption, lang)
        if not block.files:
            return (f'<div class="missing figure-missing"><p><span class="tag">'
                    f'{esc(text["figure_missing"])}:</span> {esc(block.name)} – {caption}</p>'
                    f'<p>{esc(text["produce_with"])} <code>{esc(block.command)}</code></p></div>')
        fmt = "svg" if "svg" in block.files else "png"         # SVG if stored
        data = base64.b64encode(block.files[fmt].read_bytes()).decode("ascii")
        uri = f"data:image/{'svg+xml' if fmt == 'svg' else 'png'};base64,{data}"
        alt = esc(plain_text(block.caption, lang))
        return (f'<figure><img src="{uri}" alt="{alt}" '
                f'data-name="{esc(block.name)}"><figcaption>{caption}</figcaption></figure>')
    if isinstance(block, Missing):
        return (f'<div class="missing"><p><span class="tag">{esc(text["missing"])}:</span> '
                f'{render_runs(block.what, lang)}</p>'
                f'<p>{esc(text["produce_with"])} <code>{esc(block.command)}</code></p></div>')
    if isinstance(block, Note):
        return f'<p class="note {esc(block.level)}">{render_runs(block.runs, lang)}</p>'
    if isinstance(block, Steps):
        return ('<ol class="steps">' + "".join(f"<li>{render_runs(item, lang)}</li>"
                                               for item in block.items) + "</ol>")
    raise TypeError(f"cannot render block {block!r}")  # pragma: no cover


def render_html(report, text):
    """The complete page as a string; ``text`` is the language's text table."""
    lang = report.lang
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="deltanet">',
        f"<title>{esc(report.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        '<header class="report">',
        f"<h1>{esc(report.title)}</h1>",
        f'<p class="subtitle">{esc(text["subtitle"])}</p>',
        '<dl class="meta">',
    ]
    for label, runs in report.header:
        out.append(f"<dt>{esc(label)}</dt><dd>{render_runs(runs, lang)}</dd>")
    out.append("</dl>")
    if report.reproduce:
        out.append(f'<h3>{esc(text["reproduce"])}</h3>')
        out.append("<pre><code>" + esc("\n".join(report.reproduce)) + "</code></pre>")
    if report.experiments is not None:
        out.append(f'<h3>{esc(text["experiments"])}</h3>')
        out.append(render_table(report.experiments, lang))
    for note in report.notes:
        out.append(render_block(note, text, lang))
    out.append("</header>")

    out.append(f'<nav class="toc"><h3>{esc(text["contents"])}</h3><ol>')
    for section in report.sections:
        gap = "" if section.complete else f' <span class="gap">({esc(text["incomplete"])})</span>'
        out.append(f'<li><a href="#{esc(section.id)}">{esc(section.label)} – '
                   f'{render_runs(section.title, lang)}</a>{gap}</li>')
        if report.explorer and report.explorer[0] == section.id:
            out.append(f'<li><a href="#{ANCHOR}">{esc(text["dx_title"])}</a></li>')
    out.append("</ol></nav>")

    for section in report.sections:
        group = next((title for title, ids in report.groups if ids[:1] == [section.id]), None)
        if group:           # before the group's first section
            out.append(f'<p class="group-title">{esc(group)}</p>')
        status = "" if section.complete else f'<span class="status">{esc(text["incomplete"])}</span>'
        out.append(f'<section class="task" id="{esc(section.id)}" '
                   f'data-complete="{str(section.complete).lower()}">')
        out.append(f'<h2><span class="label">{esc(section.label)}</span>'
                   f'{render_runs(section.title, lang)}{status}</h2>')
        out.append(f'<p class="question"><strong>{esc(text["question"])}:</strong> '
                   f'{render_runs(section.question, lang)}</p>')
        for block in section.blocks:
            out.append(render_block(block, text, lang))
        out.append("</section>")
        if report.explorer and report.explorer[0] == section.id:
            out.append(report.explorer[1])

    out.append(f'<footer><p>{esc(text["footer"])} {esc(report.generated)}</p></footer>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
