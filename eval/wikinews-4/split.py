"""The rule that splits the fourth Wikinews gold set into dev.jsonl and heldout.jsonl: the first
set's rule (`../wikinews/split.py`: a third of each kind held out, seeded, spread over `asks`).

    python eval/wikinews-4/split.py --from all.jsonl   # write both files from these questions
    python eval/wikinews-4/split.py --check            # exit 1 if the files are not what the rule gives
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

_spec = importlib.util.spec_from_file_location(
    "wikinews_split", HERE.parent / "wikinews" / "split.py"
)
assert _spec is not None and _spec.loader is not None
rule = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rule)


if __name__ == "__main__":
    sys.exit(rule.main_for(HERE, __doc__.splitlines()[0]))
