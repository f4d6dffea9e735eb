"""The client's booking flow and booking pages (the detail page serves every role)."""
