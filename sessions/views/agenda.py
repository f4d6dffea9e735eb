"""agenda views."""
