//! Normalisation of Dutch names, addresses, organisations, dates and plates into the forms the
//! comparisons use. Every function is idempotent: normalising a normalised value changes
//! nothing (checked by property tests).

/// Lower case, diacritics removed ([`baken_core::text::fold_lower`], the one folding Baken
/// has), every run of characters that is not a letter or digit made one space, trimmed.
/// "Ĳsselmeer-Zuid" → "ijsselmeer zuid".
pub fn text(s: &str) -> String {
    baken_core::text::words_text(s)
}

/// The text with its spaces removed: "pridham street" and "pridhamstreet" meet here.
pub fn compact(s: &str) -> String {
    text(s).replace(' ', "")
}

fn is_prefix_word(w: &str) -> bool {
    matches!(
        w,
        "van"
            | "de"
            | "der"
            | "den"
            | "het"
            | "ter"
            | "ten"
            | "te"
            | "t"
            | "in"
            | "op"
            | "uit"
            | "aan"
            | "bij"
            | "von"
            | "la"
            | "le"
            | "du"
            | "d"
            | "da"
            | "di"
            | "del"
            | "dos"
    )
}

/// A person's name in parts: given names (or initials), the tussenvoegsel and the surname.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonName {
    pub given: String,
    pub prefix: String,
    pub surname: String,
}

/// Splits a surname into its tussenvoegsel and its core: "van der Berg" → ("van der", "berg");
/// "Berg, van der" (register order) → the same.
pub fn surname(s: &str) -> (String, String) {
    let (main, trailing) = match s.split_once(',') {
        Some((m, t)) => (text(m), text(t)),
        None => (text(s), String::new()),
    };
    let words: Vec<&str> = main.split(' ').filter(|w| !w.is_empty()).collect();
    let mut cut = 0;
    while cut + 1 < words.len() && is_prefix_word(words[cut]) {
        cut += 1;
    }
    let (leading, core) = (words[..cut].join(" "), words[cut..].join(" "));
    if !trailing.is_empty() && trailing.split(' ').all(is_prefix_word) {
        // Register order; a prefix written in front as well ("de Vries, van") stays a prefix,
        // so that the core of a core is the core.
        let prefix = [trailing, leading]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        return (prefix, core);
    }
    (leading, core)
}

/// The surname without its tussenvoegsel, the form surnames are compared and blocked on.
pub fn surname_core(s: &str) -> String {
    surname(s).1
}

/// Splits a full name as people write it: "J. van der Berg", "Jan-Willem de Vries",
/// "Berg, J. van der", "Vries, Jan de".
pub fn person_name(full: &str) -> PersonName {
    if let Some((last, first)) = full.split_once(',') {
        // Register order: surname first, then given names, then the tussenvoegsel.
        let rest = text(first);
        let words: Vec<&str> = rest.split(' ').filter(|w| !w.is_empty()).collect();
        let mut cut = words.len();
        while cut > 0 && is_prefix_word(words[cut - 1]) {
            cut -= 1;
        }
        return PersonName {
            given: words[..cut].join(" "),
            prefix: words[cut..].join(" "),
            surname: text(last),
        };
    }
    let t = text(full);
    let words: Vec<&str> = t.split(' ').filter(|w| !w.is_empty()).collect();
    // The first prefix word after at least one given name starts the surname part.
    let start = (1..words.len())
        .find(|&i| is_prefix_word(words[i]) && i + 1 < words.len())
        .unwrap_or(words.len().saturating_sub(1));
    let (prefix, core) = surname(&words[start..].join(" "));
    PersonName {
        given: words[..start].join(" "),
        prefix,
        surname: core,
    }
}

/// True when `given` is only initials ("j", "j w", "jw" when written "J.W.").
pub fn is_initials(given: &str) -> bool {
    let t = text(given);
    !t.is_empty() && t.split(' ').all(|w| w.chars().count() == 1)
}

/// Street-name abbreviations as they appear in Dutch files, and their full form.
const STREET_WORDS: [(&str, &str); 14] = [
    ("str", "straat"),
    ("strt", "straat"),
    ("ln", "laan"),
    ("wg", "weg"),
    ("pln", "plein"),
    ("pl", "plein"),
    ("sngl", "singel"),
    ("kd", "kade"),
    ("gr", "gracht"),
    ("grt", "gracht"),
    ("dk", "dijk"),
    ("v", "van"),
    ("burg", "burgemeester"),
    ("st", "sint"),
];

