"""What a client may read of a signed session record (the one rule): the summary page, the
check-in page and the client's data export all build it, so no template or file can carry
SOAP notes, observations, overrides, reaction notes or point comments to the client."""

from dataclasses import dataclass
from datetime import datetime

from sessions.models import PointWorked, SessionRecord


@dataclass(frozen=True)
class ClientView:
    """The parts of a signed record the client may read, and nothing else."""

    actual_minutes: int
    client_summary: str
    aftercare: str
    signed_at: datetime
    # Unsaved copies with only point, side and tenderness: the shared map include also
    # prints texture and comments, which are the practitioner's.
    points: list[PointWorked]

    @classmethod
    def of(cls, record: SessionRecord) -> "ClientView":
        points = [
            PointWorked(point=p.point, side=p.side, tenderness=p.tenderness)
            for p in record.points.all()
        ]
        return cls(
            actual_minutes=record.actual_minutes or record.booking.minutes,
            client_summary=record.client_summary,
            aftercare=record.aftercare,
            signed_at=record.signed_at,
            points=points,
        )
