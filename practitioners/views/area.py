"""The practitioner's own area: profile, services, hours, exceptions and time off."""
