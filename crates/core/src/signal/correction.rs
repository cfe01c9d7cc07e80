//! Correcting a signal after intake (issue 17, pt 1): what a correction may change, the
//! new state parsed with the same rules as intake, and what changed, field by field, for the
//! signal's history. Who may correct, and who may lower a classification, is in
//! [`Caller::may_correct_signal`] and [`Caller::may_lower_classification`].

use super::*;
use crate::model::SubjectKind;
use crate::model::{MentionedSubject, Relation};
use crate::subject::{RelationKind, SubjectDetails, SubjectRole};

/// A field of a signal that a correction changes, as its history records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CorrectedField {
    Title,
    Description,
    ObservedOn,
    SourceReliability,
    InformationCredibility,
    Themes,
    Indicators,
    Area,
    Coordinates,
    Address,
    Classification,
    Sharing,
    Subjects,
    Relations,
}

impl CorrectedField {
    pub const ALL: [CorrectedField; 14] = [
        CorrectedField::Title,
        CorrectedField::Description,
        CorrectedField::ObservedOn,
        CorrectedField::SourceReliability,
        CorrectedField::InformationCredibility,
        CorrectedField::Themes,
        CorrectedField::Indicators,
        CorrectedField::Area,
        CorrectedField::Coordinates,
        CorrectedField::Address,
        CorrectedField::Classification,
        CorrectedField::Sharing,
        CorrectedField::Subjects,
        CorrectedField::Relations,
    ];

    /// The stable machine name (stored in the history, named in the audit detail; the
    /// API's field name).
    pub fn slug(self) -> &'static str {
        match self {
            CorrectedField::Title => "title",
            CorrectedField::Description => "description",
            CorrectedField::ObservedOn => "observedOn",
            CorrectedField::SourceReliability => "sourceReliability",
            CorrectedField::InformationCredibility => "informationCredibility",
            CorrectedField::Themes => "themes",
            CorrectedField::Indicators => "indicators",
            CorrectedField::Area => "areaCode",
            CorrectedField::Coordinates => "coordinates",
            CorrectedField::Address => "address",
            CorrectedField::Classification => "classification",
            CorrectedField::Sharing => "sharing",
            CorrectedField::Subjects => "subjects",
            CorrectedField::Relations => "relations",
        }
    }

    pub fn parse(slug: &str) -> Option<CorrectedField> {
        Self::ALL.into_iter().find(|f| f.slug() == slug)
    }
}

/// The new state of a signal's correctable fields, parsed with intake's rules, and why.
/// What a correction does not change (when and how it was received, its retention, its
/// owner) stays as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalCorrection {
    pub title: String,
    pub description: String,
    pub observed_on: Option<Date>,
    pub source_reliability: SourceReliability,
    pub information_credibility: InformationCredibility,
    pub themes: Vec<String>,
    pub indicators: Vec<String>,
    pub area: Option<AreaCode>,
    pub coordinates: Option<Coordinates>,
    pub address: Option<String>,
    pub classification: Classification,
    pub sharing: Sharing,
    pub subjects: Vec<NewSubject>,
    pub relations: Vec<NewRelation>,
    /// Why (optional, at most [`SignalCorrection::MAX_REASON`] characters).
    pub reason: String,
}

impl SignalCorrection {
    pub const MAX_REASON: usize = 500;

    /// Parses `input` as the new state of `current`, for `caller` at `now`: the same checks
    /// as intake (the form is intake's form), with the fields a correction keeps taken from
    /// the signal as registered.
    pub fn parse(
        input: &SignalInput,
        reason: &str,
        current: &Signal,
        catalogue: &Catalogue,
        caller: &Caller,
        policy: &IntakePolicy,
        now: OffsetDateTime,
    ) -> Result<SignalCorrection, ValidationErrors> {
        let mut kept = input.clone();
        kept.received_at = current.received_at.format(&Rfc3339).ok();
        kept.source_kind = Some(current.source_kind.slug().to_string());
        kept.retention_until = None;
        let reason = reason.trim();
        let parsed = NewSignal::parse(&kept, catalogue, caller, policy, now);
        let mut e = match &parsed {
            Err(e) => e.clone(),
            Ok(_) => ValidationErrors::new(),
        };
        if reason.chars().count() > Self::MAX_REASON {
            e.push(
                "reason",
                Problem::TooLong {
                    max: Self::MAX_REASON,
                },
            );
        }
        if let Ok(new) = &parsed {
            let lowers = new.classification.rank() < current.classification.rank();
            if lowers && !caller.may_lower_classification(current.owner_org) {
                e.push("classification", Problem::LoweringClassificationReserved);
            }
        }
        match parsed {
            Err(_) => Err(e),
            Ok(_) if !e.0.is_empty() => Err(e),
            Ok(new) => Ok(SignalCorrection {
                title: new.title,
                description: new.description,
                observed_on: new.observed_on,
                source_reliability: new.source_reliability,
                information_credibility: new.information_credibility,
                themes: new.themes,
                indicators: new.indicators,
                area: new.area,
                coordinates: new.coordinates,
                address: new.address,
                classification: new.classification,
                sharing: new.sharing,
                subjects: new.subjects,
                relations: new.relations,
                reason: reason.to_string(),
            }),
        }
    }

