"""The ``primenews`` command line."""

from __future__ import annotations


def main() -> None:
    raise SystemExit("primenews CLI: not assembled yet")
