//! The processing log (issue 18, pt 8) after Logius' Logboek Dataverwerkingen (reference.md
//! §6): besides the audit trail (who did what), one line per data subject per processing
//! operation — which processing activity, when, with what result — with the data subject only
//! as a keyed identifier and no user (user activity is the audit trail's). A data subject's
//! lines answer "what was done with my data" in an inzage.

use crate::audit::AuditKey;
use uuid::Uuid;

/// The processing activities of Baken's register of processing (verwerkingsregister), as the
/// log names them (`dpl.core.processing_activity_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProcessingActivity {
    /// Registering a signal that names the person (form, API, import, public form).
    RegisterSignal,
    /// Correcting a signal that names the person.
    CorrectSignal,
    /// Opening the person's dossier.
    ReadDossier,
    /// Deleting the person's mention when its signal's retention ended.
    Purge,
    /// Compiling the person's inzage (data subject access request).
    AccessRequest,
}

impl ProcessingActivity {
    pub const ALL: [ProcessingActivity; 5] = [
        ProcessingActivity::RegisterSignal,
        ProcessingActivity::CorrectSignal,
        ProcessingActivity::ReadDossier,
        ProcessingActivity::Purge,
        ProcessingActivity::AccessRequest,
    ];

    /// The activity's identifier in the register.
    pub fn slug(self) -> &'static str {
        match self {
            ProcessingActivity::RegisterSignal => "baken/signaal-registreren",
            ProcessingActivity::CorrectSignal => "baken/signaal-corrigeren",
            ProcessingActivity::ReadDossier => "baken/dossier-inzien",
            ProcessingActivity::Purge => "baken/bewaartermijn-verwijderen",
            ProcessingActivity::AccessRequest => "baken/inzageverzoek",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.slug() == slug)
    }
}

/// How a data subject is named in the log: never the mention's id itself, but its keyed hash
/// (HMAC-SHA256 with the installation's key, kept outside the database).
pub const DATA_SUBJECT_ID_TYPE: &str = "baken-vermelding-hmac";

/// The keyed identifier of a data subject (one mention of a person).
pub fn data_subject_id(key: &AuditKey, mention: Uuid) -> String {
    key.mac(format!("baken-subject-v1\0{mention}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activities_round_trip_and_subjects_are_keyed() {
        for a in ProcessingActivity::ALL {
            assert_eq!(ProcessingActivity::parse(a.slug()), Some(a));
        }
        let key = AuditKey::from_bytes([7; 32]);
        let other = AuditKey::from_bytes([8; 32]);
        let id = Uuid::nil();
        assert_eq!(data_subject_id(&key, id), data_subject_id(&key, id));
        assert_ne!(data_subject_id(&key, id), data_subject_id(&other, id));
        assert!(!data_subject_id(&key, id).contains(&id.to_string()));
    }
}
