"""Text normalisation shared by training and inference, so both see the same input.

Handles become ``@user`` and links ``http`` (the TweetEval convention): a model must not learn that one
airline's handle means "positive". HTML entities (``&amp;``) are decoded.

Example:
    >>> normalise("@united thanks &amp; see https://t.co/x1 soon")
    '@user thanks & see http soon'
"""

from __future__ import annotations

import html
import re

HANDLE_RE = re.compile(r"@\w+")
URL_RE = re.compile(r"(?:https?://|www\.)\S+")
SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = html.unescape(text)
    text = URL_RE.sub("http", text) if "http" in text or "www." in text else text
    text = HANDLE_RE.sub("@user", text) if "@" in text else text
    return " ".join(text.split())  # what SPACE_RE.sub(" ", text).strip() gives, without the regex
