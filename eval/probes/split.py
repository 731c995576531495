"""Split the verification probes into dev and held-out files: a third of each (class, corpus)
stratum held out, chosen with a fixed seed.

    uv run python eval/probes/split.py              # re-split the probes of both files
    uv run python eval/probes/split.py --from all.jsonl

A probe's stratum is "refusal", else the class of its defective or miscited sentence, else
"faithful". The split is a pure function of the probe ids and strata, so running it again on the
same probes writes the same two files.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE / "verification-dev.jsonl"
HELDOUT = HERE / "verification-heldout.jsonl"
SEED = 11
HELD_OUT_SHARE = 1 / 3
SPECIAL = {
    "miscited",
    "nonexistent_source",
    "wrong_number",
    "wrong_date",
    "wrong_person",
    "wrong_place",
    "wrong_organisation",
    "wrong_attribution",
    "flipped_polarity",
    "flipped_modality",
    "invented",
}


def stratum(probe: dict) -> str:
    if probe.get("expect") == "refusal":
        return "refusal"
    for sentence in probe["sentences"]:
        if sentence["class"] in SPECIAL:
            return str(sentence["class"])
    return "faithful"


# Probes written later are split among themselves, so that adding them never moves a probe of
# an earlier batch between the files (a dev probe that was looked at must never become held-out).
# v400-v459: the second batch; v500-v544: the third (both 2026-12-06); v600-v659: the fourth;
# v700-v759: the fifth; v800-v859: the sixth (all 2026-12-06, a later session); v900-v959:
# the seventh; v960-v1019: the eighth (both 2026-12-06, the session after); v1020-v1079: the
# ninth; v1080-v1139: the tenth; v1140-v1199: the eleventh; v1200-v1259: the twelfth;
# v1260-v1319: the thirteenth (all five 2026-12-06, the session after that); v1320-v1379:
# the fourteenth; v1380-v1439: the fifteenth; v1440-v1499: the sixteenth (all three the
# fourth session that day); v1500-v1559: the seventeenth; v1560-v1619: the eighteenth;
# v1620-v1679: the nineteenth (all three 2026-12-06, the fifth session); v1680-v1739: the
# twentieth (the sixth session); v1740-v1799: the twenty-first;
# v1800-v1859: the twenty-second (both the seventh session); v1860-v1919: the twenty-third;
# v1920-v1979: the twenty-fourth (both the eighth session); v1980-v2039: the twenty-fifth;
# v2040-v2099: the twenty-sixth (both 2026-12-07, the twelfth session); v2100-v2159: the
# twenty-seventh; v2160-v2219: the twenty-eighth (both 2026-12-07, the thirteenth session);
# v2220-v2279: the twenty-ninth; v2280-v2339: the thirtieth (both 2026-12-07, the fourteenth
# session); v2340-v2399: the thirty-first; v2400-v2459: the thirty-second (both 2026-12-07, the
# fifteenth session); v2460-v2519: the thirty-third; v2520-v2579: the thirty-fourth (both
# 2026-12-07, the sixteenth session); v2580-v2639: the thirty-fifth; v2640-v2699: the
# thirty-sixth (both the seventeenth session); v2700-v2759: the thirty-seventh; v2760 and on: the
# thirty-eighth (both the eighteenth session).
BATCHES = (400, 500, 600, 700, 800, 900, 960, 1020, 1080, 1140, 1200, 1260, 1320, 1380, 1440, 1500,
           1560, 1620, 1680, 1740, 1800, 1860, 1920, 1980, 2040, 2100, 2160, 2220, 2280, 2340,
           2400, 2460, 2520, 2580, 2640, 2700, 2760)  # fmt: skip


def batch(probe: dict) -> int:
    number = int(probe["id"].lstrip("v"))
    return sum(1 for start in BATCHES if number >= start)


def split(probes: list[dict]) -> tuple[list[dict], list[dict]]:
    dev: list[dict] = []
    heldout: list[dict] = []
    for index in sorted({batch(p) for p in probes}):
        some_dev, some_held = _split([p for p in probes if batch(p) == index])
        dev += some_dev
        heldout += some_held
    return sorted(dev, key=lambda p: p["id"]), sorted(heldout, key=lambda p: p["id"])


def _split(probes: list[dict]) -> tuple[list[dict], list[dict]]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for probe in probes:
        groups[(stratum(probe), probe["corpus"])].append(probe)
    rng = random.Random(SEED)
    held: set[str] = set()
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda p: p["id"])
        rng.shuffle(members)
        held.update(p["id"] for p in members[: round(len(members) * HELD_OUT_SHARE)])
    ordered = sorted(probes, key=lambda p: p["id"])
    return [p for p in ordered if p["id"] not in held], [p for p in ordered if p["id"] in held]


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write(path: Path, probes: list[dict]) -> None:
    path.write_text(
        "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in probes), encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="a JSONL file of all probes")
    args = parser.parse_args()
    probes = read(args.source) if args.source else read(DEV) + read(HELDOUT)
    ids = [p["id"] for p in probes]
    if len(ids) != len(set(ids)):
        raise SystemExit("probe ids are not unique")
    dev, heldout = split(probes)
    write(DEV, dev)
    write(HELDOUT, heldout)
    print(f"dev {len(dev)} probes, held-out {len(heldout)} probes")


if __name__ == "__main__":
    main()
