//! The engine's error: every way a user-level operation can fail, typed, so each front end (the
//! GUI's status line, the CLI's stderr) words it once (the `text` layer) and tests can match on it.

use crate::domain::RecordKind;
use crate::domain::meeting::{Conflict, MeetingProblem};
use crate::domain::rules::Issue;
use crate::io::FileError;
use crate::matching::{MatchError, assign, schedule};
use crate::search::SearchError;
use crate::store::StoreError;

/// What a lookup did not find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// An expert or demand, by 编号 (`None`: by row id, e.g. deleted meanwhile in another window).
    Record(RecordKind, Option<String>),
    Enterprise(String),
    /// A meeting by number or name (`None`: by row id).
    Meeting(Option<String>),
    /// A subfield code or name.
    Subfield(String),
    /// The expert and demand are not paired (对接).
    Pairing,
    /// The pairing is not part of the meeting.
    MeetingPair,
    /// The demand does not take part in the meeting.
    MeetingDemand,
    /// The expert does not take part in the meeting.
    MeetingExpert,
}

/// Why a meeting operation cannot be done.
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingError {
    /// The settings (or a typed value) are not acceptable.
    Settings(MeetingProblem),
    /// No demand fits the choice.
    NoDemands,
    /// No expert was chosen or found.
    NoExperts,
    /// Scheduling before pairing.
    NotPaired,
    /// Exporting before pairing.
    NothingToExport,
    /// A place outside the meeting's slots and tables.
    PlaceOutOfRange { slots: u32, tables: u32 },
    /// A per-expert cap of 0.
    CapZero,
    /// A per-demand lower bound above its upper bound.
    BoundsInverted { min: u32, max: u32 },
    /// A pair staff asked for is forbidden by a 回避 rule.
    Forbidden(Conflict),
    /// Locked pairs that a 回避 rule now forbids: (demand 编号, rule).
    LockedConflicts(Vec<(String, Conflict)>),
    /// Re-planning the rest of the day before the meeting was scheduled.
    NotScheduled,
    /// A slot number past the meeting's last slot (1-based as typed, the meeting's slots).
    SlotOutOfRange { slot: u32, slots: u32 },
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] SearchError),
    #[error(transparent)]
    File(#[from] FileError),
    #[error("not found: {0:?}")]
    NotFound(Missing),
    /// A 编号 already used by another record (its label).
    #[error("{kind:?} id {ext_id} is already used by {other}")]
    Duplicate { kind: RecordKind, ext_id: String, other: String },
    #[error("an enterprise named {0} already exists")]
    DuplicateEnterprise(String),
    /// The record breaks the record rules (`domain::rules`).
    #[error("the record does not pass the rules: {0:?}")]
    Invalid(Vec<Issue>),
    /// No pairing meets every bound: what stands in the way, the meeting's minimum score, and
    /// how many candidate pairs the 回避 rules removed.
    #[error("no assignment meets every bound: {obstacles:?}")]
    Infeasible { obstacles: Vec<assign::Obstacle>, min_score: f64, conflicts: Vec<(String, Conflict)> },
    #[error("no schedule: {0:?}")]
    Unschedulable(Vec<schedule::Obstacle>),
    #[error("meeting: {0:?}")]
    Meeting(MeetingError),
    /// An action of the change log cannot be undone.
    #[error("cannot undo: {0:?}")]
    Undo(crate::store::changelog::UndoBlock),
    /// An output path that is one of Bole's own files (the database, its index or backups).
    #[error("{0} is one of Bole's own files")]
    OwnFile(std::path::PathBuf),
    /// A follow-up entry that breaks its rules (`domain::followup`).
    #[error("follow-up: {0:?}")]
    Followup(crate::domain::followup::FollowupProblem),
    /// A knowledge edit that breaks the knowledge rules (`domain::knowledge_edit`).
    #[error("knowledge: {0}")]
    Knowledge(crate::domain::EditError),
    #[error("a matching thread stopped unexpectedly")]
    Thread,
}

impl From<rusqlite::Error> for EngineError {
    fn from(e: rusqlite::Error) -> Self {
        EngineError::Store(e.into())
    }
}

impl From<MatchError> for EngineError {
    fn from(e: MatchError) -> Self {
        match e {
            MatchError::Search(e) => EngineError::Index(e),
            MatchError::Store(e) => EngineError::Store(e),
        }
    }
}

impl From<MeetingError> for EngineError {
    fn from(e: MeetingError) -> Self {
        EngineError::Meeting(e)
    }
}

impl From<MeetingProblem> for EngineError {
    fn from(e: MeetingProblem) -> Self {
        EngineError::Meeting(MeetingError::Settings(e))
    }
}

impl EngineError {
    /// Whether the import was cancelled by the user (not a failure to report as one).
    pub fn is_cancelled(&self) -> bool {
        matches!(self, EngineError::File(FileError::Cancelled))
    }
}

/// The result of an engine operation.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;

impl From<crate::domain::followup::FollowupProblem> for EngineError {
    fn from(e: crate::domain::followup::FollowupProblem) -> Self {
        EngineError::Followup(e)
    }
}
