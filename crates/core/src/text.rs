//! The one way Baken folds text for matching. Search (the index and the query), subject
//! suggestions, the stored `normalised` form of a subject and the linking engine all fold
//! characters with [`fold_lower`]; they differ only in what they do with case and word breaks
//! afterwards ([`fold`], [`words`], `baken_link::normalise::text`).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower case without diacritics: Unicode compatibility decomposition (NFKD, so "Ĳ" becomes
/// "ij" and "ﬁ" "fi") without combining marks, and the letters that do not decompose but that
/// Dutch users type without their mark: ß → ss, ø → o, æ → ae, œ → oe, ł → l, đ → d, ı → i.
/// Every other character (spaces, punctuation) is kept.
pub fn fold_lower(s: &str) -> String {
    // Most text is plain ASCII, which has nothing to decompose or fold but its case.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'ø' | 'Ø' => out.push('o'),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            // Lower case of upper case, so that forms that differ only in case (final sigma,
            // long s) fold alike and the stored upper-case form folds back to the same text.
            c => out.extend(
                c.to_uppercase()
                    .flat_map(char::to_lowercase)
                    .filter(|l| !is_combining_mark(*l)),
            ),
        }
    }
    out
}

/// Upper case without diacritics and with single spaces: the stored matching form of a name
/// (a subject's `normalised`), compared by subject suggestions.
pub fn fold(s: &str) -> String {
    fold_lower(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// The words of a text for search: folded, split on anything that is not a letter or digit.
pub fn words(s: &str) -> Vec<String> {
    fold_lower(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The words of [`words`] joined by single spaces, in one string (the form of indexed text
/// and of `baken_link::normalise::text`).
pub fn words_text(s: &str) -> String {
    let folded = fold_lower(s);
    let mut out = String::with_capacity(folded.len());
    for word in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The Dutch stem of a folded word (Snowball's Dutch stemmer, as PostgreSQL's `dutch`
/// configuration uses): "woningen" → "woning", "drugs" → "drug". Search matches documents on
/// words that start with the stem of a query word as well as on the word itself.
pub fn dutch_stem(word: &str) -> String {
    rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Dutch)
        .stem(word)
        .into_owned()
}

/// A value as a spreadsheet cell that cannot run as a formula: text that a spreadsheet would
/// read as one (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading
/// apostrophe, as OWASP advises for CSV files that people open in Excel or LibreOffice.
pub fn spreadsheet_safe(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}").into(),
        _ => value.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dutch_and_european_letters_fold_to_what_users_type() {
        assert_eq!(fold_lower("Ĳsselmeer"), "ijsselmeer");
        assert_eq!(fold_lower("ĳs"), "ijs");
        assert_eq!(fold_lower("Søren Østergaard"), "soren ostergaard");
        assert_eq!(fold_lower("Straße"), "strasse");
        assert_eq!(fold_lower("Łukasz Wałęsa"), "lukasz walesa");
        assert_eq!(fold_lower("Ærø"), "aero");
        assert_eq!(
            fold_lower("Müller-Lüdenscheidt, Zoë"),
            "muller-ludenscheidt, zoe"
        );
        assert_eq!(fold("  jan   de   Vriés "), "JAN DE VRIES");
        assert_eq!(fold("Ĳzerman"), "IJZERMAN");
        assert_eq!(
            words("Hennep-kwekerij in de Ĳsselstraat!"),
            ["hennep", "kwekerij", "in", "de", "ijsselstraat"]
        );
    }

    #[test]
    fn dutch_words_stem_to_what_their_inflections_start_with() {
        assert_eq!(dutch_stem("woningen"), "woning");
        assert_eq!(dutch_stem("drugs"), "drug");
        assert_eq!(dutch_stem("bedrijventerreinen"), "bedrijventerrein");
        assert!("hennepkwekerijen".starts_with(&dutch_stem("hennepkwekerij")));
    }

    #[test]
    fn formulas_do_not_survive_into_a_spreadsheet() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("+31"), "'+31");
        assert_eq!(spreadsheet_safe("p1"), "p1");
        assert_eq!(spreadsheet_safe(""), "");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent_and_has_no_marks(s in "\\PC{0,40}") {
            let once = fold_lower(&s);
            prop_assert_eq!(fold_lower(&once), once.clone());
            prop_assert!(!once.chars().any(is_combining_mark));
            let upper = fold(&s);
            prop_assert_eq!(fold(&upper), upper.clone());
            // The stored form and the search words agree: folding the stored form gives the
            // same words as the text it came from.
            prop_assert_eq!(words(&upper), words(&s));
            prop_assert_eq!(words_text(&s), words(&s).join(" "));
        }
    }
}
