"""Chinese word segmentation: jieba with the project dictionary, initialised once.

jieba keeps global state (its prefix dictionary, ~94 MB, built lazily on the first cut), so this
module owns it: :func:`init_text_engine` initialises it exactly once, loads the county's
dictionary (``jieba_userdict.txt``) and stop words (``stopwords.txt``), and is meant to be called
at start-up off the event loop (``await asyncio.to_thread(init_text_engine, data_dir, cache_dir)``).
:func:`tokenize` initialises lazily with the bundled defaults if nobody called it first.

``jieba.analyse`` is deliberately never imported: its IDF table costs ~90 MB more. Term weights
come from :func:`document_prior` (jieba's own dictionary frequencies, already in memory) and from
the similarity index's document frequencies.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba

logger = logging.getLogger(__name__)

#: The data folder shipped with the repository (``<repo>/data``).
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3] / "data"
#: Bump when tokenize()/subwords() change behaviour (invalidates saved index snapshots).
TOKENIZER_VERSION = 1
USERDICT_FILE = "jieba_userdict.txt"
STOPWORDS_FILE = "stopwords.txt"

#: Single characters that carry meaning on their own in proposals; other single characters
#: (的, 了, 是, 在, 对 ...) are dropped.
MEANINGFUL_CHARS = frozenset(
    "水电气路桥房粮油煤药医税费网河湖江山林田地茶菜果猪牛羊鱼虾蛋奶肉车船港站村镇厕"
)

# Assumed number of content tokens in a typical proposal, used to turn jieba's corpus word
# frequency into "share of documents containing the word".
_TOKENS_PER_DOC = 300
_PRIOR_FLOOR = 5e-4  # words jieba does not know (new words found by its HMM, place names)
# Project-dictionary words: their frequency in the file only steers segmentation, so they all
# get one prior, that of a specialised term.
_USERDICT_PRIOR = 2e-3
_PRIOR_CEIL = 0.5


class TextEngineError(RuntimeError):
    """The text engine could not be initialised (a bad dictionary file, for example)."""


@dataclass(frozen=True, slots=True)
class _Engine:
    data_dir: Path
    cache_dir: Path
    stopwords: frozenset[str]
    userdict: frozenset[str]
    signature: str


_lock = threading.Lock()
_engine: _Engine | None = None


def _resolve(data_dir: Path, name: str) -> Path:
    """``data_dir/name`` when the county ships its own file, else the bundled default."""
    own = data_dir / name
    return own if own.is_file() else DEFAULT_DATA_DIR / name


def _config_lines(path: Path) -> list[tuple[int, str]]:
    """Non-empty, non-comment lines of a UTF-8 word list, with their 1-based line numbers."""
    text = path.read_text(encoding="utf-8-sig")
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            rows.append((number, line))
    return rows


@lru_cache(maxsize=32)
def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, remembered for the last few texts: a post's
    body is normalised by the duplicate check, the suggestion check, the category guess and
    the tokenizer (~0.1 ms each for 700 characters)."""
    return unicodedata.normalize("NFKC", text)


def normalize(text: str) -> str:
    """NFKC (full-width letters/digits/punctuation to half-width) and lower case."""
    return nfkc(text).lower()


def _load_userdict(path: Path) -> frozenset[str]:
    """Add every word of a ``word [freq] [pos]`` file to jieba; return the words.

    Parsed here rather than by ``jieba.load_userdict`` so that ``#`` comments are allowed and a
    malformed line is reported with its line number instead of being added as a word.
    """
    words: set[str] = set()
    for number, line in _config_lines(path):
        parts = line.split()
        if len(parts) > 3:
            raise TextEngineError(
                f"词典文件 {path} 第 {number} 行格式不对：应为“词语 词频 词性”，词语中不能有空格"
            )
        word = normalize(parts[0])
        freq: int | None = None
        tag: str | None = None
        for extra in parts[1:]:
            if extra.isdigit() and freq is None and tag is None:
                freq = int(extra)
            elif extra.isascii() and extra.isalpha() and tag is None:
                tag = extra
            else:
                raise TextEngineError(
                    f"词典文件 {path} 第 {number} 行格式不对：“{extra}”既不是词频（整数）"
                    "也不是词性（英文字母）"
                )
        jieba.add_word(word, freq, tag)
        words.add(word)
    return frozenset(words)


def _load_stopwords(path: Path) -> frozenset[str]:
    return frozenset(normalize(line) for _, line in _config_lines(path))


