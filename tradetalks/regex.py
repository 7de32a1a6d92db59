"""Compiled regular expressions, cached.

``regex(r"...").search(text)`` keeps a pattern where it is used, readable in place, and costs
one dictionary look-up per call instead of the checks of ``re``'s own cache, which add up
in the recognizers' inner loops.
"""

from __future__ import annotations

import functools
import re

regex = functools.lru_cache(maxsize=1024)(re.compile)
