"""Signals seen in a hosting service's history (runs, deployments, releases, protection, commits), shared by the GitHub and GitLab collectors."""