def init_text_engine(data_dir: Path | None = None, cache_dir: Path | None = None) -> None:
    """Initialise jieba once: quiet logging, cache file in ``cache_dir``, project dictionary.

    Idempotent and thread-safe: later calls return at once (with a different ``data_dir`` they
    log a warning, as jieba's dictionary is process-global). Blocking (~0.6 s with a warm cache,
    longer the first time): call it through ``asyncio.to_thread`` from async code.
    ``data_dir`` defaults to the repository's ``data/``; ``cache_dir`` to ``data_dir/cache``.
    Files missing from ``data_dir`` fall back to the bundled defaults.
    """
    global _engine
    data_dir = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    cache_dir = Path(cache_dir) if cache_dir is not None else data_dir / "cache"
    with _lock:
        if _engine is not None:
            if _engine.data_dir.resolve() != data_dir.resolve():
                logger.warning(
                    "text engine already initialised from %s; ignoring %s",
                    _engine.data_dir,
                    data_dir,
                )
            return
        jieba.setLogLevel(logging.WARNING)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            logger.warning("cannot create jieba cache dir %s; using the temp dir", cache_dir)
            cache_dir = Path(tempfile.gettempdir())
        jieba.dt.tmp_dir = str(cache_dir)
        jieba.dt.cache_file = "jieba.cache"
        jieba.initialize()
        words = _load_userdict(_resolve(data_dir, USERDICT_FILE))
        stopwords = _load_stopwords(_resolve(data_dir, STOPWORDS_FILE))
        _engine = _Engine(data_dir, cache_dir, stopwords, words, _signature(data_dir))
        logger.info(
            "text engine ready: %d dictionary words, %d stop words", len(words), len(stopwords)
        )


def _signature(data_dir: Path) -> str:
    """Fingerprint of everything that decides how text is cut into terms."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"jieba {jieba.__version__}; tokenizer {TOKENIZER_VERSION}".encode())
    for name in (USERDICT_FILE, STOPWORDS_FILE):
        digest.update(_resolve(data_dir, name).read_bytes())
    return digest.hexdigest()


def engine_signature() -> str:
    """Changes whenever the dictionary, the stop words or the tokenizer change: term vectors
    saved under another signature (see ``SimilarityIndex.save``) must be recomputed."""
    return _get_engine().signature


def text_engine_ready() -> bool:
    """Whether :func:`init_text_engine` has completed."""
    return _engine is not None


def _get_engine() -> _Engine:
    if _engine is None:
        init_text_engine()
    assert _engine is not None
    return _engine


def stopwords() -> frozenset[str]:
    """The loaded stop words (initialising lazily)."""
    return _get_engine().stopwords


def _keep(token: str, stop: frozenset[str]) -> bool:
    if token in stop:
        return False
    if len(token) == 1:
        return token in MEANINGFUL_CHARS
    # Needs at least one letter or Han character: drops numbers, "10%", "3.5", punctuation runs.
    return any(ch.isalpha() for ch in token)


def tokenize(text: str) -> list[str]:
    """Content words of ``text`` in order, repeats kept.

    Normalised (NFKC, lower case); stop words, punctuation, numbers and single characters other
    than :data:`MEANINGFUL_CHARS` are dropped.
    """
    if not text:
        return []
    return list(_tokenize_cached(text))


@lru_cache(maxsize=64)
def _tokenize_cached(text: str) -> tuple[str, ...]:
    """One jieba cut per text: a post is tokenized for the similarity query, its keywords and its
    index entry, and jieba is the bulk of the cost (~3 ms for 700 characters)."""
    engine = _get_engine()
    stop = engine.stopwords
    out = []
    for raw in jieba.cut(normalize(text)):
        token = raw.strip()
        if token and _keep(token, stop):
            out.append(token)
    return tuple(out)


@lru_cache(maxsize=16384)
def subwords(token: str) -> tuple[str, ...]:
    """Dictionary words inside a compound token (``农村人居环境`` -> ``农村``, ``人居环境`` ...).

    Like jieba's search mode: the 2- to 4-character substrings that jieba's dictionary knows,
    excluding stop words and the token itself. Lets ``农村人居环境整治`` and ``人居环境`` share
    terms in similarity search.
    """
    if len(token) < 3:
        return ()
    engine = _get_engine()
    freq = jieba.dt.FREQ
    found: list[str] = []
    for size in (2, 3, 4):
        if size >= len(token):
            break
        for start in range(len(token) - size + 1):
            part = token[start : start + size]
            if freq.get(part) and part not in engine.stopwords and part not in found:
                found.append(part)
    return tuple(found)


def is_known(term: str) -> bool:
    """Whether jieba's dictionary (with the project dictionary) has the word."""
    _get_engine()
    return bool(jieba.dt.FREQ.get(term))


@lru_cache(maxsize=32768)
def document_prior(term: str) -> float:
    """Estimated share of documents that contain ``term``, from jieba's word frequencies.

    A cheap stand-in for an IDF table (no extra memory: jieba's dictionary is loaded anyway).
    Common words (发展 ~0.3) get a high prior, specialised terms (污水 ~0.002) a low one, words
    jieba does not know a floor of 5e-4, project-dictionary words 2e-3.
    """
    if term in _get_engine().userdict:
        return _USERDICT_PRIOR
    freq = jieba.dt.FREQ.get(term) or 0
    share = _TOKENS_PER_DOC * freq / jieba.dt.total
    return min(_PRIOR_CEIL, max(_PRIOR_FLOOR, share))
