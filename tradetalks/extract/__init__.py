"""Recognizers (one module each) and the assembly of events from what they find."""
