"""maturity-scanner: Continuous-Delivery maturity inferred from evidence."""

__version__ = "0.1.0"
