"""Which text encoding a CSV or JSONL file is in, and a UTF-8 copy of it where it is not UTF-8 already.

The readers (pyarrow, ``json``) read UTF-8 only. A Latin-1 or UTF-16 export used to end in a traceback,
and a stray Latin-1 byte deep in a UTF-8 file silently became U+FFFD. Now, in this order:

1. ``--encoding NAME`` is used as given; bytes that do not decode in it stop the import with their line.
2. A byte-order mark says UTF-8, UTF-16 or UTF-32.
3. A file that decodes as UTF-8 is read in place (one fast pass checks it).
4. A UTF-8 file (it has valid multi-byte characters) with a few bytes that are not UTF-8: those bytes are
   read as cp1252 (Latin-1 where cp1252 leaves a byte undefined) and their lines are reported.
5. Otherwise charset-normalizer guesses from the lines that are not UTF-8; cp1252 wins a tie (on short
   texts the detector cannot tell Western code pages apart and would name cp1250 for French). No guess
   (random bytes, a Parquet file named .csv), or NUL bytes outside UTF-16 and UTF-32, stop the import:
   it is not a text file.

Anything not read in place is transcoded to a UTF-8 file in a temporary folder (newlines kept, so rows
keep their numbers), read from there and deleted. ``Decoding.describe`` says what was done.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from parallax.kit.errors import ValidationFailed

BLOCK = 1 << 20
FALLBACK = "cp1252"
_FALLBACK_ERRORS = "parallax-cp1252"
_SHOWN_LINES = 10  # line numbers kept for the report
_SAMPLE_LINES = 500  # lines that are not UTF-8 given to the detector
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_IN_PLACE = frozenset({"utf-8", "utf-8-sig"})


@dataclass(frozen=True)
class Decoding:
    """``how``: ``utf-8`` (it is), ``bom``, ``given`` (--encoding), ``detected`` or ``fallback`` (UTF-8
    with stray bytes read as cp1252). ``bad_lines``: the first lines that are not UTF-8, of ``bad_count``."""

    encoding: str
    how: str
    bad_lines: tuple[int, ...] = ()
    bad_count: int = 0

    @property
    def in_place(self) -> bool:
        return self.encoding in _IN_PLACE and self.how != "fallback"

    @property
    def label(self) -> str:
        """Short, for a summary table: ``cp1252 (detected)``, ``utf-8 + cp1252``."""
        if self.how == "fallback":
            return f"utf-8 + {FALLBACK}"
        if self.how == "detected":
            return f"{self.encoding} (detected)"
        return self.describe()

    def describe(self) -> str:
        if self.how == "utf-8":
            return "utf-8"
        if self.how == "bom":
            return f"{self.encoding} (byte-order mark)"
        if self.how == "given":
            return f"{self.encoding} (--encoding)"
        if not self.bad_count:
            return f"{self.encoding} (detected)"
        lines = f"{self.bad_count} line(s): {_lines(self.bad_lines, self.bad_count)}"
        if self.how == "fallback":
            return f"utf-8, except bytes that are not UTF-8 on {lines}; those bytes read as {FALLBACK}"
        return f"{self.encoding} (detected; not UTF-8 on {lines})"


def _lines(shown: tuple[int, ...], total: int) -> str:
    more = f" and {total - len(shown)} more" if total > len(shown) else ""
    return ", ".join(map(str, shown)) + more


def plan_decoding(path: Path, given: str | None = None) -> Decoding:
    """How ``path`` will be read (see the module docstring); raises ValidationFailed for a file it cannot."""
    if given:
        return _given(path, given)
    with path.open("rb") as handle:
        head = handle.read(4)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return Decoding(encoding, "bom")
    scan = _scan(path)
    if scan.valid and not scan.nul:
        return Decoding("utf-8", "utf-8")
    if scan.nul:  # UTF-16 or UTF-32 without a byte-order mark, or not text at all
        with path.open("rb") as handle:
            guess = _detect(handle.read(BLOCK))
        if guess is not None and guess.startswith(("utf_16", "utf_32")):
            return Decoding(codecs.lookup(guess).name, "detected")
        raise ValidationFailed(
            f"{path.name} does not look like a text file (it holds NUL bytes); "
            "if it is one, pass its --encoding"
        )
    if scan.multibyte:
        return Decoding("utf-8", "fallback", scan.shown, scan.count)
    guess = _detect(b"\n".join(scan.sample))
    if guess is None:
        raise ValidationFailed(
            f"{path.name} does not look like a text file (no text encoding reads it); "
            "if it is one, pass its --encoding"
        )
    return Decoding(codecs.lookup(guess).name, "detected", scan.shown, scan.count)


def _given(path: Path, given: str) -> Decoding:
    try:
        name = codecs.lookup(given).name
    except LookupError:
        raise ValidationFailed(f"unknown encoding {given!r} (e.g. utf-8, cp1252, latin-1, utf-16)") from None
    if name in _IN_PLACE:
        scan = _scan(path)
        if not scan.valid:
            raise ValidationFailed(
                f"{path.name} is not valid {name}: bytes that are not on {scan.count} line(s): "
                f"{_lines(scan.shown, scan.count)}; leave out --encoding to have it detected"
            )
    return Decoding(name, "given")


@dataclass
class _Scan:
    valid: bool = True
    nul: bool = False
    multibyte: bool = False  # valid non-ASCII UTF-8 seen: the file is UTF-8, the bad bytes are strays
    count: int = 0
    shown: tuple[int, ...] = ()
    sample: tuple[bytes, ...] = ()


def _scan(path: Path) -> _Scan:
    """One pass at C speed decides a valid file; an invalid one is read again a line at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    nul = False
    with path.open("rb") as handle:
        try:
            for block in iter(lambda: handle.read(BLOCK), b""):
                nul = nul or b"\x00" in block
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return _Scan(nul=nul)
        except UnicodeDecodeError:
            pass
    return _line_scan(path, nul)


