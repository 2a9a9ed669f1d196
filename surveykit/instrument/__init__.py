"""Instruments: the immutable model, loading and validation, versions, exports."""
from .model import (Instrument, Item, LocalizedText, MissingCode, Option, ResponseScale, Scale,
                    Section, combine)

__all__ = ["Instrument", "Item", "LocalizedText", "MissingCode", "Option", "ResponseScale",
           "Scale", "Section", "combine"]
