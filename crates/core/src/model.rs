//! The nouns of DESIGN.md §3 that this version of Baken stores.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::access::RoleSet;
use crate::identifiers::CbsCode;

/// An enum with a stable machine name (stored, in the API) and a Dutch label (in the UI).
macro_rules! slug_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $slug:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $slug)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug,)+ }
            }

            /// Parses the machine name; the error names what is allowed.
            pub fn parse(s: &str) -> Result<Self, $crate::validation::Problem> {
                let t = s.trim();
                Self::ALL.iter().copied().find(|v| v.slug() == t).ok_or_else(|| {
                    let choice = $crate::validation::Choice::$name;
                    if t.is_empty() {
                        $crate::validation::Problem::NoChoice(choice)
                    } else {
                        $crate::validation::Problem::UnknownChoice {
                            choice,
                            given: t.to_string(),
                            allowed: Self::ALL.iter().map(|v| v.slug()).collect(),
                        }
                    }
                })
            }
        }

        impl $crate::model::Slug for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }

            fn slug(self) -> &'static str {
                $name::slug(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.slug())
            }
        }
    };
}
pub(crate) use slug_enum;

// Calendar days as `JJJJ-MM-DD` in JSON (the API, exports, stored details): the one format,
// for `#[serde(with = "crate::model::iso_date")]` (and `::option`).
time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");

/// An optional calendar day written as `JJJJ-MM-DD` and read either so or in the form stored
/// before (`[year, day of the year]`, serde's default for `time::Date`), for values kept as
/// JSON in the database (a subject's details) that the API shows as they are.
pub mod iso_date_or_stored {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Iso(#[serde(with = "super::iso_date")] Date),
        Stored(Date),
    }

