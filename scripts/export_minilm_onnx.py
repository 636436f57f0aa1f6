"""Export the packaged all-MiniLM-L6-v2 to ONNX for onnxruntime (no torch at run time).

    python scripts/export_minilm_onnx.py FOLDER [--model SENTENCE_TRANSFORMERS_FOLDER]

Needs the ``ml`` and ``onnx`` extras. Writes FOLDER (model.onnx and its weights,
tokenizer.json, primenews-onnx.json) after checking the export against the original model;
then set ``embedding_model`` to FOLDER. See ``primenews.embed.onnx``.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the packaged weights only: nothing is downloaded


def main(argv: list[str] | None = None) -> int:
    from primenews.embed.onnx import export_minilm_onnx
    from primenews.errors import ConfigError

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="where to write the exported model")
    parser.add_argument("--model", help="a sentence-transformers folder (default: the packaged)")
    args = parser.parse_args(argv)
    try:
        folder = export_minilm_onnx(args.folder, model_path=args.model)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {folder}; set embedding_model = {str(folder)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
