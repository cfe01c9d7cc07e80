//! Who sees what, recomputed after an agreement was made or ended, on a task of its own
//! (`engine/reshare.rs` walks; this is the handle its caller gets).

use crate::{Result, StoreError};

/// Who sees what, being recomputed after an agreement was made or ended, on a task of its own:
/// it goes on when nobody waits for it (a browser tab closed, a page that answered before it
/// was done), and the server's maintenance finishes it if the process stops.
#[must_use = "dropping it leaves the recomputation running; say so by waiting or by `within`"]
pub struct Resharing(tokio::task::JoinHandle<Result<()>>);

/// Whether a recomputation ended within the patience given to [`Resharing::within`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walked {
    Done,
    /// It goes on, on its own task.
    GoesOn,
}

impl Resharing {
    pub(crate) fn new(task: tokio::task::JoinHandle<Result<()>>) -> Self {
        Self(task)
    }

    /// Waits until it is done.
    pub async fn finish(self) -> Result<()> {
        self.0
            .await
            .map_err(|_| StoreError::Database(sqlx::Error::WorkerCrashed))?
    }

    /// Waits at most `patience`.
    pub async fn within(mut self, patience: std::time::Duration) -> Result<Walked> {
        match tokio::time::timeout(patience, &mut self.0).await {
            Ok(joined) => {
                joined.map_err(|_| StoreError::Database(sqlx::Error::WorkerCrashed))??;
                Ok(Walked::Done)
            }
            Err(_) => Ok(Walked::GoesOn),
        }
    }
}

#[cfg(test)]
mod resharing_tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_recomputation_is_waited_for_at_most_the_patience_given() {
        let slow = Resharing::new(tokio::spawn(async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        }));
        assert_eq!(slow.within(Duration::ZERO).await.unwrap(), Walked::GoesOn);
        let quick = Resharing::new(tokio::spawn(async { Ok(()) }));
        assert_eq!(
            quick.within(Duration::from_secs(60)).await.unwrap(),
            Walked::Done
        );
        let failed = Resharing::new(tokio::spawn(async { Err(StoreError::NotFound) }));
        assert!(failed.within(Duration::from_secs(60)).await.is_err());
    }
}
