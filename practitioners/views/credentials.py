"""ARCB credentials: the practitioner's submissions, evidence files, and the staff queue."""
