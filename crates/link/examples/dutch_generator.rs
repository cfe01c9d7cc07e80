//! A realistic Dutch data set with known truth, for benchmarking the linker:
//! `cargo run --release -p baken-link --example dutch_generator -- RECORDS OUT.csv [SEED]`.
//!
//! People get a given name, a surname (with tussenvoegsel, sometimes a double name), a birth
//! date and an address (street, house number with letter or addition, postcode, place); some
//! run a company. Names and streets follow a skewed frequency (a few very common, a long tail of
//! rare ones), as real Dutch names do. About 30% of people appear more than once, each extra
//! record spoiled the way registrations spoil them: typos, initials, register order, swapped
//! given name and surname, dates in Dutch order or with a typo, day and month swapped,
//! abbreviated streets, postcodes without the space or lower case, a house number with its
//! letter written apart, a move to another address, and missing fields. The column `entity`
//! holds the truth.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::io::Write;

const GIVEN: [&str; 80] = [
    "Jan",
    "Johannes",
    "Cornelis",
    "Hendrik",
    "Pieter",
    "Willem",
    "Gerrit",
    "Jacob",
    "Dirk",
    "Hans",
    "Peter",
    "Kees",
    "Bram",
    "Daan",
    "Sem",
    "Lucas",
    "Finn",
    "Levi",
    "Noah",
    "Luuk",
    "Thijs",
    "Jesse",
    "Ruben",
    "Tim",
    "Bas",
    "Joost",
    "Martijn",
    "Sander",
    "Rob",
    "Mark",
    "Erik",
    "Mohamed",
    "Ahmed",
    "Mehmet",
    "Youssef",
    "Ricardo",
    "Stefan",
    "Wim",
    "Henk",
    "Frank",
    "Maria",
    "Anna",
    "Johanna",
    "Cornelia",
    "Elisabeth",
    "Wilhelmina",
    "Hendrika",
    "Emma",
    "Julia",
    "Sophie",
    "Tess",
    "Sanne",
    "Lotte",
    "Eva",
    "Lisa",
    "Fleur",
    "Anouk",
    "Femke",
    "Iris",
    "Lieke",
    "Marieke",
    "Linda",
    "Petra",
    "Monique",
    "Ingrid",
    "Sandra",
    "Esther",
    "Fatima",
    "Priya",
    "Ayse",
    "Sarah",
    "Nina",
    "Mila",
    "Zoë",
    "Noor",
    "Roos",
    "Evi",
    "Saar",
    "Yara",
    "Bente",
];

const SURNAMES: [&str; 60] = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Bruin",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "Yilmaz",
    "El Idrissi",
    "Ramdin",
    "Martina",
    "ter Horst",
    "Postma",
    "Kuipers",
    "Veenstra",
    "Zwart",
    "Wouters",
];

const SYLLABLES: [&str; 40] = [
    "berg", "man", "stra", "ma", "sen", "kamp", "veld", "hof", "dijk", "huis", "hout", "broek",
    "ink", "ing", "ter", "bos", "wijk", "land", "meer", "zand", "gaard", "horst", "loo", "kes",
    "ers", "sma", "ga", "ens", "beek", "water", "hage", "burg", "rijk", "mol", "aar", "steen",
    "werf", "hoek", "stee", "velde",
];

const STREET_STEMS: [&str; 40] = [
    "Kerk",
    "School",
    "Molen",
    "Dorps",
    "Stations",
    "Wilhelmina",
    "Juliana",
    "Beatrix",
    "Oranje",
    "Nieuwe",
    "Hoofd",
    "Markt",
    "Linden",
    "Eiken",
    "Beuken",
    "Berken",
    "Esdoorn",
    "Iepen",
    "Tulp",
    "Rozen",
    "Prinses",
    "Koning",
    "Heren",
    "Vissers",
    "Bakkers",
    "Smeden",
    "Zuider",
    "Noorder",
    "Ooster",
    "Wester",
    "Haven",
    "Sluis",
    "Brug",
    "Polder",
    "Veen",
    "Heide",
    "Akker",
    "Wei",
    "Kanaal",
    "Dijk",
];