/// A street name: normalised text with abbreviations written out, "Stationsstr." →
/// "stationsstraat"; compared without spaces. The joined form is expanded once more, so that
/// words that only become an abbreviation when joined ("s tr") read as a second pass would
/// read them: the result is a fixed point.
pub fn street(s: &str) -> String {
    let joined: String = text(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(street_word)
        .collect();
    street_word(&joined)
}

/// One word of a street name with its abbreviation written out.
fn street_word(w: &str) -> String {
    match STREET_WORDS.iter().find(|(abbr, _)| *abbr == w) {
        Some((_, full)) => (*full).to_string(),
        // "Stationsstr" → "stationsstraat": the abbreviation at the end of a word.
        None => match w.strip_suffix("str").filter(|stem| !stem.is_empty()) {
            Some(stem) => format!("{stem}straat"),
            None => w.to_string(),
        },
    }
}

/// A house number split into number, letter and addition: "12a-2" → ("12", "A", "2");
/// "12 hs" → ("12", "", "HS"). Without a number the whole text is the addition.
pub fn house_number(s: &str) -> (String, String, String) {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '/'))
        .collect::<String>()
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_ascii_uppercase();
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        let rest: String = t.chars().filter(char::is_ascii_alphanumeric).collect();
        return (String::new(), String::new(), rest);
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let number = match digits.trim_start_matches('0') {
        "" => "0".to_string(),
        n => n.to_string(),
    };
    let after = &t[digits.len()..];
    let rest: Vec<char> = after.chars().filter(char::is_ascii_alphanumeric).collect();
    let (letter, addition) = match rest.as_slice() {
        // A single letter right after the number is the huisletter ("12a", "12 A", "12a-2").
        [l, tail @ ..]
            if l.is_ascii_alphabetic() && !tail.first().is_some_and(char::is_ascii_alphabetic) =>
        {
            (l.to_string(), tail.iter().collect::<String>())
        }
        other => (String::new(), other.iter().collect::<String>()),
    };
    (number, letter, addition)
}

/// The house number as one comparable token: "12 A" → "12a", "12A-2" → "12a-2".
pub fn house_number_key(s: &str) -> String {
    let (n, l, a) = house_number(s);
    if a.is_empty() {
        format!("{n}{l}").to_lowercase()
    } else {
        format!("{n}{l}-{a}").to_lowercase()
    }
}

/// A Dutch address code: the postcode (four digits, two letters) and the house number key
/// ("9711 aa 12 a-1" → "9711AA 12a-1"); empty when it does not start with a Dutch postcode or
/// has no house number.
pub fn address_code(s: &str) -> String {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let pc: String = compact.chars().take(6).collect();
    let is_postcode = pc.len() == 6
        && pc.chars().take(4).all(|c| c.is_ascii_digit())
        && pc.chars().skip(4).all(|c| c.is_ascii_alphabetic());
    let rest = s
        .trim_start()
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .nth(6)
        .map_or("", |(i, _)| &s.trim_start()[i..]);
    let number = house_number_key(rest);
    if !is_postcode || number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
        return String::new();
    }
    format!("{} {number}", pc.to_uppercase())
}

/// A postcode: upper case without spaces ("1234 ab" → "1234AB"); other countries' codes kept
/// as their digits and letters.
pub fn postcode(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_uppercase()
}

/// Legal forms and words that say nothing about which organisation it is.
const LEGAL_FORMS: [&str; 22] = [
    "bv",
    "b v",
    "nv",
    "n v",
    "vof",
    "v o f",
    "cv",
    "c v",
    "holding",
    "stichting",
    "vereniging",
    "cooperatie",
    "ua",
    "u a",
    "eenmanszaak",
    "beheer",
    "h o d n",
    "hodn",
    "ltd",
    "gmbh",
    "inc",
    "sarl",
];

/// Legal forms as written (after [`text`]) and the form they are.
const LEGAL_FORM_OF: [(&str, &str); 18] = [
    ("bv", "bv"),
    ("b v", "bv"),
    ("nv", "nv"),
    ("n v", "nv"),
    ("vof", "vof"),
    ("v o f", "vof"),
    ("cv", "cv"),
    ("c v", "cv"),
    ("stichting", "stichting"),
    ("vereniging", "vereniging"),
    ("cooperatie", "cooperatie"),
    ("ua", "cooperatie"),
    ("u a", "cooperatie"),
    ("eenmanszaak", "eenmanszaak"),
    ("ltd", "ltd"),
    ("gmbh", "gmbh"),
    ("inc", "inc"),
    ("sarl", "sarl"),
];

/// The legal form an organisation's name states ("Jansen Transport B.V." → "bv",
/// "Stichting De Brug" → "stichting"), if it states one. "Holding" and "beheer" are no forms.
pub fn legal_form(s: &str) -> Option<&'static str> {
    let t = format!(" {} ", text(s));
    LEGAL_FORM_OF
        .iter()
        .find(|(written, _)| t.contains(&format!(" {written} ")))
        .map(|(_, form)| *form)
}

/// An organisation name without its legal form: "Jansen Transport B.V." → "jansen transport";
/// "Holding Jansen B.V." → "jansen".
pub fn organisation(s: &str) -> String {
    let mut t = format!(" {} ", text(s));
    loop {
        let before = t.clone();
        for form in LEGAL_FORMS {
            t = t.replace(&format!(" {form} "), " ");
        }
        if t == before {
            break;
        }
    }
    let core = t.trim().to_string();
    if core.is_empty() {
        text(s)
    } else {
        core
    }
}

/// A licence plate: letters and digits, upper case ("12-ab-34" → "12AB34").
pub fn plate(s: &str) -> String {
    postcode(s)
}

