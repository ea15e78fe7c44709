"""Collectors: sources of evidence (a local checkout now; GitHub, GitLab and Jenkins later)."""
