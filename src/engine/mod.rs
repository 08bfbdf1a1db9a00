//! The engine: every user-level operation on the database and the search index, behind one
//! owner. [`Core`] is the synchronous heart (used directly by the CLI and tests); the GUI runs it
//! on a worker thread ([`Engine`]). The engine also re-exports the lower layers' types the front
//! ends need, so the app and the CLI depend on the engine and the domain only.

mod backup;
mod core;
mod demo_history;
mod error;
mod followup;
mod history;
mod knowledge;
mod meeting;
mod meeting_day;
mod pairings;
mod worker;
mod worker_followup;

pub use crate::domain::knowledge_edit::{EditError, KnowledgeEdit};
pub use crate::io::checkin::CheckinFormat;
pub use crate::store::changelog::{Batch as LogBatch, RowChange as LogRow, UndoBlock};
pub use backup::{BackupAction, BackupInfo, BackupKind, backup_info};
pub use core::{
    Classified, Core, Deleted, DemandMatches, Lists, Notice, PairBlock, PairReport, Suggested, Undo, read_table,
};
pub use error::{EngineError, MeetingError, Missing, Result};
pub use followup::{FollowupEntry, PairingDetail, ReportWritten, Stats, today};
pub use history::Action;
pub use knowledge::KnowledgeChanged;
pub use meeting::{AssignReport, MeetingEdit, MeetingSpec, ScheduleReport};
pub use meeting_day::{ReplanFrom, ReplanReport};
pub use pairings::{PairingProblem, PairingReport};
pub use worker::{Command, DataCommand, Done, Engine, Event, LogEntry, MeetingCommand};
pub use worker_followup::{FollowupCommand, FollowupEvent, FollowupForm};

// The lower layers' types the front ends see, so that the app, the CLI and `text` depend on the
// engine and the domain only (tests/layers.rs keeps it so).
pub use crate::io::import::{Duplicate, Issue as RowIssue, Rejected};
pub use crate::io::sheets::{SheetFormat, SheetOptions};
pub use crate::io::{Content, Format, Mislabeled, SpecialFile};
pub use crate::io::{Counts, FileError, ImportPlan};
pub use crate::matching::{
    PairScore, Reason, ScoreParts, Strength, Suggestion, assign, demand_label, eval, expert_label, schedule,
};
pub use crate::search::{OpenOutcome, RebuildReason, SearchError, SearchHit, SearchRequest};
pub use crate::store::backup::Summary as BackupSummary;
pub use crate::store::followup::{PairingFilter, PairingListRow};
pub use crate::store::stats::{GapField, Period, StatFigures, TargetProgress};
pub use crate::store::{DemandRow, DemoCleared, ExpertRow, MeetingRef, StoreError, default_db_path};
