"""Checks `baken analyse` against PySAL (libpysal weights, esda statistics) on libpysal's
bundled Columbus data and on the Groningen buurten of 2014 (data/cbs).

Statistics must agree within 1e-9; permutation pseudo p-values (different random streams)
within Monte Carlo tolerance. Exits non-zero on any disagreement.

Usage: python validate.py BAKEN_BINARY SHARED_DIR
"""

import csv
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import warnings

import esda
import libpysal
import numpy as np
from libpysal.weights import Queen, Rook
from libpysal.cg import Polygon

warnings.filterwarnings("ignore")
PERMUTATIONS = 999
failures = []


def check(label, ours, theirs, tol=1e-9):
    if not (math.isfinite(ours) and math.isfinite(theirs)) or abs(ours - theirs) > tol * max(1.0, abs(theirs)):
        failures.append(f"{label}: baken {ours!r} esda {theirs!r}")


def check_p(label, ours, theirs):
    sd = math.sqrt(max(theirs * (1 - theirs), 1e-6) / PERMUTATIONS)
    if abs(ours - theirs) > 5 * sd + 0.003:
        failures.append(f"{label}: pseudo p baken {ours!r} esda {theirs!r}")


def to_polygon(geometry):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    parts = [[tuple(p[:2]) for p in polygon[0]] for polygon in polygons]
    holes = [[tuple(p[:2]) for p in ring] for polygon in polygons for ring in polygon[1:]]
    return Polygon(parts if len(parts) > 1 else parts[0], holes=holes or None)


def run(baken, what, geojson, id_prop, values, weights, out):
    done = subprocess.run(
        [baken, "analyse", what, "--areas", geojson, "--id-property", id_prop, "--values", values,
         "--weights", weights, "--permutations", str(PERMUTATIONS), "--seed", "2024", "--out", out],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        sys.exit(f"baken analyse {what} failed: {done.stderr.strip()}")
    with open(out) as f:
        return list(csv.DictReader(f))


def dataset(name, geojson, id_prop, value_of, baken, tmp):
    with open(geojson) as f:
        features = json.load(f)["features"]
    ids = [str(ft["properties"][id_prop]) for ft in features]
    y = np.array([value_of(ft) for ft in features], dtype=float)
    values = os.path.join(tmp, f"{name}-values.csv")
    with open(values, "w") as f:
        f.write("id,value\n")
        for i, v in zip(ids, y):
            f.write(f"{i},{float(v)!r}\n")
    # libpysal's own polygon type keeps every vertex, also of rings too degenerate for shapely.
    shapes = [to_polygon(ft["geometry"]) for ft in features]
    for kind, builder in (("queen", Queen), ("rook", Rook)):
        w = builder.from_iterable(shapes, ids=list(range(len(ids))))
        islands = set(w.islands)
        label = f"{name}/{kind}"
        g = run(baken, "global", geojson, id_prop, values, kind, os.path.join(tmp, f"{label.replace('/', '-')}-g.csv"))[0]
        m = esda.Moran(y, w, permutations=PERMUTATIONS)
        check(f"{label} global I", float(g["moran_i"]), m.I)
        check(f"{label} global z_norm", float(g["z_norm"]), m.z_norm)
        check(f"{label} global p_norm", float(g["p_norm"]), m.p_norm)
        check(f"{label} global z_rand", float(g["z_rand"]), m.z_rand)
        check_p(f"{label} global p_sim", float(g["p_sim"]), m.p_sim)

        rows = run(baken, "local", geojson, id_prop, values, kind, os.path.join(tmp, f"{label.replace('/', '-')}-l.csv"))
        lm = esda.Moran_Local(y, w, permutations=PERMUTATIONS, seed=2024)
        gl = esda.G_Local(y, w, transform="R", star=True, permutations=PERMUTATIONS, seed=2024)
        for i, r in enumerate(rows):
            assert r["id"] == ids[i]
            check(f"{label} {ids[i]} local I", float(r["moran_i"]), lm.Is[i])
            check(f"{label} {ids[i]} Gi*", float(r["gi_star"]), gl.Gs[i])
            check(f"{label} {ids[i]} Gi* z", float(r["gi_star_z"]), gl.Zs[i])
            if i not in islands:
                if int(r["moran_quadrant"]) != int(lm.q[i]) and abs(lm.Is[i]) > 1e-12:
                    failures.append(f"{label} {ids[i]} quadrant baken {r['moran_quadrant']} esda {lm.q[i]}")
                check_p(f"{label} {ids[i]} local p_sim", float(r["moran_p_sim"]), lm.p_sim[i])
                check_p(f"{label} {ids[i]} Gi* p_sim", float(r["gi_star_p_sim"]), gl.p_sim[i])
        print(f"{label}: {len(rows)} areas, {len(islands)} islands, global I {m.I:.6f}")


def main():
    baken, root = sys.argv[1], sys.argv[2]
    columbus = libpysal.examples.get_path("columbus.json")
    groningen = os.path.join(root, "data", "cbs", "groningen-buurten-2014.geojson")

    def pseudo_count(ft):
        # A deterministic, uneven count per buurt.
        h = hashlib.sha256(ft["properties"]["statcode"].encode()).digest()
        return float(h[0] % 37 + (h[1] % 5) * 10)

    with tempfile.TemporaryDirectory() as tmp:
        dataset("columbus", columbus, "POLYID", lambda ft: ft["properties"]["CRIME"], baken, tmp)
        dataset("groningen", groningen, "statcode", pseudo_count, baken, tmp)
    if failures:
        print(f"{len(failures)} disagreements:")
        for f in failures[:40]:
            print("  " + f)
        sys.exit(1)
    print("baken agrees with esda")


if __name__ == "__main__":
    main()
