"""The public progress board's read model (办理进度公开): what the web pages show, as plain data.

Framework-free (no nonebot, no fastapi): queries over records, assignments, answers,
evaluations and the timeline that return the dataclasses in :mod:`bot.core.board.views`.
What the public may see is decided in ONE place, :mod:`bot.core.board.visibility`:

- only proposals (提案) that were filed (立案 and later, 并案 included, as 统计 counts them);
  never one submitted privately, withdrawn, rejected or still under review;
- only the public steps of their timeline, each retold from what it recorded (internal notes,
  会办 opinions, 附议 and staff names are never shown; a member's evaluation shows its result,
  not the opinion written with it);
- opinion leads (社情民意) only as counts; never a QQ number (names that are one are replaced).

The figures on the home page come from ``services.stats`` (the same functions as 统计).
"""

from bot.core.board.service import BoardService
from bot.core.board.views import ListFilters

__all__ = ["BoardService", "ListFilters"]
