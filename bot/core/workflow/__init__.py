"""The handling workflow: proposals (立案 … 办结) and opinion leads (采用 … 落实). No framework."""

from bot.core.workflow.common import Outcome, Requester
from bot.core.workflow.opinions import OpinionWorkflow
from bot.core.workflow.proposals import Handling, ProposalWorkflow, UnitPart
from bot.core.workflow.states import Action, check

__all__ = [
    "Action",
    "Handling",
    "OpinionWorkflow",
    "Outcome",
    "ProposalWorkflow",
    "Requester",
    "UnitPart",
    "check",
]
