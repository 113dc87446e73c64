"""Consultation topics (议题) through the annual consultation plan, and work news (政协动态)."""

from bot.core.consultation.news import NewsService
from bot.core.consultation.service import ConsultationService

__all__ = ["ConsultationService", "NewsService"]
