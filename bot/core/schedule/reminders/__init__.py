"""Reminders, from one periodic sweep over the database (not one job per deadline).

Rules (working days follow the county's calendar, bot/core/schedule/workdays.py):

- **Deadlines** (承办单位): the unit's contacts are reminded one-to-one (and in the 承办单位群, with
  an @; for a privately submitted proposal the group reads only the @ and a pointer to the private
  message, never the title) 14, 7, 3 and 1 working days before the answer is due — key proposals (重点提案) also at 30 —
  and every 3 working days once it is overdue (the 1st, 4th, 7th… overdue working day). A stage is
  skipped when the assignment was made inside it (a unit given 5 working days is not told "7 days
  left"), and only the latest due stage is sent when several were missed (the bot was down).
- **Escalation**: overdue assignments are reported to the staff group once a week (each item once
  per ISO week; the first sweep of the week lists them all, later ones only newly overdue items).
- **Evaluation** (评价): the lead proposer is asked to evaluate when the answer arrives (by the
  workflow, with the answer itself); the sweep reminds them after 5 and 10 working days.
- **Co-signing** (联名): an invited co-signer who has not confirmed is reminded once after a day;
  the invitation lapses after 3 days (status ``lapsed``) and the proposer is told.
- Nobody is reminded between 21:00 and 08:00 or on rest days: reminder stages wait for the next
  sweep inside working hours. A lapse happens whenever the sweep runs, but its notice is held
  (``not_before``) until working hours.
- Each stage is handled once: its key is written to ``reminder_log`` in the same transaction as the
  messages it queues (the outbox rows have per-recipient dedup keys too), so a crash or a second
  sweep never repeats it. Nobody is reminded of what they have already done: every stage checks the
  current state (answered, evaluated, confirmed) at sweep time.

One helper handles every stage once (stages.py); deadlines.py (units, and the weekly escalation
to staff), evaluations.py, cosigns.py hold what each kind of stage finds and says (texts.py);
timing.py: working-day arithmetic. Framework-free.
"""

from bot.core.schedule.reminders.service import ReminderService
from bot.core.schedule.reminders.stages import SweepReport
from bot.core.schedule.reminders.timing import WorkdayIndex, next_allowed

__all__ = ["ReminderService", "SweepReport", "WorkdayIndex", "next_allowed"]