def _line_scan(path: Path, nul: bool) -> _Scan:
    shown: list[int] = []
    sample: list[bytes] = []
    scan = _Scan(valid=False, nul=nul)
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                scan.count += 1
                if len(shown) < _SHOWN_LINES:
                    shown.append(number)
                if len(sample) < _SAMPLE_LINES:
                    sample.append(line)
            else:
                scan.multibyte = True
    scan.shown, scan.sample = tuple(shown), tuple(sample)
    return scan


def _detect(sample: bytes) -> str | None:
    """charset-normalizer's best guess (a Python codec name), cp1252 where it reads the bytes as cleanly."""
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        return None
    western = from_bytes(sample, cp_isolation=[FALLBACK]).best()
    if western is not None and western.chaos <= best.chaos and western.coherence >= best.coherence:
        return FALLBACK
    return str(best.encoding)


@contextmanager
def utf8_copy(path: Path, decoding: Decoding) -> Iterator[Path]:
    """``path`` itself when it is read in place, else a temporary UTF-8 copy (deleted afterwards)."""
    if decoding.in_place:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="parallax-ingest-") as folder:
        target = Path(folder) / path.name
        _transcode(path, target, decoding)
        yield target


def _transcode(source: Path, target: Path, decoding: Decoding) -> None:
    fallback = decoding.how == "fallback"
    errors = _FALLBACK_ERRORS if fallback else "strict"
    decoder = codecs.getincrementaldecoder("utf-8" if fallback else decoding.encoding)(errors)
    newlines = 0
    with source.open("rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
        for block in iter(lambda: raw.read(BLOCK), b""):
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(block)
            except UnicodeError as exc:
                raise _undecodable(source, decoding, pending + block, exc, newlines) from None
            newlines += text.count("\n")
            out.write(text)
        pending = decoder.getstate()[0]
        try:
            out.write(decoder.decode(b"", final=True))
        except UnicodeError as exc:
            raise _undecodable(source, decoding, pending, exc, newlines) from None


def _undecodable(
    source: Path, decoding: Decoding, data: bytes, exc: UnicodeError, newlines: int
) -> ValidationFailed:
    hint = "pass the right --encoding" if decoding.how == "given" else "pass --encoding"
    head = f"{source.name} is not {decoding.encoding} ({decoding.how})"
    if not isinstance(exc, UnicodeDecodeError):  # e.g. UTF-16 without a byte-order mark
        return ValidationFailed(f"{head}: {exc}; {hint}")
    line = newlines + data[: exc.start].decode(decoding.encoding, errors="ignore").count("\n") + 1
    byte = data[exc.start : exc.start + 1]
    what = f"byte 0x{byte.hex()}" if byte else "an unfinished character"
    return ValidationFailed(f"{head}: {what} on line {line} cannot be read; {hint}")


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: the bytes UTF-8 cannot read, read one by one as cp1252 (Latin-1 where it has none)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(_one_byte(value) for value in bad), exc.end


def _one_byte(value: int) -> str:
    try:
        return bytes([value]).decode(FALLBACK)
    except UnicodeDecodeError:
        return chr(value)


codecs.register_error(_FALLBACK_ERRORS, _cp1252_bytes)
