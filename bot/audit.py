"""The audit trail: who saw, exported, erased or changed what, and when. One row per act, in the act's unit of work."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent

EXPORT = "export"
ERASE = "erase"
VIEW = "view"  # a patient's journal shown in the console
SIGN_IN = "sign_in"
STAFF_CHANGE = "staff"  # staff added, deactivated or given another role
PATIENT_CHANGE = "patient"  # a patient added, invited, corrected, deactivated or reactivated by staff
ACKNOWLEDGE = "acknowledge"
REVIEW = "review"  # a possible crisis reviewed


class ActorKind(enum.StrEnum):
    STAFF = "staff"
    PATIENT = "patient"
    CLI = "cli"
    CONSOLE = "console"


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    name: str  # a Telegram id for people in Telegram and the console, the operating-system user for the command line


def audit(
    session: AsyncSession,
    *,
    actor: Actor,
    patient_id: int | None,
    action: str,
    now: datetime,
    detail: dict[str, Any],
) -> None:
    session.add(
        AuditEvent(
            at=now, action=action, actor_kind=actor.kind.value, actor=actor.name[:200], patient_id=patient_id,
            detail=detail,
        )
    )  # fmt: skip
