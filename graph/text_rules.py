"""Characters no input string may carry: NUL and unpaired UTF-16 surrogates.

PostgreSQL refuses NUL in text and jsonb (CharacterNotInRepertoireError, "unsupported Unicode
escape sequence"); SQLite stores it but truncates it in some functions, and a lone surrogate
cannot be encoded as UTF-8 for either. Refusing both at the API edge keeps the two databases
identical and gives the caller a clear 4xx instead of a driver error.
"""

import re

_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


def forbidden_character(text: str) -> str | None:
    """A description of the first forbidden character in `text`, or None."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "a NUL character (U+0000), which cannot be stored"
    return f"an unpaired surrogate (U+{ord(char):04X}), which is not valid Unicode"
