"""CI pipeline definitions parsed into one normalised model (`model.py`), one module per CI system."""
