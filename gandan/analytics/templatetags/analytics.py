"""Template helpers for analytics: a pivot row's cells, rendered in one pass.

A province by year is thousands of cells; rendering each through the template engine (or
``format_html``) takes seconds, so a row's ``<td>``s are built here with the standard
library's ``html.escape``.
"""

from collections.abc import Sequence
from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from gandan.analytics.grid import Cell

register = template.Library()


@register.filter
def pivot_cells(cells: Sequence[Cell], sources_url: str = "") -> SafeString:
    """``<td class="num …" data-value="1200" data-qualifier="exact">1.200</td>`` per cell; a
    figure made with paper totals links to the list of its sources."""
    html = []
    for c in cells:
        classes = "num" + ("" if c.figure.has_data else " empty") + (" total" if c.total else "")
        text = escape(c.text)
        if c.has_papers and sources_url:
            href = escape(f"{sources_url}&cell={c.key}")
            text += (
                f' <a class="sources" href="{href}" hx-get="{href}" hx-target="#sources" '
                f'title="Nguồn số liệu">ⓘ</a>'
            )
        html.append(
            f'<td class="{classes}" data-value="{c.figure.value:f}" '
            f'data-qualifier="{escape(c.figure.qualifier)}">{text}</td>'
        )
    return mark_safe("".join(html))  # noqa: S308 - every part is escaped above


@register.simple_tag
def pivot_link(page: str, results: str, query: str, label: str) -> SafeString:
    """A link that loads the pivot for ``query`` into ``#pivot``, and works without htmx."""
    return format_html(
        '<a href="{}?{}" hx-get="{}?{}" hx-target="#pivot">{}</a>',
        page,
        query,
        results,
        query,
        label,
    )
