"""Records: the kinds (提案 / 社情民意 / 议题), the numbers members type (``17``, ``2025-17``),
numbering from a counter row, the timeline, the one way to change a record (RecordService.change,
checked by the state machine) and the change hooks that follow each commit."""
