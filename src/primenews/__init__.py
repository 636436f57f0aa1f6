"""PrimeNews: a self-hosted AI newsroom.

Reads many outlets, extracts clean article text, and stores it; later stages group reports
into stories and publish grounded, attributed story pages.
"""

from __future__ import annotations

import logging

from primenews.config import LoadedSettings, Settings, load_settings
from primenews.errors import PrimeNewsError

__version__ = "0.1.0"

__all__ = [
    "LoadedSettings",
    "PrimeNewsError",
    "Settings",
    "__version__",
    "load_settings",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
