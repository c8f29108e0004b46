"""The language to answer someone in when the handler has not looked them up already."""

from __future__ import annotations

import logging

from telegram import User

from bot.patients import patient_by_telegram
from bot.runtime import Runtime

log = logging.getLogger(__name__)


async def language_of(rt: Runtime, user: User | None) -> str:
    """A patient's own language (whatever their status); anyone else's app language when the bot speaks it; else
    the clinic's. A database that cannot say does not stop the answer."""
    if user is None:
        return rt.clinic.clinic.language
    try:
        async with rt.session() as session:
            patient = await patient_by_telegram(session, user.id)
    except Exception:
        log.warning("could not look up who to answer in which language")
        patient = None
    return patient.language if patient is not None else rt.language_for(user.language_code)
