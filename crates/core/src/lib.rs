//! Baken's domain core: the nouns of DESIGN.md §3, Dutch identifiers parsed into newtypes,
//! the signal status machine, the access policy and the audit-chain arithmetic.
//!
//! Nothing in this crate performs I/O: no SQL, no HTTP, no file system, no clock reads except
//! through the [`clock::Clock`] trait that callers pass in.

pub mod access;
pub mod access_review;
pub mod activity;
pub mod audience;
pub mod audit;
pub mod barrier;
pub mod calendar;
pub mod case;
pub mod catalogue;
pub mod clock;
pub mod commitment;
pub mod deadline;
pub mod decision;
pub mod field;
pub mod identifiers;
pub mod intervention;
pub mod meeting;
pub mod model;
pub mod page;
pub mod picture;
pub mod procedure;
pub mod processing;
pub mod public;
pub mod report;
pub mod retention;
pub mod sign_in;
pub mod signal;
pub mod single_sign_on;
pub mod status;
pub mod subject;
pub mod text;
pub mod validation;

pub use access::{Caller, Purpose, Role, RoleSet, SignalScope};
pub use clock::{new_id, Clock, FixedClock, SystemClock};
pub use validation::{FieldError, ValidationErrors};
