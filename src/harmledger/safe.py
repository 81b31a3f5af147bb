"""What text from outside (file names, report text, JSON fields) may become where users look.

Reports come from anyone, so their words and names must not act where they are shown:

- :func:`shown`: a name or a message on a terminal or in a log shows its control
  characters as escapes (``\\n``, ``\\x1b``, ``\\u202e``), so a file name with a newline
  cannot forge an extra ``error:`` line and an ANSI sequence cannot reach the terminal;
- :func:`cell`: a spreadsheet cell that would run as a formula (it starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading single quote, OWASP's
  rule against CSV injection (and a NUL, which ends a file for many readers, becomes
  U+FFFD);
- :func:`unicode_text`: a lone surrogate (from a JSON ``"\\udc80"`` escape) becomes the
  replacement character U+FFFD, so that what harmledger writes is valid UTF-8;
- :func:`path_name`: a path as a name that is valid UTF-8 and still says which file it is
  (a byte that is not UTF-8 is written ``\\xff``).
"""

from __future__ import annotations

import os
import re
from typing import Any

#: Characters that act on a terminal or break a line: C0 controls (tab and newline too),
#: DEL, C1 controls, the line and paragraph separators, the bidirectional overrides and
#: isolates (which can make a name read backwards), and lone surrogates.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")
#: What makes a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` with every character that would act on a terminal escaped (one line)."""
    return _UNSHOWABLE.sub(_escape, text)


def cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: a string starting with a formula character
    gets a leading ``'``; other values are returned as they are."""
    if isinstance(value, str):
        # a NUL ends the file for many readers (the rows after it vanish): U+FFFD instead;
        # a carriage return is a line break, written so that the cell is quoted (Python's
        # CSV writer quotes only the line terminator's characters, here "\n")
        value = unicode_text(value).replace("\x00", "\ufffd")
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def unicode_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (valid UTF-8 once encoded)."""
    return _SURROGATE.sub("\ufffd", text)


def unicode_data(value: Any) -> Any:
    """:func:`unicode_text` applied to every string (keys too) in nested lists and dicts."""
    if isinstance(value, str):
        return unicode_text(value)
    if isinstance(value, list):
        return [unicode_data(v) for v in value]
    if isinstance(value, dict):
        return {
            unicode_text(k) if isinstance(k, str) else k: unicode_data(v) for k, v in value.items()
        }
    return value


def path_name(path: str | os.PathLike[str]) -> str:
    """A path as a document name: bytes the file system gave that are not UTF-8 (decoded by
    Python as surrogate escapes) are written ``\\xff``, so the name is valid UTF-8 and
    still tells which file it is."""
    name = os.fspath(path)
    if not _SURROGATE.search(name):
        return name
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no byte gave: not a file system name
        return unicode_text(name)
