"""Precision, recall and F1 of predicted pairs against the true links, at a threshold and at
the best threshold (so that no tool is judged at a point that happens to suit the other)."""
import csv
import sys


def pairs(path, with_probability):
    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            key = tuple(sorted((row["left_id"], row["right_id"])))
            out[key] = float(row["match_probability"]) if with_probability else 1.0
    return out


def score(predicted, truth, threshold):
    found = {k for k, p in predicted.items() if p >= threshold}
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


truth = set(pairs(sys.argv[1], False))
predicted = pairs(sys.argv[2], True)
threshold = float(sys.argv[3])
p, r, f = score(predicted, truth, threshold)
best = max(
    ((score(predicted, truth, t / 100)[2], t / 100) for t in range(20, 100)),
    key=lambda x: x[0],
)
print(f"{p:.4f} {r:.4f} {f:.4f} {best[0]:.4f} {best[1]:.2f}")
