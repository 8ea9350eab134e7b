"""How banso compares what people type with what it holds: one folding for every search.

Width, kana and case are folded with the standard library, not a converter such as jaconv:
NFKC (``unicodedata``) already turns half-width katakana into full width and full-width
letters and digits into ASCII in one call, so a one-table ``str.translate`` for katakana
and ``casefold`` finish the job; jaconv would need three passes in pure Python for the
same. Search (``projections``), the municipality finder and the TUI's filters all fold with
``fold``, so ``ＡＩ`` finds what ``AI`` finds and ``ｽﾏﾎ`` or ``すまほ`` what ``スマホ`` finds.
"""

from __future__ import annotations

import unicodedata

#: Katakana (ァ..ヶ, and the iteration marks ヽヾ) to their hiragana, 0x60 code points below.
_KATAKANA = (*range(0x30A1, 0x30F7), 0x30FD, 0x30FE)
#: The same as a table indexed by code point, every other one mapped to itself (those past
#: its end are left as they are), and every blank (``str.isspace``, all of them below its
#: end) deleted: ``str.translate`` looks a list up about twice as fast as a dict, and a
#: rebuild folds the search text of every fact (1.1 million nationally), so the blanks go
#: in the same pass rather than by ``split`` and ``join`` after it.
_TABLE: list[int | None] = list(range(max(_KATAKANA) + 1))
for _code in _KATAKANA:  # not ``code in _KATAKANA`` per code point: 10 ms of every start
    _TABLE[_code] = _code - 0x60
for _code in range(len(_TABLE)):
    if chr(_code).isspace():
        _TABLE[_code] = None


def fold(text: str) -> str:
    """``text`` as searches compare it: NFKC, case folded, katakana as hiragana, no blanks."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_TABLE)
