"""Splink 5 (DuckDB) deduplicating the generated Dutch file, set up the way Splink's FEBRL
examples are (name, date-of-birth, Damerau-Levenshtein and exact comparisons with term
frequencies; deterministic-rule prior; u by random sampling; two EM sessions), with the
normalisation Splink needs done in pandas first (Baken does it inside). Writes every pair
predicted with match probability >= 0.2."""
import sys

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

source, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(source, dtype=str, keep_default_na=False)
df = df.drop(columns=["entity"])
for c in ["given_name", "surname", "street", "city"]:
    df[c] = df[c].str.strip().str.lower()
df["postcode"] = df["postcode"].str.replace(" ", "", regex=False).str.upper()
df["house_number"] = df["house_number"].str.replace(" ", "", regex=False).str.lower()
# Dates arrive as YYYY-MM-DD, DD-MM-YYYY or YYYYMMDD.
d = df["date_of_birth"]
iso = pd.to_datetime(d, format="%Y-%m-%d", errors="coerce")
iso = iso.fillna(pd.to_datetime(d, format="%d-%m-%Y", errors="coerce"))
iso = iso.fillna(pd.to_datetime(d, format="%Y%m%d", errors="coerce"))
df["date_of_birth"] = iso.dt.strftime("%Y-%m-%d")
df = df.replace("", None)

settings = SettingsCreator(
    unique_id_column_name="id",
    link_type="dedupe_only",
    blocking_rules_to_generate_predictions=[
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("surname", "date_of_birth"),
        block_on("given_name", "date_of_birth"),
        block_on("postcode", "date_of_birth"),
        block_on("postcode", "house_number"),
        block_on("street", "house_number", "city"),
    ],
    comparisons=[
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison(
            "date_of_birth", input_is_string=True, invalid_dates_as_null=True
        ),
        cl.ExactMatch("house_number").configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("street", [0.9, 0.8]).configure(
            term_frequency_adjustments=True
        ),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
            term_frequency_adjustments=True
        ),
        cl.JaroWinklerAtThresholds("city", [0.9]).configure(term_frequency_adjustments=True),
    ],
    retain_intermediate_calculation_columns=False,
)
db_api = DuckDBAPI()
linker = Linker(db_api.register(df), settings)
linker.training.estimate_probability_two_random_records_match(
    [block_on("given_name", "surname", "date_of_birth")], recall=0.7
)
linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
linker.training.estimate_parameters_using_expectation_maximisation(
    block_on("date_of_birth"), estimate_without_term_frequencies=True
)
linker.training.estimate_parameters_using_expectation_maximisation(
    block_on("postcode"), estimate_without_term_frequencies=True
)
predictions = linker.inference.predict(threshold_match_probability=0.2)
pairs = predictions.as_pandas_dataframe()[["id_l", "id_r", "match_probability"]]
pairs.columns = ["left_id", "right_id", "match_probability"]
pairs.to_csv(out, index=False)