    /// Whether the correction lowers the signal's classification (which only the owner's
    /// Bibob coördinator may).
    pub fn lowers(&self, current: &Signal) -> bool {
        self.classification.rank() < current.classification.rank()
    }
}

/// One field's change in a signal's history: the value before and after, in the canonical
/// text of [`FieldChange::value_text`]'s forms (codes and slugs; the pages put words on them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: CorrectedField,
    pub old: String,
    pub new: String,
}

/// A correction as the signal's history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionEntry {
    pub at: OffsetDateTime,
    pub by_name: String,
    pub reason: String,
    pub changes: Vec<FieldChange>,
}

/// The subjects' canonical text: one line per mention, `kind role: what`.
fn subjects_text<'a>(
    subjects: impl Iterator<Item = (SubjectKind, SubjectRole, &'a SubjectDetails)>,
) -> String {
    subjects
        .map(|(kind, role, details)| {
            format!("{} {}: {}", kind.slug(), role.slug(), details.display())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The relations' canonical text: one line per relation, `n → m kind`, subjects numbered
/// from 1 in the signal's order.
fn relations_text(relations: impl Iterator<Item = (usize, usize, RelationKind)>) -> String {
    relations
        .map(|(from, to, kind)| format!("{} → {} {}", from + 1, to + 1, kind.slug()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// What `correction` changes in `current` (with the subjects and relations it mentions),
/// field by field, in the order of [`CorrectedField::ALL`].
pub fn changes(
    current: &Signal,
    subjects: &[MentionedSubject],
    relations: &[Relation],
    correction: &SignalCorrection,
) -> Vec<FieldChange> {
    let sorted = |codes: &[String]| {
        let mut codes = codes.to_vec();
        codes.sort();
        codes.join(", ")
    };
    let position = |id: Uuid| {
        subjects
            .iter()
            .position(|m| m.subject.id == id)
            .unwrap_or(usize::MAX)
    };
    let pairs: Vec<(CorrectedField, String, String)> = vec![
        (
            CorrectedField::Title,
            current.title.clone(),
            correction.title.clone(),
        ),
        (
            CorrectedField::Description,
            current.description.clone(),
            correction.description.clone(),
        ),
        (
            CorrectedField::ObservedOn,
            optional(current.observed_on.map(format_date)),
            optional(correction.observed_on.map(format_date)),
        ),
        (
            CorrectedField::SourceReliability,
            current.source_reliability.slug().to_string(),
            correction.source_reliability.slug().to_string(),
        ),
        (
            CorrectedField::InformationCredibility,
            current.information_credibility.slug().to_string(),
            correction.information_credibility.slug().to_string(),
        ),
        (
            CorrectedField::Themes,
            sorted(&current.themes),
            sorted(&correction.themes),
        ),
        (
            CorrectedField::Indicators,
            sorted(&current.indicators),
            sorted(&correction.indicators),
        ),
        (
            CorrectedField::Area,
            current.area_code.clone().unwrap_or_default(),
            optional(correction.area.as_ref()),
        ),
        (
            CorrectedField::Coordinates,
            optional(current.coordinates),
            optional(correction.coordinates),
        ),
        (
            CorrectedField::Address,
            current.address.clone().unwrap_or_default(),
            correction.address.clone().unwrap_or_default(),
        ),
        (
            CorrectedField::Classification,
            current.classification.slug().to_string(),
            correction.classification.slug().to_string(),
        ),
        (
            CorrectedField::Sharing,
            current.sharing.slug().to_string(),
            correction.sharing.slug().to_string(),
        ),
        (
            CorrectedField::Subjects,
            subjects_text(
                subjects
                    .iter()
                    .map(|m| (m.subject.kind, m.role, &m.subject.details)),
            ),
            subjects_text(
                correction
                    .subjects
                    .iter()
                    .map(|s| (s.kind, s.role, &s.details)),
            ),
        ),
        (
            CorrectedField::Relations,
            relations_text(
                relations
                    .iter()
                    .map(|r| (position(r.from), position(r.to), r.kind)),
            ),
            relations_text(correction.relations.iter().map(|r| (r.from, r.to, r.kind))),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| FieldChange { field, old, new })
        .collect()
}

/// Which stored mention each new subject is: the same kind and the same details (its role
/// may change), each stored mention used once, in order. A subject that is not one of them
/// is a new mention; a stored mention no new subject is, is taken out.
pub fn kept_mentions(stored: &[MentionedSubject], new: &[NewSubject]) -> Vec<Option<Uuid>> {
    let mut used = vec![false; stored.len()];
    new.iter()
        .map(|s| {
            // A BSN typed now is recorded on a new mention: the stored ones keep theirs.
            let found = stored.iter().enumerate().find(|(i, m)| {
                !used[*i]
                    && s.bsn.is_none()
                    && m.subject.kind == s.kind
                    && m.subject.details == s.details
            });
            found.map(|(i, m)| {
                used[i] = true;
                m.subject.id
            })
        })
        .collect()
}

impl SubjectInput {
    /// The form's fields for a stored mention, as a person would type them.
    pub fn from_mention(mention: &MentionedSubject) -> SubjectInput {
        let mut input = SubjectInput {
            kind: Some(mention.subject.kind.slug().to_string()),
            role: Some(mention.role.slug().to_string()),
            ..SubjectInput::default()
        };
        let text = |s: &dyn ToString| Some(s.to_string());
        match &mention.subject.details {
            SubjectDetails::Person { name, birth_date } => {
                input.name = Some(name.clone());
                input.birth_date = birth_date.map(format_date);
            }
            SubjectDetails::Organisation {
                name,
                kvk_number,
                branch_number,
            } => {
                input.name = name.clone();
                input.kvk_number = kvk_number.as_ref().and_then(|k| text(k));
                input.branch_number = branch_number.as_ref().and_then(|b| text(b));
            }
            SubjectDetails::Address {
                bag_id,
                postcode,
                house_number,
                house_letter,
                house_number_addition,
                street,
                place,
            } => {
                input.bag_id = bag_id.as_ref().and_then(|b| text(b));
                input.postcode = postcode.as_ref().and_then(|p| text(p));
                input.house_number = house_number.and_then(|n| text(&n));
                input.house_letter = house_letter.and_then(|l| text(&l));
                input.house_number_addition = house_number_addition.clone();
                input.street = street.clone();
                input.place = place.clone();
            }
            SubjectDetails::Vehicle { plate } => input.plate = text(plate),
            SubjectDetails::Phone { e164 } => input.value = Some(e164.clone()),
            SubjectDetails::Email { address } => input.value = Some(address.clone()),
            SubjectDetails::Iban { iban } => input.value = Some(iban.clone()),
        }
        input
    }
}

impl SignalInput {
    /// The intake form's fields for a stored signal, so that a correction starts from what
    /// is there.
    pub fn from_signal(
        signal: &Signal,
        subjects: &[MentionedSubject],
        relations: &[Relation],
    ) -> SignalInput {
        let position = |id: Uuid| subjects.iter().position(|m| m.subject.id == id);
        SignalInput {
            title: Some(signal.title.clone()),
            description: Some(signal.description.clone()),
            received_at: signal.received_at.format(&Rfc3339).ok(),
            observed_on: signal.observed_on.map(format_date),
            source_kind: Some(signal.source_kind.slug().to_string()),
            source_reliability: Some(signal.source_reliability.slug().to_string()),
            information_credibility: Some(signal.information_credibility.slug().to_string()),
            themes: signal.themes.clone(),
            indicators: signal.indicators.clone(),
            area_code: signal.area_code.clone(),
            latitude: signal.coordinates.map(|c| c.latitude().to_string()),
            longitude: signal.coordinates.map(|c| c.longitude().to_string()),
            address: signal.address.clone(),
            classification: Some(signal.classification.slug().to_string()),
            sharing: Some(signal.sharing.slug().to_string()),
            retention_until: None,
            subjects: subjects.iter().map(SubjectInput::from_mention).collect(),
            relations: relations
                .iter()
                .map(|r| RelationInput {
                    from: position(r.from),
                    to: position(r.to),
                    kind: Some(r.kind.slug().to_string()),
                    valid_from: r.valid_from.map(format_date),
                    valid_until: r.valid_until.map(format_date),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Subject;
    use time::macros::date;

    fn inputs() -> Vec<SubjectInput> {
        let input = |kind: &str, f: &dyn Fn(&mut SubjectInput)| {
            let mut s = SubjectInput {
                kind: Some(kind.into()),
                role: Some("betrokkene".into()),
                ..SubjectInput::default()
            };
            f(&mut s);
            s
        };
        vec![
            input("persoon", &|s| {
                s.name = Some("Jan de Vries".into());
                s.birth_date = Some("12-04-1979".into());
            }),
            input("organisatie", &|s| {
                s.name = Some("Kweek BV".into());
                s.kvk_number = Some("12345678".into());
            }),
            input("adres", &|s| {
                s.postcode = Some("9711 AA".into());
                s.house_number = Some("12".into());
                s.house_letter = Some("b".into());
                s.street = Some("Grote Markt".into());
                s.place = Some("Groningen".into());
            }),
            input("voertuig", &|s| s.plate = Some("12abc3".into())),
            input("telefoon", &|s| s.value = Some("06 12345678".into())),
            input("iban", &|s| s.value = Some("NL91ABNA0417164300".into())),
        ]
    }

    fn parsed(inputs: &[SubjectInput]) -> Vec<NewSubject> {
        let mut e = ValidationErrors::new();
        let (subjects, _) = parse_subjects((inputs, &[]), None, date!(2026 - 12 - 05), &mut e);
        assert!(e.0.is_empty(), "{e:?}");
        subjects
    }

    fn stored(subjects: &[NewSubject]) -> Vec<MentionedSubject> {
        subjects
            .iter()
            .map(|s| MentionedSubject {
                subject: Subject {
                    id: Uuid::now_v7(),
                    kind: s.kind,
                    original: s.original.clone(),
                    normalised: s.normalised.clone(),
                    details: s.details.clone(),
                },
                role: s.role,
                bsn_basis: None,
            })
            .collect()
    }

    #[test]
    fn the_form_of_a_stored_mention_parses_to_the_same_subject() {
        let first = parsed(&inputs());
        let again: Vec<SubjectInput> = stored(&first)
            .iter()
            .map(SubjectInput::from_mention)
            .collect();
        let second = parsed(&again);
        let details = |s: &[NewSubject]| s.iter().map(|s| s.details.clone()).collect::<Vec<_>>();
        assert_eq!(details(&second), details(&first));
    }

    #[test]
    fn mentions_that_stay_keep_their_id_in_any_order_and_role() {
        let subjects = parsed(&inputs());
        let mentions = stored(&subjects);
        // Reversed, one taken out, one new, one role changed.
        let mut new: Vec<NewSubject> = subjects[1..].iter().rev().cloned().collect();
        new[0].role = SubjectRole::Eigenaar;
        let mut other = inputs();
        other[0].name = Some("Piet Bakker".into());
        new.push(parsed(&other[..1])[0].clone());
        let kept = kept_mentions(&mentions, &new);
        let expected: Vec<Option<Uuid>> = mentions[1..]
            .iter()
            .rev()
            .map(|m| Some(m.subject.id))
            .chain([None])
            .collect();
        assert_eq!(kept, expected);
        // The same subject twice is two mentions: the second is new.
        let twice = vec![subjects[0].clone(), subjects[0].clone()];
        assert_eq!(
            kept_mentions(&mentions, &twice),
            vec![Some(mentions[0].subject.id), None]
        );
    }

    #[test]
    fn every_field_has_one_slug() {
        for field in CorrectedField::ALL {
            assert_eq!(CorrectedField::parse(field.slug()), Some(field));
        }
        assert_eq!(CorrectedField::parse("status"), None);
    }
}
