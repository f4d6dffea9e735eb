"""intake views."""
