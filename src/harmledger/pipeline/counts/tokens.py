"""How the counts stage cuts a sentence into tokens: numbers, words and single characters.

The word tables are split the same way (``words._index(..., tokens=True)``), so that a
role phrase such as "killed , injured or captured" matches the tokens of a sentence.
"""

from __future__ import annotations

import re

# numbers ("1,566", "4.2", "1e6": an exponent is part of the number, never a word after
# it), words (with inner hyphens/apostrophes: "seventy-three", "al-Sijir", "year-old"), any
# other single character.
TOKEN = re.compile(r"(\d+(?:[.,]\d+)*(?:[eE][+-]?\d+)?)|([^\W\d_]+(?:['’\-][^\W\d_]+)*)|(\S)")

#: The kinds of token: the number of the ``TOKEN`` group that matched, less one.
NUM, WORD, PUNCT = 0, 1, 2
