"""Splink 5 on FEBRL, DuckDB backend, in one of two configurations:

- `febrl4` / `febrl3`: as Splink's own examples (docs/demos/examples/duckdb/febrl4.nb.py, the
  detailed model, and febrl3.nb.py);
- `febrl4:full` / `febrl3:full`: the fuller model of issue 11 (Splink at its best on this
  machine): given name and surname with Jaro-Winkler levels and term frequencies, date of
  birth, soc_sec_id with Damerau-Levenshtein, street_number exact with term frequencies,
  address_1 Jaro-Winkler, postcode Damerau-Levenshtein with term frequencies, suburb
  Jaro-Winkler with term frequencies; blocking on soc_sec_id, given_name, surname,
  date_of_birth, postcode and for FEBRL4 also swapped names, street_number + address_1 and
  state + address_1; deterministic-rule prior; u from 10^7 random pairs; EM blocked on date
  of birth and on postcode.

Writes every pair Splink predicts with match probability >= 0.2 (as the examples)."""
import sys

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

which, out = sys.argv[1], sys.argv[2]
files = sys.argv[3:]


def load(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.columns = [c.strip() for c in df.columns]
    for c in df.columns:
        df[c] = df[c].str.strip().replace("", None)
    return df


dfs = [load(f) for f in files]
db_api = DuckDBAPI()

if which.endswith(":full"):
    link4 = which.startswith("febrl4")
    blocking_rules = [
        block_on("soc_sec_id"),
        block_on("given_name"),
        block_on("surname"),
        block_on("date_of_birth"),
        block_on("postcode"),
    ]
    if link4:
        blocking_rules += [
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("street_number", "address_1"),
            block_on("state", "address_1"),
        ]
    tf = {"term_frequency_adjustments": True}
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only" if link4 else "dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.JaroWinklerAtThresholds("given_name", [0.92, 0.88, 0.7]).configure(**tf),
            cl.JaroWinklerAtThresholds("surname", [0.92, 0.88, 0.7]).configure(**tf),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(**tf),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.8]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(**tf),
            cl.JaroWinklerAtThresholds("suburb", [0.9]).configure(**tf),
        ],
        retain_intermediate_calculation_columns=True,
    )
    linker = Linker(
        [db_api.register(df) for df in dfs] if link4 else db_api.register(dfs[0]), settings
    )
    deterministic_rules = [
        block_on("soc_sec_id"),
        block_on("given_name", "surname", "date_of_birth"),
    ]
    linker.training.estimate_probability_two_random_records_match(
        deterministic_rules, recall=0.8 if link4 else 0.9
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
elif which == "febrl4":
    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        retain_intermediate_calculation_columns=True,
    )
    linker = Linker([db_api.register(df) for df in dfs], settings)
    deterministic_rules = [
        block_on("soc_sec_id"),
        block_on("given_name", "surname", "date_of_birth"),
    ]
    linker.training.estimate_probability_two_random_records_match(
        deterministic_rules, recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
else:
    blocking_rules = [
        block_on("soc_sec_id"),
        block_on("given_name"),
        block_on("surname"),
        block_on("date_of_birth"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    linker = Linker(db_api.register(dfs[0]), settings)
    deterministic_rules = [
        block_on("soc_sec_id"),
        block_on("given_name", "surname", "date_of_birth"),
        "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
    ]
    linker.training.estimate_probability_two_random_records_match(
        deterministic_rules, recall=0.9
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))

predictions = linker.inference.predict(threshold_match_probability=0.2)
pairs = predictions.as_pandas_dataframe()[["rec_id_l", "rec_id_r", "match_probability"]]
pairs.columns = ["left_id", "right_id", "match_probability"]
pairs.to_csv(out, index=False)
