//! Writes N generated signal rows as CSV for the bulk-import benchmark: invented titles,
//! people, addresses and plates; points inside the municipality of Groningen; dates in
//! 2023–2025. Deterministic for a given N.
//!
//! Usage: cargo run --release -p baken-intake --example gen_signals -- N OUT.csv

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;

/// A small linear congruential generator: deterministic and dependency-free.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }
}

const THEMES: [&str; 7] = [
    "buitengebied",
    "drugs",
    "mensenhandel",
    "vastgoed",
    "zorgfraude",
    "bedrijventerreinen",
    "cybercrime",
];
const TITLES: [&str; 6] = [
    "Loods verhuurd tegen contant geld",
    "Henneplucht bij woning",
    "Veel bezoek kort na elkaar",
    "Pand snel doorverkocht",
    "Afgeplakte ramen in bedrijfsunit",
    "Arbeidsmigranten in bedrijfspand",
];
const FIRST: [&str; 10] = [
    "Jan", "Piet", "Klaas", "Anna", "Fatima", "Mohamed", "Sanne", "Daan", "Eva", "Lucas",
];
const LAST: [&str; 10] = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "van der Berg",
    "Mulder",
    "de Boer",
    "Bos",
];
const LETTERS: &[u8] = b"BDFGHJKLNPRTVXZW";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args.get(1).and_then(|s| s.parse().ok()).expect("N");
    let out = args.get(2).expect("OUT.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    writeln!(
        w,
        "Titel;Omschrijving;Datum;Thema;Breedtegraad;Lengtegraad;Naam;Postcode;Huisnummer;Kenteken"
    )
    .unwrap();
    let mut r = Lcg(20231125);
    for i in 0..n {
        let title = r.pick(&TITLES);
        let day = r.range(1, 29);
        let month = r.range(1, 13);
        let year = r.range(2023, 2026);
        let theme = r.pick(&THEMES);
        // Inside the municipality's bounding box, mostly in the city.
        let lat = 53.18 + (r.range(0, 80_000) as f64) / 1_000_000.0;
        let lon = 6.50 + (r.range(0, 130_000) as f64) / 1_000_000.0;
        let name = format!("{} {}", r.pick(&FIRST), r.pick(&LAST));
        let postcode = format!(
            "97{:02} {}{}",
            r.range(11, 47),
            LETTERS[r.range(0, 16) as usize] as char,
            LETTERS[r.range(0, 16) as usize] as char
        );
        let number = r.range(1, 200);
        let plate = format!(
            "{}{}-{:03}-{}",
            LETTERS[r.range(0, 16) as usize] as char,
            LETTERS[r.range(0, 16) as usize] as char,
            r.range(1, 1000),
            LETTERS[r.range(0, 16) as usize] as char
        );
        writeln!(
            w,
            "{title};Melding {i}: {title}, gezien bij {name};{year}-{month:02}-{day:02};{theme};{lat:.6};{lon:.6};{name};{postcode};{number};{plate}"
        )
        .unwrap();
    }
}
