"""`make demo` / `python -m bot.devtools.demo`: the real bot plays a day in the groups over the
OneBot simulator and prints the conversation (see runner.py; the day itself is day.py)."""

from bot.devtools.demo.runner import DemoResult, play, report

__all__ = ["DemoResult", "play", "report"]
