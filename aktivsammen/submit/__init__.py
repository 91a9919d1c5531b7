"""The submission service: associations' form posts become pull requests for the editors.

A submission is validated with the same model as the build, stored durably (SQLite, WAL)
before anything else happens to it, answered with a reference number, and only then handed
to a forge backend (a local Git repository, or GitHub) by a background worker that retries.
"""
