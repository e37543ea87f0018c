"""Online detectors with the river contract (update, score_one, learn_one, clone, pickle)."""

from parallax.alerts.detectors.base import Detector
from parallax.alerts.detectors.onset import OnsetDetector
from parallax.alerts.detectors.robust import SeasonalZ, WindowZ
from parallax.alerts.detectors.spike import SpikeDetector

__all__ = ["Detector", "OnsetDetector", "SeasonalZ", "SpikeDetector", "WindowZ"]
