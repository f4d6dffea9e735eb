"""`make bench`: the pages' cost against a bare Django page, served as in production.

Not part of the app (reflexbook never imports it) nor of `make test`; see the README's
"Performance" section.
"""
