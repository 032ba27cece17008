"""The Russian NLP core as a spaCy pipeline built on razdel, slovnet (via natasha) and pymorphy3."""

from .language import load

__all__ = ["load"]
