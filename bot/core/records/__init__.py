"""Records: the kinds (提案 / 社情民意 / 议题), the numbers members type (``17``, ``2025-17``),
numbering from a counter row, the timeline, and the one service that changes a record."""