/// A date as YYYYMMDD from "1985-03-04", "04-03-1985" (Dutch order), "4-3-1985" or "19850304";
/// other text is kept as its digits so that typos can still be compared.
pub fn date(s: &str) -> String {
    let parts: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            format!("{y}{m:0>2}{d:0>2}")
        }
        [d, m, y] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            format!("{y}{m:0>2}{d:0>2}")
        }
        _ => parts.concat(),
    }
}

/// Any other identifier: letters and digits only, upper case.
pub fn identifier(s: &str) -> String {
    postcode(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn address_codes_keep_number_and_addition_apart() {
        assert_eq!(address_code("9711 aa 12 a-1"), "9711AA 12a-1");
        assert_eq!(address_code("9711AA 12"), "9711AA 12");
        assert_ne!(address_code("9711AA 1-2"), address_code("9711AA 12"));
        assert_eq!(address_code("9711AA"), "");
        assert_eq!(address_code("B-1000 12"), "");
    }

    #[test]
    fn dutch_names_split_into_given_prefix_and_surname() {
        let n = person_name("J. van der Berg");
        assert_eq!(
            (n.given.as_str(), n.prefix.as_str(), n.surname.as_str()),
            ("j", "van der", "berg")
        );
        let n = person_name("Berg, J. van der");
        assert_eq!(
            (n.given.as_str(), n.prefix.as_str(), n.surname.as_str()),
            ("j", "van der", "berg")
        );
        let n = person_name("Jan-Willem de Vries-Jansen");
        assert_eq!(
            (n.given.as_str(), n.prefix.as_str(), n.surname.as_str()),
            ("jan willem", "de", "vries jansen")
        );
        let n = person_name("Anna Ter Horst");
        assert_eq!(
            (n.given.as_str(), n.prefix.as_str(), n.surname.as_str()),
            ("anna", "ter", "horst")
        );
        assert_eq!(surname_core("de Vries"), "vries");
        assert_eq!(surname_core("Vries, de"), "vries");
        assert_eq!(surname_core("van 't Hof"), "hof");
        assert_eq!(surname_core("D 𐺰,T"), surname_core(&surname_core("D 𐺰,T")));
        assert!(is_initials("J.W."));
        assert!(!is_initials("Jan"));
        assert_eq!(text("Ĳsselmeer-Zuid, Müller"), "ijsselmeer zuid muller");
        assert_eq!(text("Straße"), "strasse");
    }

    #[test]
    fn addresses_and_organisations_lose_their_noise() {
        assert_eq!(street("Stationsstr."), "stationsstraat");
        assert_eq!(street("Burg. de Withstr"), "burgemeesterdewithstraat");
        assert_eq!(street("pridham street"), street("pridhamstreet"));
        // Found by the idempotence property: the ligature "ﬅ" folds to "st", which joined
        // with the next word makes an abbreviation.
        assert_eq!(street("0ﬅ🟰R"), street(&street("0ﬅ🟰R")));
        assert_eq!(house_number("12a-2"), ("12".into(), "A".into(), "2".into()));
        assert_eq!(house_number("12 A"), ("12".into(), "A".into(), "".into()));
        assert_eq!(house_number("12-II"), ("12".into(), "".into(), "II".into()));
        assert_eq!(
            house_number("012 hs"),
            ("12".into(), "".into(), "HS".into())
        );
        assert_eq!(postcode("9711 lm"), "9711LM");
        assert_eq!(organisation("Jansen Transport B.V."), "jansen transport");
        assert_eq!(organisation("Holding Jansen B.V."), "jansen");
        assert_eq!(organisation("Stichting Vrienden v.o.f."), "vrienden");
        assert_eq!(organisation("B.V."), "b v");
        assert_eq!(plate("12-ab-34"), "12AB34");
        assert_eq!(date("1985-03-04"), "19850304");
        assert_eq!(date("4-3-1985"), "19850304");
        assert_eq!(date("19850304"), "19850304");
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent(s in "\\PC{0,40}") {
            prop_assert_eq!(text(&text(&s)), text(&s));
            prop_assert_eq!(compact(&compact(&s)), compact(&s));
            prop_assert_eq!(street(&street(&s)), street(&s));
            prop_assert_eq!(postcode(&postcode(&s)), postcode(&s));
            prop_assert_eq!(organisation(&organisation(&s)), organisation(&s));
            prop_assert_eq!(date(&date(&s)), date(&s));
            prop_assert_eq!(surname_core(&surname_core(&s)), surname_core(&s));
            prop_assert_eq!(house_number_key(&house_number_key(&s)), house_number_key(&s));
        }

        #[test]
        fn dutch_looking_names_are_idempotent(
            given in "[A-Z][a-z]{1,8}",
            prefix in prop::sample::select(vec!["", "van", "de", "van der", "ter"]),
            last in "[A-Z][a-z]{2,10}",
        ) {
            let full = format!("{given} {prefix} {last}");
            let n = person_name(&full);
            let again = person_name(&format!("{} {} {}", n.given, n.prefix, n.surname));
            prop_assert_eq!(n, again);
        }
    }
}
