//! The engine: everything that touches the database and the search index, behind one owner.
//! [`Core`] is the synchronous heart (used directly by the CLI and tests); the GUI runs it on a
//! worker thread.

mod core;
mod meeting;
mod worker;

pub use core::{Core, DemandMatches};
pub use meeting::{AssignReport, MeetingSpec, ScheduleReport};
pub use worker::{Command, Engine, Event, Lists, MeetingCommand, Undo};
