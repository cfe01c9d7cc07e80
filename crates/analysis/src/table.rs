//! The command line's tables: values in (id and value per row), results out, as CSV text.

use std::collections::HashMap;

use crate::local::LocalResult;
use crate::moran::GlobalMoran;

/// Reads `id,value` (or `;`-separated) rows after a header; the error names the row.
pub fn parse_values(text: &str) -> Result<HashMap<String, f64>, String> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| format!("rij {row}: {e}"))?;
        let id = record
            .get(0)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(format!("rij {row}: geen id"))?;
        let raw = record.get(1).map(str::trim).unwrap_or("");
        let value: f64 = raw
            .replace(',', ".")
            .parse()
            .map_err(|_| format!("rij {row}, kolom 2: '{raw}' is geen getal"))?;
        if !value.is_finite() {
            return Err(format!("rij {row}, kolom 2: '{raw}' is geen eindig getal"));
        }
        if out.insert(id.to_string(), value).is_some() {
            return Err(format!("rij {row}: id '{id}' komt twee keer voor"));
        }
    }
    Ok(out)
}

fn opt(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.17}")).unwrap_or_default()
}

pub fn local_csv(ids: &[String], results: &[LocalResult]) -> String {
    let mut out = String::from("id,moran_i,moran_quadrant,moran_z_sim,moran_p_sim,gi_star,gi_star_z,gi_star_p_norm,gi_star_p_sim\n");
    for (id, r) in ids.iter().zip(results) {
        out.push_str(&format!(
            "{id},{:.17},{},{},{},{:.17},{:.17},{:.17},{}\n",
            r.moran_i,
            r.quadrant,
            opt(r.moran_z_sim),
            opt(r.moran_p_sim),
            r.gi_star,
            r.gi_star_z,
            r.gi_star_p_norm,
            opt(r.gi_star_p_sim)
        ));
    }
    out
}

pub fn global_csv(g: &GlobalMoran) -> String {
    format!(
        "moran_i,expected,z_norm,p_norm,z_rand,p_rand,z_sim,p_sim\n{:.17},{:.17},{:.17},{:.17},{:.17},{:.17},{},{}\n",
        g.i,
        g.expected,
        g.z_norm,
        g.p_norm,
        g.z_rand,
        g.p_rand,
        opt(g.z_sim),
        opt(g.p_sim)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_and_errors_named() {
        let v = parse_values("id;waarde\nBU1;3,5\nBU2;4\n").unwrap();
        assert_eq!(v["BU1"], 3.5);
        assert_eq!(
            parse_values("id,v\nA,x\n").unwrap_err(),
            "rij 2, kolom 2: 'x' is geen getal"
        );
        assert!(parse_values("id,v\nA,1\nA,2\n")
            .unwrap_err()
            .contains("twee keer"));
    }
}
