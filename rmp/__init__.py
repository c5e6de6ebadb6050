"""rmp: risk management plans as code, checked against SfJ HF36."""

__version__ = "0.1.0"
