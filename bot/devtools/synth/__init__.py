"""Synthetic national-scale data for benchmarks and tests: ``python -m bot.devtools.synth``.

2,200 members in the 34 sectors, staff, handling units with contacts and bound groups; 60,000
proposals over ten years with realistic titles and bodies (texts.py), co-signers, units,
timelines, answers and evaluations (lifecycle.py: each record's dated steps up to the data's
"now"); 30,000 opinion leads; topics. Deterministic for a seed and a "now"; loaded with bulk
Core inserts (load.py), minutes at national scale.
"""

from bot.devtools.synth.load import SynthConfig, SynthError, SynthSummary, load

__all__ = ["SynthConfig", "SynthError", "SynthSummary", "load"]
