"""The weekly report as Markdown (CommonMark with GFM tables) for a mail or a Teams message.

Tables are pipe tables; cell text is escaped so a ``|`` or ``*`` in a title cannot break the
layout. Flagged rows (late, overdue) get a ⚠ in front, since Markdown has no row colours;
emphasised rows (the next step of a route) are bold, without the ⚠.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from hecht_tracker.render.report.layout import Bullets, Facts, Paragraph, Table

if TYPE_CHECKING:
    from hecht_tracker.render.report.document import Document
    from hecht_tracker.render.report.model import WeeklyReport

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&])")


def escape(text: str) -> str:
    """Text as literal Markdown: specials backslash-escaped, newlines as spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(report: WeeklyReport) -> str:
    from hecht_tracker.render.report.document import weekly_document

    return render_document(weekly_document(report))


def render_document(document: Document) -> str:
    """Any report as Markdown."""
    lines = [f"# {escape(document.title)}", "", f"_Gemaakt op {escape(document.made_on)}._"]
    for section in document.sections:
        lines += ["", f"## {escape(section.title)}"]
        for block in section.blocks:
            lines += ["", *_block(block)]
    lines += [
        "",
        "---",
        "",
        f"_{escape(document.organisation)} — {escape(document.short_title)}_",
    ]
    return "\n".join(lines) + "\n"


def _block(block: Paragraph | Facts | Bullets | Table) -> list[str]:
    if isinstance(block, Paragraph):
        text = escape(block.text)
        return [f"**{text}**" if block.strong else text]
    if isinstance(block, Facts):
        return [f"- **{escape(label)}:** {escape(value)}" for label, value in block.pairs]
    if isinstance(block, Bullets):
        head = [f"**{escape(block.heading)}**", ""] if block.heading else []
        return head + [f"- {escape(item)}" for item in block.items]
    out = [f"**{escape(block.caption)}**", ""] if block.caption else []
    out.append("| " + " | ".join(escape(c.header) for c in block.columns) + " |")
    out.append(
        "| " + " | ".join("---:" if c.align == "right" else "---" for c in block.columns) + " |"
    )
    for index, cells in enumerate(block.rows):
        shown = [escape(cell) for cell in cells]
        if index < len(block.emphasised) and block.emphasised[index]:
            shown = [f"**{cell}**" if cell else cell for cell in shown]
        if index < len(block.flagged) and block.flagged[index]:
            shown[0] = f"⚠ {shown[0]}"
        out.append("| " + " | ".join(shown) + " |")
    return out
