"""Local Moran's I and Getis-Ord Gi* with 999 permutations on the 11,691 Dutch buurten of 2014,
weights included: `baken analyse local` against esda with numba, in the same run.

Usage: python bench.py BAKEN_BINARY SHARED_DIR [RUNS]
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

import esda
import numpy as np
from libpysal.cg import Polygon
from libpysal.weights import Queen

from validate import to_polygon

warnings.filterwarnings("ignore")


def esda_run(geojson, y):
    with open(geojson) as f:
        features = json.load(f)["features"]
    w = Queen.from_iterable([to_polygon(ft["geometry"]) for ft in features], ids=list(range(len(features))))
    lm = esda.Moran_Local(y, w, permutations=999, seed=1, n_jobs=-1)
    gl = esda.G_Local(y, w, transform="R", star=True, permutations=999, seed=1, n_jobs=-1)
    return lm, gl


def main():
    baken, root = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    geojson = os.path.join(root, "data", "cbs", "nederland-buurten-2014.geojson")
    with open(geojson) as f:
        ids = [ft["properties"]["statcode"] for ft in json.load(f)["features"]]
    y = np.array([float(hashlib.sha256(i.encode()).digest()[0] % 37) for i in ids])
    with tempfile.TemporaryDirectory() as tmp:
        values = os.path.join(tmp, "values.csv")
        with open(values, "w") as f:
            f.write("id,value\n" + "".join(f"{i},{float(v)!r}\n" for i, v in zip(ids, y)))
        start = time.perf_counter()
        esda_run(geojson, y)
        cold = time.perf_counter() - start
        baken_times, esda_times = [], []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [baken, "analyse", "local", "--areas", geojson, "--id-property", "statcode", "--values", values,
                 "--weights", "queen", "--permutations", "999", "--seed", "1", "--out", os.path.join(tmp, "out.csv")],
                check=True, capture_output=True,
            )
            baken_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            lm, gl = esda_run(geojson, y)
            esda_times.append(time.perf_counter() - start)
    b, e = min(baken_times), min(esda_times)
    print(f"areas: {len(ids)}, permutations: 999, weights: queen, runs: {runs} (best of each)")
    print(f"baken analyse local:         {b:7.2f} s")
    print(f"esda + libpysal (numba warm): {e:7.2f} s   (first call incl. JIT: {cold:.2f} s)")
    print(f"ratio esda / baken: {e / b:.1f}x")


if __name__ == "__main__":
    main()