const STREET_KINDS: [(&str, &str); 8] = [
    ("straat", "str."),
    ("weg", "wg"),
    ("laan", "ln"),
    ("plein", "pln"),
    ("singel", "sngl"),
    ("kade", "kd"),
    ("dijk", "dk"),
    ("pad", "pad"),
];

const PLACES: [&str; 40] = [
    "Groningen",
    "Haren",
    "Ten Boer",
    "Hoogezand",
    "Zuidhorn",
    "Leek",
    "Assen",
    "Veendam",
    "Winschoten",
    "Delfzijl",
    "Appingedam",
    "Stadskanaal",
    "Emmen",
    "Drachten",
    "Leeuwarden",
    "Zwolle",
    "Deventer",
    "Enschede",
    "Almelo",
    "Hengelo",
    "Apeldoorn",
    "Arnhem",
    "Nijmegen",
    "Utrecht",
    "Amersfoort",
    "Hilversum",
    "Haarlem",
    "Leiden",
    "Delft",
    "Gouda",
    "Dordrecht",
    "Breda",
    "Tilburg",
    "Eindhoven",
    "Helmond",
    "Venlo",
    "Roermond",
    "Maastricht",
    "Heerlen",
    "Middelburg",
];

struct Person {
    given: String,
    surname: String,
    born: (i32, u32, u32),
    street: String,
    street_kind: usize,
    number: u32,
    letter: Option<char>,
    postcode: String,
    place: String,
}

/// An index skewed towards the start: P(k) ∝ 1/(k + 10), a Zipf law flattened at the top,
/// so the most common entry of a list of 60 has about 5% of the draws, not a sixth.
fn skewed(rng: &mut SmallRng, n: usize) -> usize {
    let u: f64 = rng.gen();
    let (lo, hi) = (10.0f64, n as f64 + 10.0);
    ((lo * (hi / lo).powf(u) - lo) as usize).min(n - 1)
}

fn rare_given(rng: &mut SmallRng) -> String {
    const STARTS: [&str; 20] = [
        "Ma", "Jo", "Ri", "Ke", "Le", "Ni", "Sa", "Ti", "Wo", "Da", "Ro", "Fe", "Ge", "Ha", "Ja",
        "Lu", "Mi", "No", "Pe", "Ya",
    ];
    const ENDS: [&str; 20] = [
        "rik", "ke", "na", "bert", "mar", "lien", "ron", "dy", "nno", "sse", "ra", "nus", "ldo",
        "mke", "ris", "via", "zz", "ntje", "bas", "len",
    ];
    format!(
        "{}{}",
        STARTS[rng.gen_range(0..STARTS.len())],
        ENDS[rng.gen_range(0..ENDS.len())]
    )
}

fn rare_surname(rng: &mut SmallRng) -> String {
    let parts = rng.gen_range(2..=3);
    let mut s: String = (0..parts)
        .map(|_| SYLLABLES[rng.gen_range(0..SYLLABLES.len())])
        .collect();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    if rng.gen_bool(0.15) {
        format!(
            "{} {s}",
            ["van", "de", "van der", "ter"][rng.gen_range(0..4)]
        )
    } else {
        s
    }
}

fn person(rng: &mut SmallRng) -> Person {
    // Common names are common, but most people carry one of a long tail, as in the BRP: the
    // most common Dutch surname (de Jong) belongs to about 0.5% of the population.
    let given = if rng.gen_bool(0.6) {
        GIVEN[skewed(rng, GIVEN.len())].to_string()
    } else {
        rare_given(rng)
    };
    let surname = if rng.gen_bool(0.12) {
        SURNAMES[skewed(rng, SURNAMES.len())].to_string()
    } else {
        rare_surname(rng)
    };
    let surname = if rng.gen_bool(0.05) {
        format!("{surname}-{}", SURNAMES[skewed(rng, SURNAMES.len())])
    } else {
        surname
    };
    let place_index = skewed(rng, PLACES.len());
    let stem = STREET_STEMS[rng.gen_range(0..STREET_STEMS.len())];
    let street_kind = rng.gen_range(0..STREET_KINDS.len());
    // A street is its stem and kind within a place; its postcodes are near each other.
    let pc4 = 1000 + (place_index * 200 + rng.gen_range(0..200)) % 9000;
    let letters: String = (0..2)
        .map(|_| (b'A' + rng.gen_range(0..26u8)) as char)
        .collect();
    Person {
        given,
        surname,
        born: (
            rng.gen_range(1930..2006),
            rng.gen_range(1..=12),
            rng.gen_range(1..=28),
        ),
        street: format!("{stem}{}", STREET_KINDS[street_kind].0),
        street_kind,
        number: 1 + skewed(rng, 300) as u32,
        letter: rng
            .gen_bool(0.1)
            .then(|| (b'a' + rng.gen_range(0..4u8)) as char),
        postcode: format!("{pc4}{letters}"),
        place: PLACES[place_index].to_string(),
    }
}

