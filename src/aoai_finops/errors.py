"""Exceptions the CLI turns into a one-line message and a non-zero exit code.

Every message names the file, row or field at fault and says what to do about it.
"""


class AoaiFinopsError(Exception):
    """Base class for errors a user can act on."""


class ManifestError(AoaiFinopsError):
    """A manifest.json / _manifest.json that cannot be read or describes an unusable run."""


class ExportValidationError(AoaiFinopsError):
    """A run whose files disagree with its manifest or with the dataset's schema."""


class LakeLockedError(AoaiFinopsError):
    """Another loader holds the lake."""


class SourceError(AoaiFinopsError):
    """A source location that cannot be opened or listed."""
