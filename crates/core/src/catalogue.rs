//! Themes and indicators: configuration data with defaults, not constants in code paths.
//! The store seeds these defaults on first run; later the beheerder edits them.

use crate::validation::{Missing, Problem};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// Stable code, e.g. `drugs`.
    pub code: String,
    /// Dutch name shown in the interface.
    pub name: String,
    /// Working days within which a new signal on this theme must be triaged; `None` means the
    /// configured default.
    #[serde(default)]
    pub deadline_working_days: Option<u32>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub themes: Vec<Theme>,
}

impl Catalogue {
    pub fn theme(&self, code: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.code == code)
    }

    pub fn theme_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.theme(code).map_or(code, |t| t.name.as_str())
    }

    /// The working days to triage a signal on `themes`: the strictest theme's, else `default`.
    pub fn deadline_days(&self, themes: &[String], default: u32) -> u32 {
        themes
            .iter()
            .map(|t| {
                self.theme(t)
                    .and_then(|t| t.deadline_working_days)
                    .unwrap_or(default)
            })
            .min()
            .unwrap_or(default)
    }

    pub fn indicator(&self, code: &str) -> Option<(&Theme, &Indicator)> {
        self.themes
            .iter()
            .find_map(|t| t.indicators.iter().find(|i| i.code == code).map(|i| (t, i)))
    }

    /// The seven themes of the Groningen plan, with indicators from reference.md §5.
    pub fn groningen_defaults() -> Self {
        fn theme(code: &str, name: &str, indicators: &[(&str, &str)]) -> Theme {
            // Drugs and human trafficking can mean danger to people: triage within a week.
            let deadline_working_days = matches!(code, "drugs" | "mensenhandel").then_some(5);
            Theme {
                code: code.into(),
                name: name.into(),
                deadline_working_days,
                indicators: indicators
                    .iter()
                    .map(|(c, n)| Indicator {
                        code: (*c).into(),
                        name: (*n).into(),
                    })
                    .collect(),
            }
        }
        Self {
            themes: vec![
                theme(
                    "buitengebied",
                    "Buitengebied",
                    &[
                        (
                            "loods-huuraanbod",
                            "Aanbod om een lege schuur of loods te huren tegen hoge huur",
                        ),
                        ("contante-betaling", "Contante of anonieme betaling vooraf"),
                        ("drugsafval", "Drugsafval gedumpt of in mestkelder"),
                        ("leegstaande-stal", "Leegstaande stal of schuur"),
                    ],
                ),
                theme(
                    "drugs",
                    "Drugs",
                    &[
                        ("hennepteelt", "Aanwijzingen voor hennepteelt"),
                        (
                            "drugshandel-pand",
                            "Drugshandel vanuit een woning of lokaal",
                        ),
                        (
                            "voorbereidingshandelingen",
                            "Voorbereidingshandelingen (art. 13b lid 1 onder b)",
                        ),
                        ("straathandel", "Drugshandel op straat"),
                    ],
                ),
                theme(
                    "mensenhandel",
                    "Mensenhandel en arbeidsuitbuiting",
                    &[
                        (
                            "slechte-huisvesting",
                            "Woont op het bedrijfsterrein of in slechte huisvesting",
                        ),
                        (
                            "geen-eigen-paspoort",
                            "Geen zeggenschap over eigen paspoort of bankrekening",
                        ),
                        (
                            "onderbetaling",
                            "Lange dagen, onderbetaling of geen betaling",
                        ),
                        ("dwang-prostitutie", "Aanwijzingen voor gedwongen sekswerk"),
                    ],
                ),
                theme(
                    "vastgoed",
                    "Vastgoed en witwassen",
                    &[
                        ("abc-transactie", "ABC-transactie of grote waardesprong"),
                        (
                            "buitenlandse-eigenaar",
                            "Buitenlandse eigenaar of offshore-financier",
                        ),
                        (
                            "jonge-rechtspersoon",
                            "Recent opgerichte rechtspersoon als eigenaar",
                        ),
                        ("contante-huur", "Contante stortingen als huur"),
                    ],
                ),
                theme(
                    "zorgfraude",
                    "Zorgfraude",
                    &[
                        ("wonen-en-zorg", "Combinatie van wonen en zorg"),
                        (
                            "gewaarborgde-hulp",
                            "Signalen rond gewaarborgde hulp bij pgb",
                        ),
                        (
                            "kwetsbare-budgethouder",
                            "Onvoldoende zorg voor kwetsbare budgethouder",
                        ),
                    ],
                ),
                theme(
                    "bedrijventerreinen",
                    "Bedrijventerreinen",
                    &[
                        ("veel-camera", "Opvallend veel camera's"),
                        ("veel-verloop", "Veel verloop van bedrijven"),
                        ("afgeplakte-ramen", "Afgeplakte of geblindeerde ramen"),
                        ("afwijkend-stroomverbruik", "Afwijkend stroomverbruik"),
                    ],
                ),
                theme(
                    "cybercrime",
                    "Cybercrime",
                    &[
                        ("phishing", "Phishing of helpdeskfraude"),
                        ("jonge-daders", "Jongeren betrokken bij cybercrime"),
                    ],
                ),
            ],
        }
    }
}

/// A change to the catalogue by the beheerder, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueChange {
    /// Adds a theme, or renames it and sets its deadline when the code exists.
    Theme {
        code: String,
        name: String,
        deadline_working_days: Option<u32>,
    },
    /// Adds an indicator to a theme, or renames it when the code exists.
    Indicator {
        theme: String,
        code: String,
        name: String,
    },
}

fn code(field: &str, raw: &str, e: &mut crate::ValidationErrors) -> String {
    let c = raw.trim().to_string();
    let ok = !c.is_empty()
        && c.len() <= 50
        && c.split('-').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !ok {
        e.push(field, Problem::CatalogueCode);
    }
    c
}

fn name(raw: &str, e: &mut crate::ValidationErrors) -> String {
    let n = crate::subject::tidy(raw);
    if n.is_empty() {
        e.push("name", Missing::Name);
    } else if n.chars().count() > 150 {
        e.push("name", Problem::TooLong { max: 150 });
    }
    n
}

impl CatalogueChange {
    pub fn theme(
        code_raw: &str,
        name_raw: &str,
        deadline: &str,
    ) -> Result<Self, crate::ValidationErrors> {
        let mut e = crate::ValidationErrors::new();
        let code = code("code", code_raw, &mut e);
        let name = name(name_raw, &mut e);
        let deadline_working_days = match deadline.trim() {
            "" => None,
            d => match d.parse::<u32>() {
                Ok(n) if (1..=250).contains(&n) => Some(n),
                _ => {
                    e.push("deadlineWorkingDays", Problem::WorkingDays { max: 250 });
                    None
                }
            },
        };
        e.into_result(|| CatalogueChange::Theme {
            code,
            name,
            deadline_working_days,
        })
    }

    pub fn indicator(
        theme: &str,
        code_raw: &str,
        name_raw: &str,
    ) -> Result<Self, crate::ValidationErrors> {
        let mut e = crate::ValidationErrors::new();
        let code = code("code", code_raw, &mut e);
        let name = name(name_raw, &mut e);
        e.into_result(|| CatalogueChange::Indicator {
            theme: theme.trim().to_string(),
            code,
            name,
        })
    }
}
