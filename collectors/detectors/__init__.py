"""File detectors: each reads a `RepoFiles` (and the parsed pipelines) and emits evidence."""