    pub fn serialize<S: Serializer>(day: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        super::iso_date::option::serialize(day, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Ok(Option::<Either>::deserialize(d)?.map(|e| match e {
            Either::Iso(day) | Either::Stored(day) => day,
        }))
    }

    #[cfg(test)]
    mod tests {
        use time::macros::date;

        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Born {
            #[serde(with = "super")]
            on: Option<time::Date>,
        }

        #[test]
        fn iso_is_written_and_both_forms_are_read() {
            let born = Born {
                on: Some(date!(1985 - 04 - 02)),
            };
            assert_eq!(
                serde_json::to_string(&born).unwrap(),
                r#"{"on":"1985-04-02"}"#
            );
            for stored in [r#"{"on":"1985-04-02"}"#, r#"{"on":[1985,92]}"#] {
                assert_eq!(serde_json::from_str::<Born>(stored).unwrap(), born);
            }
            let none = Born { on: None };
            assert_eq!(
                serde_json::from_str::<Born>(r#"{"on":null}"#).unwrap(),
                none
            );
        }
    }
}

/// A fixed list of values with machine names (every `slug_enum`).
pub trait Slug: Copy + 'static {
    fn all() -> &'static [Self];
    fn slug(self) -> &'static str;
}

slug_enum!(
    /// Kind of organisation taking part in the approach.
    OrgKind {
        Gemeente => "gemeente";
        Politie => "politie";
        Waterschap => "waterschap";
        Riec => "riec";
        Inspectie => "inspectie";
        Belangenorganisatie => "belangenorganisatie";
        Overig => "overig";
    }
);

slug_enum!(
    /// Classification of a record (BIO2 5.12). Ordered from least to most restricted.
    Classification {
        Openbaar => "openbaar";
        Intern => "intern";
        Vertrouwelijk => "vertrouwelijk";
        Bibob => "bibob";
    }
);

impl Classification {
    /// Numeric rank for comparisons in queries; higher is more restricted.
    pub fn rank(self) -> i64 {
        match self {
            Classification::Openbaar => 0,
            Classification::Intern => 1,
            Classification::Vertrouwelijk => 2,
            Classification::Bibob => 3,
        }
    }
}

slug_enum!(
    /// Whether a record may flow to other organisations under sharing agreements.
    Sharing {
        Convenant => "convenant";
        EigenOrganisatie => "eigen-organisatie";
    }
);

slug_enum!(
    /// Where a signal came from.
    SourceKind {
        Partner => "partner";
        Veldbezoek => "veldbezoek";
        Controle => "controle";
        AnoniemFormulier => "anoniem-formulier";
        InterneAfdeling => "interne-afdeling";
        Bondgenotennetwerk => "bondgenotennetwerk";
        MeldMisdaadAnoniem => "meld-misdaad-anoniem";
    }
);

slug_enum!(
    /// Admiralty code: reliability of the source.
    SourceReliability {
        A => "A";
        B => "B";
        C => "C";
        D => "D";
        E => "E";
        F => "F";
    }
);

slug_enum!(
    /// Admiralty code: credibility of the information.
    InformationCredibility {
        Confirmed => "1";
        ProbablyTrue => "2";
        PossiblyTrue => "3";
        Doubtful => "4";
        Improbable => "5";
        CannotBeJudged => "6";
    }
);

slug_enum!(
    /// The kinds of subject a signal can mention.
    SubjectKind {
        Person => "persoon";
        Organisation => "organisatie";
        Address => "adres";
        Vehicle => "voertuig";
        Phone => "telefoon";
        Email => "e-mail";
        Iban => "iban";
    }
);

slug_enum!(
    /// Kinds of area.
    AreaKind {
        Gemeente => "gemeente";
        Wijk => "wijk";
        Buurt => "buurt";
        Bedrijventerrein => "bedrijventerrein";
        Buitengebied => "buitengebied";
    }
);

impl AreaKind {
    /// Smaller areas first: a buurt, a business park or an outlying area lies within a wijk,
    /// a wijk within a gemeente.
    pub fn nesting(self) -> u8 {
        match self {
            AreaKind::Buurt | AreaKind::Bedrijventerrein | AreaKind::Buitengebied => 0,
            AreaKind::Wijk => 1,
            AreaKind::Gemeente => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: OrgKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: Uuid,
    pub org: Uuid,
    pub email: String,
    pub display_name: String,
    pub roles: RoleSet,
    pub active: bool,
    /// The beheerder reset the password: the user chooses a new one before anything else.
    pub password_change_required: bool,
}

/// A convenant: which organisations share which themes up to which classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharingAgreement {
    pub id: Uuid,
    pub name: String,
    pub parties: Vec<Uuid>,
    pub legal_basis: String,
    pub purposes: String,
    pub themes: Vec<String>,
    /// The most restricted classification that may flow; never Bibob.
    pub max_classification: Classification,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
    /// The contact point of its verwijsindex (hit/no-hit), if it has one.
    pub referral_contact: Option<String>,
}

/// A subject as stored: what was typed, its canonical form and its typed details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    pub id: Uuid,
    pub kind: SubjectKind,
    /// As the source wrote it.
    pub original: String,
    /// The normalised form used for matching.
    pub normalised: String,
    pub details: crate::subject::SubjectDetails,
}

/// A subject as a signal mentions it, with its role there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MentionedSubject {
    pub subject: Subject,
    pub role: crate::subject::SubjectRole,
    /// The legal basis a BSN was recorded under for this mention (the number itself is kept
    /// only as a keyed hash and never leaves the store).
    pub bsn_basis: Option<String>,
}

/// Metadata of a file attached to a signal; the content is kept outside the database and
/// identified by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: String,
}

/// A typed link between two subjects, with the signal it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relation {
    pub from: Uuid,
    pub to: Uuid,
    pub kind: crate::subject::RelationKind,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
    pub source_signal: Uuid,
}

/// A CBS area or a custom one (business park, rural area), valid for a reference year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub kind: AreaKind,
    pub year: i32,
    pub parent: Option<String>,
}

impl Area {
    /// A CBS area whose kind and parent follow from its code.
    pub fn cbs(code: &CbsCode, name: impl Into<String>, year: i32) -> Self {
        let kind = match code {
            CbsCode::Gemeente(_) => AreaKind::Gemeente,
            CbsCode::Wijk(_) => AreaKind::Wijk,
            CbsCode::Buurt(_) => AreaKind::Buurt,
        };
        Self {
            code: code.to_string(),
            name: name.into(),
            kind,
            year,
            parent: code.parent().map(|p| p.to_string()),
        }
    }
}

/// One entry of the audit trail (BIO2 8.15.01: action, object, result, origin, actor,
/// timestamp) plus the purpose and the hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub occurred_at: OffsetDateTime,
    pub actor_user: Option<Uuid>,
    pub actor_org: Option<Uuid>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub result: String,
    pub origin: String,
    pub purpose: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}
