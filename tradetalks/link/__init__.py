"""Linking: one record per real-world event across documents (``record``, ``merge``),
near-duplicate stories (``dedupe``) and the registry of mechanisms, people and
organizations (``registry``, ``names``)."""
