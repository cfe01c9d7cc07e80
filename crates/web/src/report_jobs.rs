//! Reports being made for the report page. Over a large store a report takes seconds (twelve
//! at a million signals, BENCHMARKS.md); the page starts it in a task, waits a moment, and if
//! it is not done shows how far it is, refreshing itself until the report is there.
//!
//! One report per user at a time: asking for another replaces (and stops) the one being made.
//! A finished report waits for its page at most [`KEEP`]; it is handed out once.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use baken_core::report::{ReportProgress, ReportStage};
use tokio::sync::watch;
use uuid::Uuid;

/// How long a report nobody comes back for is kept (or left running).
const KEEP: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, Copy, Default)]
struct State {
    stage: Option<ReportStage>,
    done: bool,
}

/// Given to the task that makes the report: tells the page its stage.
pub(crate) struct Watcher(Arc<watch::Sender<State>>);

impl ReportProgress for Watcher {
    fn stage(&self, stage: ReportStage) {
        self.0.send_modify(|s| s.stage = Some(stage));
    }
}

struct Job<T> {
    key: String,
    started: Instant,
    state: watch::Receiver<State>,
    outcome: Arc<Mutex<Option<T>>>,
    task: tokio::task::AbortHandle,
}

/// Where a report is.
#[derive(Debug)]
pub(crate) enum Made<T> {
    Ready(T),
    Making {
        stage: Option<ReportStage>,
        seconds: u64,
    },
}

/// The reports being made, per user.
pub struct ReportJobs<T> {
    jobs: Mutex<HashMap<Uuid, Job<T>>>,
    /// How long a request waits for its report before it shows progress instead.
    wait: Duration,
}

impl<T: Send + 'static> ReportJobs<T> {
    pub fn new(wait: Duration) -> Self {
        Self {
            jobs: Mutex::new(HashMap::new()),
            wait,
        }
    }

    /// The report `key` for `user`: started by `start` unless it is being made already; ready
    /// when it is done within the wait.
    pub(crate) async fn make<F, Fut>(&self, user: Uuid, key: &str, start: F) -> Made<T>
    where
        F: FnOnce(Watcher) -> Fut,
        Fut: Future<Output = T> + Send + 'static,
    {
        let (mut state, started) = {
            let mut jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
            jobs.retain(|_, job| {
                let keep = job.started.elapsed() < KEEP;
                if !keep {
                    job.task.abort();
                }
                keep
            });
            match jobs.get(&user) {
                Some(job) if job.key == key => (job.state.clone(), job.started),
                _ => {
                    if let Some(old) = jobs.remove(&user) {
                        old.task.abort();
                    }
                    let (tx, rx) = watch::channel(State::default());
                    let tx = Arc::new(tx);
                    let outcome = Arc::new(Mutex::new(None));
                    let making = start(Watcher(tx.clone()));
                    let slot = outcome.clone();
                    let task = tokio::spawn(async move {
                        let made = making.await;
                        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(made);
                        tx.send_modify(|s| s.done = true);
                    })
                    .abort_handle();
                    let started = Instant::now();
                    jobs.insert(
                        user,
                        Job {
                            key: key.to_string(),
                            started,
                            state: rx.clone(),
                            outcome,
                            task,
                        },
                    );
                    (rx, started)
                }
            }
        };
        // Done, or the wait is over (a closed channel — the task was replaced — also ends it).
        let _ = tokio::time::timeout(self.wait, state.wait_for(|s| s.done)).await;
        let now = *state.borrow();
        if now.done {
            let mut jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
            if jobs.get(&user).is_some_and(|job| job.key == key) {
                if let Some(job) = jobs.remove(&user) {
                    if let Some(made) = job
                        .outcome
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .take()
                    {
                        return Made::Ready(made);
                    }
                }
            }
        }
        Made::Making {
            stage: now.stage,
            seconds: started.elapsed().as_secs(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slow_report_shows_its_stage_until_it_is_ready_and_is_handed_out_once() {
        let jobs = ReportJobs::<u32>::new(Duration::from_millis(20));
        let user = Uuid::new_v4();
        let (go, gate) = tokio::sync::oneshot::channel::<()>();
        let made = jobs
            .make(user, "2024", |w| async move {
                w.stage(ReportStage::Interventions);
                let _ = gate.await;
                42
            })
            .await;
        match made {
            Made::Making { stage, .. } => assert_eq!(stage, Some(ReportStage::Interventions)),
            Made::Ready(_) => panic!("not done yet"),
        }
        // Asking again does not start a second report.
        let again = jobs
            .make(user, "2024", |_| async { panic!("started twice") })
            .await;
        assert!(matches!(again, Made::Making { .. }));
        go.send(()).unwrap();
        let mut ready = None;
        for _ in 0..100 {
            match jobs.make(user, "2024", |_| async { 0 }).await {
                Made::Ready(n) => {
                    ready = Some(n);
                    break;
                }
                Made::Making { .. } => {}
            }
        }
        assert_eq!(ready, Some(42));
        // Handed out: the next request makes it anew.
        let fresh = jobs.make(user, "2024", |_| async { 7 }).await;
        assert!(matches!(fresh, Made::Ready(7)));
    }

    #[tokio::test]
    async fn another_request_replaces_the_report_being_made_and_users_do_not_share() {
        let jobs = ReportJobs::<&'static str>::new(Duration::from_millis(20));
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let made = jobs
            .make(alice, "2024", |_| std::future::pending::<&'static str>())
            .await;
        assert!(matches!(made, Made::Making { stage: None, .. }));
        // Bob asks the same: his own report, not Alice's.
        assert!(matches!(
            jobs.make(bob, "2024", |_| async { "bob" }).await,
            Made::Ready("bob")
        ));
        // Alice changes her mind: the new one is made, the old one stopped.
        assert!(matches!(
            jobs.make(alice, "2025", |_| async { "2025" }).await,
            Made::Ready("2025")
        ));
    }
}
