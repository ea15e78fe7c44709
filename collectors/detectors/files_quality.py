"""Placeholder: replaced by the real detectors."""

from collectors.detectors.interface import Detector

DETECTORS: list[Detector] = []
