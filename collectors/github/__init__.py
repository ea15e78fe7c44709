"""The GitHub collector (github:OWNER, github:OWNER/REPO)."""
