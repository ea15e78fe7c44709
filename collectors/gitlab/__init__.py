"""The GitLab collector (gitlab:GROUP, gitlab:GROUP/PROJECT)."""
