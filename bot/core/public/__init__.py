"""Public engagement on the board (公众参与): safety layer, submissions, review."""
