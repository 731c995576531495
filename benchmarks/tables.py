"""Fixed-width plain-text tables and the number formats the report uses."""

from __future__ import annotations

import math
from collections.abc import Sequence

Cell = str | int | float | None


def fmt(value: Cell, digits: int = 1) -> str:
    """A number with `digits` decimals (thousands separated), '-' for missing or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def ratio(ours: object, base: object) -> str:
    """ours / base as '0.42x', '-' unless both are finite numbers and base is non-zero."""
    numbers = (int, float)
    if isinstance(ours, bool) or isinstance(base, bool):
        return "-"
    if not isinstance(ours, numbers) or not isinstance(base, numbers):
        return "-"
    if not base or not math.isfinite(ours) or not math.isfinite(base):
        return "-"
    return f"{ours / base:.2f}x"


def render(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]], left: Sequence[int] = (0,)
) -> str:
    """A table with a title; columns in `left` left-aligned, the others right-aligned."""
    text = [[h for h in headers]] + [[fmt(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in text) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i in left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(text[0]), rule, *(line(row) for row in text[1:])]
    return "\n".join([title, "=" * len(title), *body, ""])
