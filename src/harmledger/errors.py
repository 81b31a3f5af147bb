"""The project's exceptions and their messages, in one place.

Every message says what went wrong *and* what the user can do about it.
"""

from __future__ import annotations


class HarmledgerError(Exception):
    """Base class of every error harmledger raises on purpose."""


class ReadError(HarmledgerError):
    """A document could not be read. ``name`` identifies it; ``reason`` says why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class ResourceError(HarmledgerError):
    """A packaged data file (lexicon, gazetteer...) is missing or malformed."""


class ConfigError(HarmledgerError):
    """A setting has a value harmledger cannot use."""


class LedgerError(HarmledgerError):
    """The ledger database could not be opened or written."""


# Messages used in more than one place. Keep the wording here.
MSG_RESOURCE_MALFORMED = "packaged resource '{name}' is malformed ({detail}); {fix}"
MSG_BINARY = "not a text document (binary content); skipped"
MSG_ENCODING = "cannot decode as UTF-8, UTF-16 or Windows-1252 ({detail}); re-save it as UTF-8"
MSG_TOO_LARGE = "too large ({size:,} bytes > limit {limit:,}); split it or raise --max-bytes"
MSG_EMPTY = "no text left after reading (empty file or only boilerplate)"
MSG_BAD_JSON = "line {line}: not valid JSON ({detail})"
MSG_JSON_NO_TEXT = "line {line}: a JSON Lines document needs a 'text' or 'html' string"
MSG_BAD_HTML = "cannot extract the main text from this HTML ({detail})"
MSG_BAD_DATE = "'{value}' is not a date in the form YYYY-MM-DD"
MSG_NOT_FOUND = "no such file or directory"
MSG_UNSUPPORTED = "unsupported file type '{suffix}' (use .txt, .html, .htm or .jsonl)"
MSG_OS_ERROR = "cannot read it ({detail}); check that it exists and that you may read it"
MSG_INTERNAL = "unexpected error while reading ({detail}); please report this as a bug"
MSG_STAGE_ORDER = (
    "stage {stage} needs {missing}, which no stage before it sets; put the stage that sets "
    "it earlier"
)
MSG_EXTRACTION = (
    "extraction failed ({detail}); the other documents go on; please report this as a bug"
)


class ModelError(ConfigError):
    """A learned model file (``--model``, ``Settings.model``) is missing or unusable."""


MSG_MODEL_MISSING = (
    "model file {path} does not exist; train one with 'harmledger train DATA --output {path}'"
)
MSG_MODEL_BAD = (
    "model file {path} is not a harmledger model ({detail}); "
    "retrain it with 'harmledger train DATA --output {path}'"
)
MSG_MODEL_VERSION = (
    "model file {path} holds a '{found}' model but this harmledger reads '{expected}'; "
    "retrain it with 'harmledger train DATA --output {path}'"
)
MSG_TRAIN_EMPTY = (
    "{path}: no labelled text to learn from (need rows with a text and an event_type); "
    "check the file"
)
MSG_TRAIN_FORMAT = (
    "{path}: cannot tell what this is; give an ACLED export (.csv with notes, event_type, "
    "sub_event_type) or JSON Lines with 'text', 'event_type', 'sub_event_type'"
)
MSG_TRAIN_LABELS = "{path}: need at least two different event types to learn from, found {found}"

# List filters.
MSG_FILTER_UNKNOWN = "--{option} '{value}' is not {what}; use one of: {choices}"

# Labelled data (eval, train).
MSG_FORMAT_UNKNOWN = (
    "cannot tell the format from the header (columns: {columns}); "
    "give --format acled, fakes, ucdp, gold or hrdsattack"
)
MSG_MISSING_COLUMNS = "not a {fmt} file: missing column(s) {missing}"
MSG_LABELLED_LINE = "line {line}: {detail}"
MSG_HRDS_NOT_A_SAMPLE = (
    "sample {n}: not an HRDsAttack sample (expected an object with 'sample' and "
    "'merged_sample'); give the dataset's train.json or dev.json as published"
)
MSG_ACLED_DATE = (
    "event {id}: cannot read the event_date '{value}' (expected a date such as 2025-04-01, "
    "9-May-20 or 28 December 2022); fix the row or leave it out"
)
