//! The municipality's escalation matrix for art. 13b Opiumwet (its Damoclesbeleid) as
//! configuration, and the step it proposes for a closure procedure given the earlier
//! offences on the same premises or by the same people within the look-back period
//! (reference.md §2.3: the matrix varies per municipality and is data, not code). The default
//! follows the common pattern: harddrugs in a woning closed for three months at the first
//! offence, softdrugs first a warning, lokalen stricter, at most a year.

use serde::{Deserialize, Serialize};

use super::details::{ClosureDetails, ClosureGround, PremisesKind, Substance};
use crate::model::slug_enum;

slug_enum!(
    /// The category of drugs the matrix distinguishes.
    DrugCategory {
        Soft => "softdrugs";
        Hard => "harddrugs";
        Preparatory => "voorbereidingshandelingen";
    }
);

impl DrugCategory {
    /// The category of a closure's findings: preparatory acts when that is its ground,
    /// harddrugs when any substance on list I was found, softdrugs otherwise; `None` while
    /// nothing is recorded.
    pub fn of(details: &ClosureDetails) -> Option<DrugCategory> {
        if details.ground == Some(ClosureGround::PreparatoryActs) {
            return Some(DrugCategory::Preparatory);
        }
        if details.drugs.is_empty() {
            return None;
        }
        let hard = details.drugs.iter().any(|d| {
            matches!(
                d.substance,
                Substance::Cocaine
                    | Substance::Heroin
                    | Substance::Amphetamine
                    | Substance::Ecstasy
            )
        });
        Some(if hard {
            DrugCategory::Hard
        } else {
            DrugCategory::Soft
        })
    }
}

slug_enum!(
    /// What the matrix proposes.
    MeasureKind {
        Warning => "waarschuwing";
        Closure => "sluiting";
    }
);

/// One line of the matrix: for this kind of premises and drugs, at this offence (the last
/// line of a combination also holds for later offences), this measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationRule {
    pub premises: PremisesKind,
    pub drugs: DrugCategory,
    /// 1 for the first offence, 2 for the second, …
    pub offence: u8,
    pub measure: MeasureKind,
    /// The closure's length in months (with `sluiting`).
    #[serde(default)]
    pub months: Option<u8>,
}

/// The escalation matrix and its look-back period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationPolicy {
    /// Earlier offences count when they lie at most this many months back (default 36).
    #[serde(default = "default_look_back")]
    pub look_back_months: u8,
    #[serde(default = "default_rules")]
    pub rules: Vec<EscalationRule>,
}

fn default_look_back() -> u8 {
    36
}

fn default_rules() -> Vec<EscalationRule> {
    use DrugCategory::{Hard, Preparatory, Soft};
    use MeasureKind::{Closure, Warning};
    use PremisesKind::{Dwelling, Premises};
    let r = |premises, drugs, offence, measure, months| EscalationRule {
        premises,
        drugs,
        offence,
        measure,
        months,
    };
    vec![
        r(Dwelling, Hard, 1, Closure, Some(3)),
        r(Dwelling, Hard, 2, Closure, Some(6)),
        r(Dwelling, Hard, 3, Closure, Some(12)),
        r(Dwelling, Soft, 1, Warning, None),
        r(Dwelling, Soft, 2, Closure, Some(3)),
        r(Dwelling, Soft, 3, Closure, Some(6)),
        r(Dwelling, Soft, 4, Closure, Some(12)),
        r(Dwelling, Preparatory, 1, Closure, Some(3)),
        r(Dwelling, Preparatory, 2, Closure, Some(6)),
        r(Dwelling, Preparatory, 3, Closure, Some(12)),
        r(Premises, Hard, 1, Closure, Some(6)),
        r(Premises, Hard, 2, Closure, Some(12)),
        r(Premises, Soft, 1, Warning, None),
        r(Premises, Soft, 2, Closure, Some(6)),
        r(Premises, Soft, 3, Closure, Some(12)),
        r(Premises, Preparatory, 1, Closure, Some(6)),
        r(Premises, Preparatory, 2, Closure, Some(12)),
    ]
}

impl Default for EscalationPolicy {
    fn default() -> Self {
        Self {
            look_back_months: default_look_back(),
            rules: default_rules(),
        }
    }
}

