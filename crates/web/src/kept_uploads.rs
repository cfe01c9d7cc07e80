//! The file of an import's dry run, kept in memory for the user's next try (another mapping,
//! or the real import) so it need not be chosen again. Kept per user, for half an hour, one
//! file each and within a total budget: a file that does not fit is not kept (the page says
//! so). Never written anywhere: it holds what the source holds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How long a kept file waits.
const KEEP: Duration = Duration::minutes(30);

/// A kept file: its name and content.
#[derive(Clone)]
pub struct Kept {
    pub name: String,
    pub bytes: Arc<Vec<u8>>,
}

pub struct KeptUploads {
    budget: usize,
    files: Mutex<HashMap<Uuid, (Kept, OffsetDateTime)>>,
}

impl KeptUploads {
    /// Keeps at most `budget` bytes over all users.
    pub fn new(budget: usize) -> Self {
        Self {
            budget,
            files: Mutex::new(HashMap::new()),
        }
    }

    /// Keeps `user`'s file (replacing the one before); false when it does not fit.
    pub fn keep(&self, user: Uuid, kept: Kept, now: OffsetDateTime) -> bool {
        let Ok(mut files) = self.files.lock() else {
            return false;
        };
        files.retain(|u, (_, at)| *u != user && now - *at < KEEP);
        let used: usize = files.values().map(|(k, _)| k.bytes.len()).sum();
        if used + kept.bytes.len() > self.budget {
            return false;
        }
        files.insert(user, (kept, now));
        true
    }

    /// `user`'s kept file, if it is still kept.
    pub fn get(&self, user: Uuid, now: OffsetDateTime) -> Option<Kept> {
        let files = self.files.lock().ok()?;
        files
            .get(&user)
            .filter(|(_, at)| now - *at < KEEP)
            .map(|(k, _)| k.clone())
    }

    pub fn forget(&self, user: Uuid) {
        if let Ok(mut files) = self.files.lock() {
            files.remove(&user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn file(n: usize) -> Kept {
        Kept {
            name: "meldingen.csv".into(),
            bytes: Arc::new(vec![b'x'; n]),
        }
    }

    #[test]
    fn a_file_is_kept_per_user_for_half_an_hour_within_the_budget() {
        let kept = KeptUploads::new(100);
        let (anna, bert) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let now = datetime!(2026-12-05 10:00 UTC);
        assert!(kept.keep(anna, file(60), now));
        assert!(!kept.keep(bert, file(60), now), "over the budget");
        assert!(kept.get(bert, now).is_none());
        assert_eq!(kept.get(anna, now).unwrap().bytes.len(), 60);
        assert!(
            kept.keep(anna, file(90), now),
            "a user's new file replaces the old"
        );
        assert!(kept.get(anna, now + Duration::minutes(31)).is_none());
        assert!(
            kept.keep(bert, file(60), now + Duration::minutes(31)),
            "expired room is free"
        );
        kept.forget(bert);
        assert!(kept.get(bert, now + Duration::minutes(31)).is_none());
    }
}
