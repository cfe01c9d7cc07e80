"""Writes the true pairs of a generated file (records sharing an `entity`) as left_id,right_id."""
import csv
import sys
from itertools import combinations

groups = {}
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        groups.setdefault(row["entity"], []).append(row["id"])
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["left_id", "right_id"])
    for members in groups.values():
        for a, b in combinations(sorted(members), 2):
            w.writerow([a, b])