/// What is wrong with a configured matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// A closure without months, or months outside 1–120, in line `index`.
    ClosureLength { index: usize },
    /// A warning with months in line `index`.
    WarningWithMonths { index: usize },
    /// Offence 0 in line `index`.
    OffenceZero { index: usize },
    /// A look-back period of 0 months.
    LookBack,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyError::ClosureLength { index } => write!(
                f,
                "regel {} van de handhavingsmatrix: een sluiting heeft 1 tot 120 maanden",
                index + 1
            ),
            PolicyError::WarningWithMonths { index } => write!(
                f,
                "regel {} van de handhavingsmatrix: een waarschuwing heeft geen maanden",
                index + 1
            ),
            PolicyError::OffenceZero { index } => write!(
                f,
                "regel {} van de handhavingsmatrix: de eerste overtreding is 1",
                index + 1
            ),
            PolicyError::LookBack => {
                f.write_str("de terugkijkperiode van de handhavingsmatrix is ten minste 1 maand")
            }
        }
    }
}

impl std::error::Error for PolicyError {}

/// The measure the matrix proposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub measure: MeasureKind,
    pub months: Option<u8>,
    /// Which offence this is (earlier ones + 1).
    pub offence: u32,
}

impl EscalationPolicy {
    pub fn check(&self) -> Result<(), PolicyError> {
        if self.look_back_months == 0 {
            return Err(PolicyError::LookBack);
        }
        for (index, r) in self.rules.iter().enumerate() {
            if r.offence == 0 {
                return Err(PolicyError::OffenceZero { index });
            }
            match (r.measure, r.months) {
                (MeasureKind::Closure, Some(1..=120)) | (MeasureKind::Warning, None) => {}
                (MeasureKind::Closure, _) => return Err(PolicyError::ClosureLength { index }),
                (MeasureKind::Warning, Some(_)) => {
                    return Err(PolicyError::WarningWithMonths { index })
                }
            }
        }
        Ok(())
    }

    /// The measure for an offence on `premises` with `drugs`, after `earlier` offences within
    /// the look-back period; `None` when the matrix has no line for the combination.
    pub fn propose(
        &self,
        premises: PremisesKind,
        drugs: DrugCategory,
        earlier: u32,
    ) -> Option<Proposal> {
        let offence = earlier.saturating_add(1);
        self.rules
            .iter()
            .filter(|r| r.premises == premises && r.drugs == drugs)
            .filter(|r| u32::from(r.offence) <= offence)
            .max_by_key(|r| r.offence)
            .map(|r| Proposal {
                measure: r.measure,
                months: r.months,
                offence,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intervention::details::DrugFinding;

    #[test]
    fn the_default_matrix_escalates_and_stops_at_a_year() {
        let m = EscalationPolicy::default();
        m.check().unwrap();
        let p = |premises, drugs, earlier| {
            m.propose(premises, drugs, earlier)
                .map(|p| (p.measure, p.months))
        };
        use DrugCategory::*;
        use PremisesKind::*;
        assert_eq!(p(Dwelling, Soft, 0), Some((MeasureKind::Warning, None)));
        assert_eq!(p(Dwelling, Soft, 1), Some((MeasureKind::Closure, Some(3))));
        assert_eq!(p(Dwelling, Hard, 0), Some((MeasureKind::Closure, Some(3))));
        assert_eq!(p(Dwelling, Hard, 7), Some((MeasureKind::Closure, Some(12))));
        assert_eq!(p(Premises, Hard, 0), Some((MeasureKind::Closure, Some(6))));
        let empty = EscalationPolicy {
            rules: Vec::new(),
            ..EscalationPolicy::default()
        };
        assert_eq!(empty.propose(Dwelling, Soft, 0), None);
    }

    #[test]
    fn a_bad_matrix_is_named() {
        let mut m = EscalationPolicy::default();
        m.rules[1].months = None;
        assert_eq!(m.check(), Err(PolicyError::ClosureLength { index: 1 }));
        m.rules[1].months = Some(6);
        m.rules[3].months = Some(1);
        assert_eq!(m.check(), Err(PolicyError::WarningWithMonths { index: 3 }));
    }

    #[test]
    fn the_drugs_found_decide_the_category() {
        let finding = |substance| DrugFinding {
            substance,
            quantity: String::new(),
        };
        let mut d = ClosureDetails::default();
        assert_eq!(DrugCategory::of(&d), None);
        d.drugs = vec![finding(Substance::HempPlants)];
        assert_eq!(DrugCategory::of(&d), Some(DrugCategory::Soft));
        d.drugs.push(finding(Substance::Cocaine));
        assert_eq!(DrugCategory::of(&d), Some(DrugCategory::Hard));
        d.ground = Some(ClosureGround::PreparatoryActs);
        assert_eq!(DrugCategory::of(&d), Some(DrugCategory::Preparatory));
    }
}