fn typo(rng: &mut SmallRng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if chars.len() < 3 {
        return s.to_string();
    }
    let i = rng.gen_range(1..chars.len() - 1);
    match rng.gen_range(0..4) {
        0 => {
            chars.remove(i);
        }
        1 => chars.swap(i, i + 1),
        2 => chars[i] = (b'a' + rng.gen_range(0..26u8)) as char,
        _ => chars.insert(i, chars[i]),
    }
    chars.into_iter().collect()
}

/// One record of `p`; `spoil` damages it the way a second source would.
fn record(rng: &mut SmallRng, p: &Person, spoil: bool) -> [String; 7] {
    let (y, m, d) = p.born;
    let mut given = p.given.clone();
    let mut surname = p.surname.clone();
    let mut born = format!("{y:04}-{m:02}-{d:02}");
    let mut street = p.street.clone();
    let mut number = match p.letter {
        Some(l) => format!("{}{l}", p.number),
        None => p.number.to_string(),
    };
    let mut postcode = format!("{} {}", &p.postcode[..4], &p.postcode[4..]);
    let mut place = p.place.clone();
    if spoil {
        let damage = rng.gen_range(1..=3);
        for _ in 0..damage {
            match rng.gen_range(0..14) {
                0 => surname = typo(rng, &surname),
                1 => given = typo(rng, &given),
                2 => {
                    given = given
                        .chars()
                        .next()
                        .map(|c| format!("{c}."))
                        .unwrap_or_default()
                }
                3 => std::mem::swap(&mut given, &mut surname),
                4 => born = format!("{d:02}-{m:02}-{y:04}"),
                5 => born = typo(rng, &born.replace('-', "")),
                6 if d <= 12 => born = format!("{y:04}-{d:02}-{m:02}"),
                7 => {
                    street =
                        street.replace(STREET_KINDS[p.street_kind].0, STREET_KINDS[p.street_kind].1)
                }
                8 => postcode = postcode.replace(' ', "").to_lowercase(),
                9 => {
                    if let Some(l) = p.letter {
                        number = format!("{} {}", p.number, l.to_ascii_uppercase());
                    }
                }
                10 => {
                    // Moved: a different address in the same place.
                    let other = person(rng);
                    street = other.street;
                    number = other.number.to_string();
                    postcode = other.postcode;
                }
                11 => born.clear(),
                12 => {
                    street.clear();
                    number.clear();
                }
                _ => place = typo(rng, &place),
            }
        }
    }
    [given, surname, born, street, number, postcode, place]
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let wanted: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let out = args.get(2).map_or("dutch.csv", String::as_str);
    let seed: u64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(2026);
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    writeln!(
        w,
        "id,entity,given_name,surname,date_of_birth,street,house_number,postcode,city"
    )?;
    let mut written = 0usize;
    let mut entity = 0usize;
    while written < wanted {
        entity += 1;
        let p = person(&mut rng);
        let copies = if rng.gen_bool(0.7) {
            1
        } else {
            rng.gen_range(2..=4)
        };
        for c in 0..copies {
            if written == wanted {
                break;
            }
            let r = record(&mut rng, &p, c > 0);
            written += 1;
            let cell = |s: &str| {
                if s.contains(',') || s.contains('"') {
                    format!("\"{}\"", s.replace('"', "\"\""))
                } else {
                    s.to_string()
                }
            };
            writeln!(
                w,
                "r{written},e{entity},{},{},{},{},{},{},{}",
                cell(&r[0]),
                cell(&r[1]),
                cell(&r[2]),
                cell(&r[3]),
                cell(&r[4]),
                cell(&r[5]),
                cell(&r[6])
            )?;
        }
    }
    w.flush()
}
