"""The Jenkins collector (jenkins:URL): job triggers, build history and deploy jobs."""
