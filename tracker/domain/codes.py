"""全国地方公共団体コード: the 6-digit municipality code and its check digit (JIS X 0402)."""

from __future__ import annotations

from tracker.domain.errors import InvalidMunicipalityCodeError

_WEIGHTS = (6, 5, 4, 3, 2)


def check_digit(first_five: str) -> int:
    """The check digit for the first five digits of a code."""
    s = sum(w * int(d) for w, d in zip(_WEIGHTS, first_five, strict=True))
    return (11 - s % 11) % 10


def validate_code(code: str) -> str:
    """Return ``code`` if it is six digits with a correct check digit, else raise."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise InvalidMunicipalityCodeError(code=code, reason="format")
    if check_digit(code[:5]) != int(code[5]):
        raise InvalidMunicipalityCodeError(code=code, reason="check_digit")
    return code
