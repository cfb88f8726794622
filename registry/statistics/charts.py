"""The statistics' charts as SVG (pygal, with no script): a chart per table, years (or
months) along the bottom, a title and labels in the visitor's language. Each is served as an
image beside its table, which is what a screen reader reads."""

from __future__ import annotations

import math
from collections import defaultdict

import pygal
from flask_babel import gettext as _
from pygal.etree import etree  # lxml's or the standard library's, as pygal chose
from pygal.style import Style

from registry.statistics.figures import TABLES
from registry.vocab import SANCTION_TYPES

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#666",
    colors=("#103c5a", "#b45309", "#9b1c1c", "#4d7c0f", "#6b21a8", "#0e7490", "#555"),
    font_family="system-ui, sans-serif",
)


def _by_year(rows: list[list], columns: tuple[str, ...]) -> tuple[list, dict]:
    """Rows of several countries summed by year (the first two columns: country, year)."""
    sums: dict = defaultdict(lambda: defaultdict(float))
    for row in rows:
        for name, value in zip(columns[2:], row[2:], strict=True):
            sums[row[1]][name] += value or 0
    years = sorted(sums)[-10:]
    return years, {c: [sums[y][c] for y in years] for c in columns[2:]}


def _chart(kind, title: str, labels: list, series: list[tuple[str, list]]) -> str:
    chart = kind(
        title=title,
        style=STYLE,
        js=(),
        width=640,
        height=360,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        print_values=False,
        show_y_guides=True,
        x_label_rotation=0,
        no_data_text=_("No figures yet"),
        truncate_legend=-1,
    )
    chart.x_labels = [str(label) for label in labels]
    if kind is pygal.StackedBar:
        tallest = max((sum(v[i] or 0 for _n, v in series) for i in range(len(labels))), default=0)
    else:
        tallest = max((x or 0 for _n, v in series for x in v), default=0)
    step = max(1, math.ceil(tallest / 5))  # whole numbers: these are counts
    chart.y_labels = list(range(0, int(tallest) + step + 1, step))
    for name, values in series:
        chart.add(name, values)
    return _without_scripts(chart.render_tree())


def _without_scripts(tree) -> str:
    """pygal always writes a small configuration script for its optional tooltips; a chart
    here is an image and needs none (and an image would not run it)."""
    for parent in tree.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + etree.tostring(tree, encoding="unicode")


def render(name: str, data: dict, labels: dict[str, str]) -> str:
    """The chart of table `name`; `labels` names each column in the visitor's language."""
    rows = data.get(name, [])
    if name == "lookups":
        months = [r for r in rows][:12][::-1]
        series = [
            (labels[c], [r[i] for r in months])
            for i, c in enumerate(TABLES["lookups"][2:], start=2)
        ]
        return _chart(pygal.StackedBar, labels["title"], [r[0] for r in months], series)
    if name == "red_flags":  # by year, every category together
        rows = [[r[0], r[1], *r[3:7]] for r in rows]
        shown = ("received", "substantiated", "unsubstantiated", "referred")
        years, sums = _by_year(rows, ("country", "year", *shown))
        return _chart(pygal.Bar, labels["title"], years, [(labels[c], sums[c]) for c in shown])
    if name == "placements":  # by year, every destination together
        rows = [[r[0], r[1], *r[3:6]] for r in rows]
        years, sums = _by_year(rows, ("country", "year", "women", "men", "unspecified"))
        series = [(labels[c], sums[c]) for c in ("women", "men", "unspecified")]
        return _chart(pygal.StackedBar, labels["title"], years, series)
    years, sums = _by_year(rows, TABLES[name])
    if name == "sanctions":
        series = [(labels[t], sums[t]) for t in SANCTION_TYPES]
        return _chart(pygal.StackedBar, labels["title"], years, series)
    shown = {
        "licences": ("licensed_at_year_end", "issued", "lapsed"),
        "oversight": ("findings", "inspections", "monitoring_visits"),
    }[name]
    return _chart(pygal.Bar, labels["title"], years, [(labels[c], sums[c]) for c in shown])
