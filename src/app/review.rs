//! 归类审核 (the classification review queue): the records of a kind without confirmed
//! subfields, best suggestion first; accept, pick another suggestion, change to any subfield,
//! skip — with the keyboard — and bulk-accept above a confidence the user picks.

use super::state::AppState;
use crate::domain::RecordKind;
use crate::engine::{Classified, Command};

/// The list filter that shows the records without a confirmed subfield.
pub const UNCLASSIFIED: &str = "∅未分类";

#[derive(Debug, Clone)]
pub struct ReviewView {
    pub kind: RecordKind,
    pub open: bool,
    /// The queue: unconfirmed records, those with the most confident suggestion first.
    pub queue: Vec<Classified>,
    /// Whether `queue` has arrived for `kind`.
    pub loaded: bool,
    pub pos: usize,
    /// Bulk acceptance threshold (0–1).
    pub threshold: f64,
    /// The subfield code chosen in 更改为.
    pub change: Option<String>,
    /// Records confirmed in this session of the window.
    pub done: usize,
}

impl Default for ReviewView {
    fn default() -> Self {
        ReviewView {
            kind: RecordKind::Expert,
            open: false,
            queue: Vec::new(),
            loaded: false,
            pos: 0,
            threshold: 0.8,
            change: None,
            done: 0,
        }
    }
}

impl ReviewView {
    /// The record under review.
    pub fn current(&self) -> Option<&Classified> {
        self.queue.get(self.pos)
    }

    /// How many queued records have a best suggestion at or above the threshold.
    pub fn above(&self) -> usize {
        self.queue
            .iter()
            .filter(|c| c.suggestions.first().is_some_and(|s| s.confidence + 1e-9 >= self.threshold))
            .count()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReviewMsg {
    Open(RecordKind),
    Close,
    /// Accept the n-th suggestion (0: the best) of the current record.
    Accept(usize),
    /// Confirm the subfield chosen in 更改为.
    AcceptChange,
    Change(Option<String>),
    Skip,
    Back,
    Threshold(f64),
    AcceptAbove,
}

impl AppState {
    pub(super) fn update_review(&mut self, msg: ReviewMsg) {
        let r = &mut self.review;
        match msg {
            ReviewMsg::Open(kind) => {
                *r = ReviewView { kind, open: true, threshold: r.threshold, ..ReviewView::default() };
                self.send(Command::LoadReview(kind));
            }
            ReviewMsg::Close => r.open = false,
            ReviewMsg::Accept(n) => {
                if let Some(c) = r.current()
                    && let Some(s) = c.suggestions.get(n)
                {
                    let cmd = Command::SetSubfields { kind: r.kind, row: c.row, codes: vec![s.code.clone()] };
                    self.confirmed_current();
                    self.send(cmd);
                }
            }
            ReviewMsg::AcceptChange => {
                if let (Some(c), Some(code)) = (r.current(), r.change.clone()) {
                    let cmd = Command::SetSubfields { kind: r.kind, row: c.row, codes: vec![code] };
                    self.confirmed_current();
                    self.send(cmd);
                }
            }
            ReviewMsg::Change(code) => r.change = code,
            ReviewMsg::Skip => {
                r.pos = (r.pos + 1).min(r.queue.len());
                r.change = None;
            }
            ReviewMsg::Back => {
                r.pos = r.pos.saturating_sub(1);
                r.change = None;
            }
            ReviewMsg::Threshold(t) => r.threshold = t.clamp(0.0, 1.0),
            ReviewMsg::AcceptAbove => {
                let (kind, threshold) = (r.kind, r.threshold);
                r.loaded = false;
                self.send(Command::AcceptAbove { kind, threshold });
            }
        }
    }

    /// The current record leaves the queue (it is confirmed).
    fn confirmed_current(&mut self) {
        let r = &mut self.review;
        if r.pos < r.queue.len() {
            r.queue.remove(r.pos);
            r.done += 1;
        }
        r.change = None;
    }

    pub(super) fn handle_review(&mut self, kind: RecordKind, mut list: Vec<Classified>) {
        list.sort_by(|a, b| {
            let best = |c: &Classified| c.suggestions.first().map_or(0.0, |s| s.confidence);
            best(b).total_cmp(&best(a)).then_with(|| a.ext_id.cmp(&b.ext_id))
        });
        let r = &mut self.review;
        if r.kind == kind {
            r.queue = list;
            r.loaded = true;
            r.pos = r.pos.min(r.queue.len());
        }
        match kind {
            RecordKind::Expert => self.pending_review.0 = Some(self.review.queue.len()),
            RecordKind::Demand => self.pending_review.1 = Some(self.review.queue.len()),
        }
    }
}
