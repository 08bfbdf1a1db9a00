//! Time slots and tables for a matchmaking meeting (对接会): after assignment, each (enterprise,
//! expert) pair meets once, and each meeting needs a time slot and a table. Hard rules: nobody is
//! in two meetings in one slot, no table hosts two meetings in one slot, slots and tables stay in
//! range, locked meetings keep their (slot, table). Soft rules, in priority order: every
//! enterprise keeps one table all day (experts rotate to it); short waits (idle slots between a
//! person's first and last meeting); few, early slots. Indices are 0-based; the Chinese messages
//! number slots and tables from 1.
//!
//! Method. Meetings are the edges of a bipartite multigraph (enterprises × experts) and a slot is
//! an edge colour, so without locks the fewest slots are `max(Δ, ⌈meetings / tables⌉)` (König:
//! Δ colours suffice for a bipartite multigraph; de Werra: for any k ≥ Δ the colour classes can be
//! balanced to differ by at most one, so none exceeds the tables). Fixed seating first: the
//! enterprises are packed onto the tables (one each when they fit, otherwise several enterprises
//! share a table and take turns), and the edges are coloured on the graph *tables × experts*,
//! which is bipartite again — so a table never hosts two meetings at once and nobody ever moves.
//! The fewest slots for which a packing is found (worst fit, then best fit, by decreasing size) are
//! used — more than the lower bound only when that keeps everyone at one table (the first soft
//! rule), never more than `slots`.
//! Only when no packing fits within the slots does each enterprise become its own vertex, with the
//! classes balanced by swapping alternating paths and tables assigned slot by slot (keeping each
//! enterprise's home table where possible, and counting the moves). Colouring inserts meetings
//! greedily (the slot that adds the least waiting) and recolours an alternating (Kempe) path when
//! no slot is free at both ends. Waiting is then reduced by local search that keeps every rule:
//! Kempe-chain swaps that move a person's first or last meeting into a gap, and exchanging whole
//! slots. Empty slots are moved to the end. Locked meetings are pre-coloured and never recoloured;
//! with locks the problem is NP-hard in general, so a schedule is searched (a few more slots are
//! tried) but not guaranteed. Deterministic: every choice breaks ties by index.

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub enterprise: usize,
    pub expert: usize,
    /// (slot, table) the meeting must keep.
    pub locked: Option<(usize, usize)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problem {
    /// Time slots available (the meeting's length).
    pub slots: usize,
    pub tables: usize,
    pub meetings: Vec<Meeting>,
    /// Names for messages (an index without a name is shown as `#i`).
    pub enterprise_names: Vec<String>,
    pub expert_names: Vec<String>,
}

/// Why no schedule can be made; names are the problem's enterprise and expert names. The edge
/// (UI, CLI) words them and says what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Obstacle {
    /// There are meetings but no tables.
    NoTables { meetings: usize },
    /// An enterprise has more meetings than there are slots.
    EnterpriseOverSlots { enterprise: String, meetings: usize, slots: usize },
    /// An expert has more meetings than there are slots.
    ExpertOverSlots { expert: String, meetings: usize, slots: usize },
    /// Meetings ÷ tables needs more slots than there are.
    TablesOverSlots { needed: usize, meetings: usize, tables: usize, slots: usize },
    /// A pair is locked to a slot past the last one.
    LockSlotOutOfRange { enterprise: String, expert: String, slot: usize, slots: usize },
    /// A pair is locked to a table past the last one.
    LockTableOutOfRange { enterprise: String, expert: String, table: usize, tables: usize },
    /// An expert is locked at two tables in one slot.
    ExpertTwoTables { expert: String, slot: usize, tables: (usize, usize) },
    /// An expert is locked to two meetings at one table in one slot.
    ExpertTwice { expert: String, slot: usize },
    /// An enterprise is locked to two meetings in one slot.
    EnterpriseTwice { enterprise: String, slot: usize, experts: (String, String) },
    /// One table in one slot holds two locked meetings (enterprise, expert of each).
    TableTwice { slot: usize, table: usize, first: (String, String), second: (String, String) },
    /// The locks cannot be combined with the other meetings in the slots there are.
    LocksBlock { slots: usize },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    /// Per meeting: (slot, table).
    pub placed: Vec<(usize, usize)>,
    /// 1 + the last slot used.
    pub slots_used: usize,
    /// 1 + the highest table used.
    pub tables_used: usize,
    /// How often an enterprise sits at another table than at its previous meeting (0 = every
    /// enterprise keeps one table all day; otherwise suggest [`tables_for_fixed_seating`] tables).
    pub table_changes: usize,
    /// Idle slots between the first and last meeting of every enterprise and expert, summed.
    pub total_gaps: usize,
}

/// The lower bound on the slots, `max(Δ, ⌈meetings / tables⌉)` with Δ the most meetings of any
/// enterprise or expert; without locks [`schedule`] always succeeds with this many slots, and
/// uses exactly this many when every enterprise can have its own table. Locks may need more.
/// `usize::MAX` when there are meetings but no tables.
pub fn min_slots(p: &Problem) -> usize {
    let n = p.meetings.len();
    if n == 0 {
        return 0;
    }
    if p.tables == 0 {
        return usize::MAX;
    }
    let (de, dx) = degrees(p);
    let delta = de.iter().chain(&dx).copied().max().unwrap_or(0);
    delta.max(n.div_ceil(p.tables))
}

/// Tables needed for every enterprise to have a table of its own: the enterprises with meetings.
pub fn tables_for_fixed_seating(p: &Problem) -> usize {
    degrees(p).0.iter().filter(|&&d| d > 0).count()
}

/// Places every meeting, or says what keeps it from being done.
pub fn schedule(p: &Problem) -> Result<Schedule, Vec<Obstacle>> {
    let errors = check(p);
    if !errors.is_empty() {
        return Err(errors);
    }
    let n = p.meetings.len();
    if n == 0 {
        return Ok(Schedule::default());
    }
    let (de, dx) = degrees(p);
    let (ne, nx) = (de.len(), dx.len());
    let k0 = min_slots(p).max(p.meetings.iter().filter_map(|m| m.locked).map(|(s, _)| s + 1).max().unwrap_or(0));
    // Each enterprise's locked table, when all its locks agree (None: no lock; Err: several).
    let mut lock_table: Vec<Option<Result<usize, ()>>> = vec![None; ne];
    for m in &p.meetings {
        if let Some((_, t)) = m.locked {
            let lt = &mut lock_table[m.enterprise];
            *lt = match *lt {
                None => Some(Ok(t)),
                Some(Ok(u)) if u == t => Some(Ok(t)),
                _ => Some(Err(())),
            };
        }
    }
    // Fixed seating: the first number of slots whose packing fits, and a few more if locks get
    // in the way of the colouring.
    if lock_table.iter().all(|l| !matches!(l, Some(Err(())))) {
        let max_deg = de.iter().copied().max().unwrap_or(0);
        let mut attempts = 0;
        for k in k0..=p.slots.min(k0 + max_deg + n.div_ceil(p.tables) + 1) {
            let Some(group) = pack(&de, &lock_table, p.tables, k) else { continue };
            let mut c = Colouring::new(p, k, false, p.tables, &group, ne, nx);
            if c.colour_all() {
                return Ok(c.finish(p, Some(&group)));
            }
            attempts += 1;
            if attempts == 3 {
                break;
            }
        }
    }
    // Free seating: enterprises are their own vertices, tables are assigned per slot.
    let own: Vec<usize> = (0..ne).collect();
    for k in k0..=p.slots.min(k0 + 3) {
        let mut c = Colouring::new(p, k, true, ne, &own, ne, nx);
        if c.colour_all() && c.balance() {
            return Ok(c.finish(p, None));
        }
    }
    Err(vec![Obstacle::LocksBlock { slots: p.slots }])
}

/// Re-schedules during the meeting: a meeting whose current place (`current[i]`) lies in a slot
/// before `from` has started or finished and keeps that place exactly; every other meeting is
/// placed in the slots `from..p.slots` by [`schedule`] (its lock kept when it lies there, dropped
/// when it points into the past). The two parts never share a slot, so the rules hold across them.
/// Obstacles name the remaining slots (`p.slots - from`).
pub fn reschedule_from(
    p: &Problem,
    current: &[Option<(usize, usize)>],
    from: usize,
) -> Result<Schedule, Vec<Obstacle>> {
    let started = |i: usize| current.get(i).copied().flatten().filter(|&(s, _)| s < from);
    let rest: Vec<usize> = (0..p.meetings.len()).filter(|&i| started(i).is_none()).collect();
    let sub = Problem {
        slots: p.slots.saturating_sub(from),
        tables: p.tables,
        meetings: rest
            .iter()
            .map(|&i| {
                let m = &p.meetings[i];
                let locked = m.locked.filter(|&(s, _)| s >= from).map(|(s, t)| (s - from, t));
                Meeting { locked, ..m.clone() }
            })
            .collect(),
        enterprise_names: p.enterprise_names.clone(),
        expert_names: p.expert_names.clone(),
    };
    let later = schedule(&sub)?;
    let mut placed: Vec<(usize, usize)> = (0..p.meetings.len()).map(|i| started(i).unwrap_or((0, 0))).collect();
    for (&i, &(s, t)) in rest.iter().zip(&later.placed) {
        placed[i] = (s + from, t);
    }
    Ok(measure(p, placed))
}

/// Every hard rule a schedule must meet, as diagnostics (English) for the tests and benches.
pub fn violations(p: &Problem, s: &Schedule) -> Vec<String> {
    let pair_label = |m: &Meeting| format!("{}–{}", enterprise_name(p, m.enterprise), expert_name(p, m.expert));
    let mut out = Vec::new();
    if s.placed.len() != p.meetings.len() {
        out.push(format!("{} meetings placed, {} expected", s.placed.len(), p.meetings.len()));
        return out;
    }
    let mut by_expert = std::collections::HashMap::new();
    let mut by_enterprise = std::collections::HashMap::new();
    let mut by_table = std::collections::HashMap::new();
    for (i, (m, &(slot, table))) in p.meetings.iter().zip(&s.placed).enumerate() {
        let what = pair_label(m);
        if slot >= p.slots {
            out.push(format!("{what} in slot {} of {}", slot + 1, p.slots));
        }
        if table >= p.tables {
            out.push(format!("{what} at table {} of {}", table + 1, p.tables));
        }
        if let Some(lock) = m.locked
            && lock != (slot, table)
        {
            out.push(format!(
                "{what} locked at slot {} table {}, placed at slot {} table {}",
                lock.0 + 1,
                lock.1 + 1,
                slot + 1,
                table + 1
            ));
        }
        if let Some(j) = by_expert.insert((m.expert, slot), i) {
            out.push(format!(
                "expert {} twice in slot {} ({}, {})",
                expert_name(p, m.expert),
                slot + 1,
                pair_label(&p.meetings[j]),
                what
            ));
        }
        if let Some(j) = by_enterprise.insert((m.enterprise, slot), i) {
            out.push(format!(
                "enterprise {} twice in slot {} ({}, {})",
                enterprise_name(p, m.enterprise),
                slot + 1,
                pair_label(&p.meetings[j]),
                what
            ));
        }
        if let Some(j) = by_table.insert((slot, table), i) {
            out.push(format!("slot {} table {} twice ({}, {})", slot + 1, table + 1, pair_label(&p.meetings[j]), what));
        }
    }
    out
}

fn enterprise_name(p: &Problem, e: usize) -> String {
    p.enterprise_names.get(e).cloned().unwrap_or_else(|| format!("#{e}"))
}

fn expert_name(p: &Problem, x: usize) -> String {
    p.expert_names.get(x).cloned().unwrap_or_else(|| format!("#{x}"))
}

fn pair_names(p: &Problem, m: &Meeting) -> (String, String) {
    (enterprise_name(p, m.enterprise), expert_name(p, m.expert))
}

/// Meetings per enterprise and per expert (as long as the name lists, or the highest index + 1).
fn degrees(p: &Problem) -> (Vec<usize>, Vec<usize>) {
    let ne = p.meetings.iter().map(|m| m.enterprise + 1).max().unwrap_or(0).max(p.enterprise_names.len());
    let nx = p.meetings.iter().map(|m| m.expert + 1).max().unwrap_or(0).max(p.expert_names.len());
    let (mut de, mut dx) = (vec![0; ne], vec![0; nx]);
    for m in &p.meetings {
        de[m.enterprise] += 1;
        dx[m.expert] += 1;
    }
    (de, dx)
}

/// The reasons no schedule can exist, before trying.
fn check(p: &Problem) -> Vec<Obstacle> {
    let mut errors = Vec::new();
    let n = p.meetings.len();
    if n == 0 {
        return errors;
    }
    if p.tables == 0 {
        errors.push(Obstacle::NoTables { meetings: n });
        return errors;
    }
    let (de, dx) = degrees(p);
    for (e, &d) in de.iter().enumerate().filter(|(_, d)| **d > p.slots) {
        errors.push(Obstacle::EnterpriseOverSlots { enterprise: enterprise_name(p, e), meetings: d, slots: p.slots });
    }
    for (x, &d) in dx.iter().enumerate().filter(|(_, d)| **d > p.slots) {
        errors.push(Obstacle::ExpertOverSlots { expert: expert_name(p, x), meetings: d, slots: p.slots });
    }
    let by_tables = n.div_ceil(p.tables);
    if by_tables > p.slots {
        errors.push(Obstacle::TablesOverSlots { needed: by_tables, meetings: n, tables: p.tables, slots: p.slots });
    }
    // Locks: in range, and no person or table twice in a slot.
    let mut locks: Vec<Lock> = Vec::new();
    for (i, m) in p.meetings.iter().enumerate() {
        let Some((s, t)) = m.locked else { continue };
        let mut ok = true;
        if s >= p.slots {
            let (enterprise, expert) = pair_names(p, m);
            errors.push(Obstacle::LockSlotOutOfRange { enterprise, expert, slot: s + 1, slots: p.slots });
            ok = false;
        }
        if t >= p.tables {
            let (enterprise, expert) = pair_names(p, m);
            errors.push(Obstacle::LockTableOutOfRange { enterprise, expert, table: t + 1, tables: p.tables });
            ok = false;
        }
        if ok {
            locks.push((s, t, i));
        }
    }
    let clash = |key: fn(&Problem, &Lock) -> (usize, usize)| clashes(p, &locks, key);
    let mut seen = std::collections::HashSet::new();
    for (a, b) in clash(|p, l| (p.meetings[l.2].expert, l.0)) {
        if seen.insert(("x", a.0, a.1)) {
            let expert = expert_name(p, a.0);
            errors.push(if a.2 == b.2 {
                Obstacle::ExpertTwice { expert, slot: a.1 + 1 }
            } else {
                Obstacle::ExpertTwoTables { expert, slot: a.1 + 1, tables: (a.2 + 1, b.2 + 1) }
            });
        }
    }
    for (a, b) in clash(|p, l| (p.meetings[l.2].enterprise, l.0)) {
        if seen.insert(("e", a.0, a.1)) {
            errors.push(Obstacle::EnterpriseTwice {
                enterprise: enterprise_name(p, a.0),
                slot: a.1 + 1,
                experts: (expert_name(p, p.meetings[a.3].expert), expert_name(p, p.meetings[b.3].expert)),
            });
        }
    }
    for (a, b) in clash(|_, l| (l.0, l.1)) {
        if seen.insert(("t", a.0, a.1)) {
            errors.push(Obstacle::TableTwice {
                slot: a.0 + 1,
                table: a.1 + 1,
                first: pair_names(p, &p.meetings[a.3]),
                second: pair_names(p, &p.meetings[b.3]),
            });
        }
    }
    errors
}

/// A lock: (slot, table, meeting).
type Lock = (usize, usize, usize);

/// Locks sharing a key (two meetings of one person, or on one table, in one slot): pairs of
/// (key, key, table, meeting), each pair neighbours in key order.
#[allow(clippy::type_complexity)]
fn clashes(
    p: &Problem,
    locks: &[Lock],
    key: fn(&Problem, &Lock) -> (usize, usize),
) -> Vec<((usize, usize, usize, usize), (usize, usize, usize, usize))> {
    let mut v: Vec<(usize, usize, usize, usize)> = locks
        .iter()
        .map(|l| {
            let (a, b) = key(p, l);
            (a, b, l.1, l.2)
        })
        .collect();
    v.sort_unstable();
    v.windows(2).filter(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1)).map(|w| (w[0], w[1])).collect()
}

/// Packs the enterprises onto `tables` tables with at most `k` meetings each (enterprises with
/// locks on their locked table): worst fit by decreasing size (spreads them out, one table each
/// when they fit), then best fit. Returns each enterprise's table.
fn pack(de: &[usize], lock_table: &[Option<Result<usize, ()>>], tables: usize, k: usize) -> Option<Vec<usize>> {
    let mut load = vec![0usize; tables];
    let mut group = vec![usize::MAX; de.len()];
    let mut pinned = vec![false; tables];
    for (e, l) in lock_table.iter().enumerate() {
        if let Some(Ok(t)) = *l {
            load[t] += de[e];
            group[e] = t;
            pinned[t] = true;
        }
    }
    if load.iter().any(|&l| l > k) {
        return None;
    }
    let mut order: Vec<usize> = (0..de.len()).filter(|&e| de[e] > 0 && group[e] == usize::MAX).collect();
    order.sort_by_key(|&e| (std::cmp::Reverse(de[e]), e));
    'strategy: for worst in [true, false] {
        let (mut l, mut g) = (load.clone(), group.clone());
        for &e in &order {
            let fits = (0..tables).filter(|&t| l[t] + de[e] <= k);
            let t = if worst {
                fits.min_by_key(|&t| (l[t], t))
            } else {
                fits.min_by_key(|&t| (std::cmp::Reverse(l[t]), t))
            };
            let Some(t) = t else { continue 'strategy };
            l[t] += de[e];
            g[e] = t;
        }
        // Tables without locks in the order of their first enterprise (enterprise 0 at table 0).
        let free: Vec<usize> = (0..tables).filter(|&t| !pinned[t]).collect();
        let mut used: Vec<(usize, usize)> = Vec::new();
        for (e, &t) in g.iter().enumerate() {
            if t != usize::MAX && !pinned[t] && !used.iter().any(|u| u.1 == t) {
                used.push((e, t));
            }
        }
        let mut map: Vec<usize> = (0..tables).collect();
        for (i, &(_, t)) in used.iter().enumerate() {
            map[t] = free[i];
        }
        let mut rest = free[used.len()..].iter();
        for &t in &free {
            if !used.iter().any(|u| u.1 == t) {
                map[t] = *rest.next().expect("as many free tables as free groups");
            }
        }
        return Some(g.into_iter().map(|t| if t == usize::MAX { t } else { map[t] }).collect());
    }
    None
}

const NONE: u32 = u32::MAX;
/// Rounds of the waiting-time local search (they stop as soon as nothing improves).
const ROUNDS: usize = 30;

/// An edge colouring in progress. Colouring vertices: `left` ones (tables under fixed seating,
/// enterprises otherwise), then the experts. Entities whose waiting is measured: enterprises,
/// then experts.
struct Colouring {
    k: usize,
    tables: usize,
    /// Classes must stay within the tables (free seating; with fixed seating they always do).
    free_seating: bool,
    nl: usize,
    ne: usize,
    /// Each enterprise's colouring vertex.
    vertex: Vec<u32>,
    left: Vec<u32>,
    right: Vec<u32>,
    ent: Vec<u32>,
    exp: Vec<u32>,
    lock: Vec<Option<usize>>,
    colour: Vec<u32>,
    /// `at[v * k + c]`: the edge of colour `c` at colouring vertex `v`.
    at: Vec<u32>,
    /// `busy[x * k + c]`: entity `x` meets in slot `c`.
    busy: Vec<bool>,
    deg: Vec<usize>,
    size: Vec<usize>,
    comp: Vec<usize>,
    stamp: Vec<u32>,
    now: u32,
    count: Vec<u8>,
    first: Vec<u32>,
    touched: Vec<usize>,
}

impl Colouring {
    fn new(p: &Problem, k: usize, free_seating: bool, nl: usize, group: &[usize], ne: usize, nx: usize) -> Self {
        let n = p.meetings.len();
        let ents = ne + nx;
        let mut c = Colouring {
            k,
            tables: p.tables,
            free_seating,
            nl,
            ne,
            vertex: group.iter().map(|&g| g as u32).collect(),
            left: Vec::with_capacity(n),
            right: Vec::with_capacity(n),
            ent: Vec::with_capacity(n),
            exp: Vec::with_capacity(n),
            lock: p.meetings.iter().map(|m| m.locked.map(|l| l.0)).collect(),
            colour: vec![NONE; n],
            at: vec![NONE; (nl + nx) * k],
            busy: vec![false; ents * k],
            deg: vec![0; ents],
            size: vec![0; k],
            comp: Vec::new(),
            stamp: vec![0; ents],
            now: 0,
            count: vec![0; ents],
            first: vec![0; ents],
            touched: Vec::new(),
        };
        for m in &p.meetings {
            c.left.push(group[m.enterprise] as u32);
            c.right.push((nl + m.expert) as u32);
            c.ent.push(m.enterprise as u32);
            c.exp.push((ne + m.expert) as u32);
            c.deg[m.enterprise] += 1;
            c.deg[ne + m.expert] += 1;
        }
        c
    }

    fn set(&mut self, e: usize, c: usize) {
        let k = self.k;
        self.colour[e] = c as u32;
        self.at[self.left[e] as usize * k + c] = e as u32;
        self.at[self.right[e] as usize * k + c] = e as u32;
        self.busy[self.ent[e] as usize * k + c] = true;
        self.busy[self.exp[e] as usize * k + c] = true;
        self.size[c] += 1;
    }

    fn unset(&mut self, e: usize) {
        let (k, c) = (self.k, self.colour[e] as usize);
        self.colour[e] = NONE;
        self.at[self.left[e] as usize * k + c] = NONE;
        self.at[self.right[e] as usize * k + c] = NONE;
        self.busy[self.ent[e] as usize * k + c] = false;
        self.busy[self.exp[e] as usize * k + c] = false;
        self.size[c] -= 1;
    }

    /// The edge of entity `x` in slot `c` (it must have one; under fixed seating it is the edge
    /// of the enterprise's table in that slot).
    fn edge_of(&self, x: usize, c: usize) -> usize {
        let v = if x < self.ne { self.vertex[x] as usize } else { self.nl + x - self.ne };
        self.at[v * self.k + c] as usize
    }

    /// First and last busy slot of entity `x`, ignoring slot `skip`.
    fn span_without(&self, x: usize, skip: usize) -> Option<(usize, usize)> {
        let row = &self.busy[x * self.k..(x + 1) * self.k];
        let lo = (0..self.k).find(|&c| row[c] && c != skip)?;
        let hi = (0..self.k).rev().find(|&c| row[c] && c != skip)?;
        Some((lo, hi))
    }

    fn gap(&self, x: usize) -> usize {
        self.span_without(x, usize::MAX).map_or(0, |(lo, hi)| hi - lo + 1 - self.deg[x])
    }

    /// The waiting of entity `x` once its meeting in slot `from` moves to slot `to`.
    fn gap_after_move(&self, x: usize, from: usize, to: usize) -> usize {
        let (lo, hi) = self.span_without(x, from).map_or((to, to), |(lo, hi)| (lo.min(to), hi.max(to)));
        hi - lo + 1 - self.deg[x]
    }

    /// Collects in `comp` the component of edge `e` in the subgraph of colours `a` and `b` (an
    /// alternating path, or an even cycle).
    fn walk(&mut self, e: usize, a: u32, b: u32) {
        self.comp.clear();
        self.comp.push(e);
        let k = self.k;
        for start in [self.right[e], self.left[e]] {
            let (mut v, mut c) = (start as usize, self.colour[e]);
            loop {
                c = if c == a { b } else { a };
                let f = self.at[v * k + c as usize];
                if f == NONE {
                    break;
                }
                if f as usize == e {
                    return; // a cycle: both directions done
                }
                self.comp.push(f as usize);
                v = if self.left[f as usize] as usize == v { self.right[f as usize] } else { self.left[f as usize] }
                    as usize;
            }
        }
    }

    /// Whether the component may swap colours: no locked edge, and (free seating, when asked)
    /// both classes stay within the tables.
    fn movable(&self, a: u32, b: u32, sizes: bool) -> bool {
        if self.comp.iter().any(|&f| self.lock[f].is_some()) {
            return false;
        }
        if sizes && self.free_seating {
            let na = self.comp.iter().filter(|&&f| self.colour[f] == a).count();
            let nb = self.comp.len() - na;
            let (sa, sb) = (self.size[a as usize], self.size[b as usize]);
            if sa - na + nb > self.tables || sb - nb + na > self.tables {
                return false;
            }
        }
        true
    }

    /// Swaps colours `a` and `b` on the component.
    fn flip(&mut self, a: u32, b: u32) {
        let comp = std::mem::take(&mut self.comp);
        let old: Vec<u32> = comp.iter().map(|&f| self.colour[f]).collect();
        for &f in &comp {
            self.unset(f);
        }
        for (&f, &c) in comp.iter().zip(&old) {
            self.set(f, if c == a { b } else { a } as usize);
        }
        self.comp = comp;
    }

    /// Colours every edge: locks first, then the rest by enterprise (largest first) so that each
    /// enterprise's meetings come out in a block. False when locks leave no way.
    fn colour_all(&mut self) -> bool {
        for e in 0..self.lock.len() {
            if let Some(s) = self.lock[e] {
                let (u, v) = (self.left[e] as usize, self.right[e] as usize);
                if self.at[u * self.k + s] != NONE || self.at[v * self.k + s] != NONE {
                    return false;
                }
                self.set(e, s);
            }
        }
        let mut order: Vec<usize> = (0..self.lock.len()).filter(|&e| self.lock[e].is_none()).collect();
        order.sort_by_key(|&e| {
            let x = self.ent[e] as usize;
            (std::cmp::Reverse(self.deg[x]), x, std::cmp::Reverse(self.deg[self.exp[e] as usize]), e)
        });
        order.into_iter().all(|e| self.insert(e))
    }

    /// Colours edge `e`: the free slot that adds the least waiting, else an alternating path is
    /// swapped to free one (König's argument: in a bipartite graph the path from one end never
    /// reaches the other).
    fn insert(&mut self, e: usize) -> bool {
        let k = self.k;
        let (u, v) = (self.left[e] as usize, self.right[e] as usize);
        let spans = [self.ent[e] as usize, self.exp[e] as usize].map(|x| (self.span_without(x, usize::MAX), x));
        let added = |c: usize| -> isize {
            spans
                .iter()
                .map(|&(s, _)| match s {
                    None => 0,
                    Some((lo, hi)) if lo <= c && c <= hi => -1,
                    Some((lo, hi)) => (if c < lo { lo - c } else { c - hi }) as isize - 1,
                })
                .sum()
        };
        let free_u = |c: usize| self.at[u * k + c] == NONE;
        let free_v = |c: usize| self.at[v * k + c] == NONE;
        let best = (0..k)
            .filter(|&c| free_u(c) && free_v(c))
            .min_by_key(|&c| (self.free_seating && self.size[c] >= self.tables, added(c), c));
        if let Some(c) = best {
            self.set(e, c);
            return true;
        }
        let mut fu: Vec<usize> = (0..k).filter(|&c| free_u(c)).collect();
        let mut fv: Vec<usize> = (0..k).filter(|&c| free_v(c)).collect();
        fu.sort_by_key(|&c| (added(c), c));
        fv.sort_by_key(|&c| (added(c), c));
        for &a in &fu {
            for &b in &fv {
                let (a32, b32) = (a as u32, b as u32);
                // Free `a` at v by swapping the a/b path that starts there…
                self.walk(self.at[v * k + a] as usize, a32, b32);
                if self.movable(a32, b32, false) {
                    self.flip(a32, b32);
                    self.set(e, a);
                    return true;
                }
                // …or free `b` at u.
                self.walk(self.at[u * k + b] as usize, a32, b32);
                if self.movable(a32, b32, false) {
                    self.flip(a32, b32);
                    self.set(e, b);
                    return true;
                }
            }
        }
        false
    }

    /// Free seating: brings every class within the tables (de Werra). While a class A is too big,
    /// some class B is below the tables, and A ∪ B splits into alternating paths and even cycles,
    /// one of which has one more A edge than B edges: swapping it moves one meeting from A to B.
    fn balance(&mut self) -> bool {
        let k = self.k;
        let mut seen = vec![false; self.colour.len()];
        loop {
            let a = (0..k).max_by_key(|&c| (self.size[c], std::cmp::Reverse(c))).expect("k > 0");
            if self.size[a] <= self.tables {
                return true;
            }
            let mut bs: Vec<usize> = (0..k).filter(|&c| self.size[c] < self.tables).collect();
            bs.sort_by_key(|&c| (self.size[c], c));
            let mut done = false;
            'b: for b in bs {
                seen.fill(false);
                for e in 0..self.colour.len() {
                    if self.colour[e] != a as u32 || seen[e] {
                        continue;
                    }
                    self.walk(e, a as u32, b as u32);
                    for &f in &self.comp {
                        seen[f] = true;
                    }
                    let na = self.comp.iter().filter(|&&f| self.colour[f] == a as u32).count();
                    if 2 * na > self.comp.len() && self.movable(a as u32, b as u32, false) {
                        self.flip(a as u32, b as u32);
                        done = true;
                        break 'b;
                    }
                }
            }
            if !done {
                return false;
            }
        }
    }

    /// Kempe-chain moves: for each person with idle slots, try moving the first or last meeting
    /// into an idle slot by swapping the alternating path through it; keep it when the total
    /// waiting of everyone concerned goes down. Returns whether anything improved.
    fn kempe_pass(&mut self) -> bool {
        let k = self.k;
        let mut improved = false;
        for x in 0..self.deg.len() {
            let mut moves = 0;
            'again: while moves < 2 * self.deg[x] {
                let Some((lo, hi)) = self.span_without(x, usize::MAX) else { break };
                if hi - lo + 1 == self.deg[x] {
                    break;
                }
                for from in [lo, hi] {
                    let e = self.edge_of(x, from);
                    if self.lock[e].is_some() {
                        continue;
                    }
                    for h in lo + 1..hi {
                        if self.busy[x * k + h] {
                            continue;
                        }
                        self.walk(e, from as u32, h as u32);
                        if self.movable(from as u32, h as u32, true) && self.delta(from as u32, h as u32) < 0 {
                            self.flip(from as u32, h as u32);
                            improved = true;
                            moves += 1;
                            continue 'again;
                        }
                    }
                }
                break;
            }
        }
        improved
    }

    /// The change in total waiting if the component swapped colours: only people with exactly one
    /// meeting on it change slots (one with two just swaps them).
    fn delta(&mut self, a: u32, b: u32) -> isize {
        self.now += 1;
        self.touched.clear();
        for i in 0..self.comp.len() {
            let f = self.comp[i];
            for x in [self.ent[f] as usize, self.exp[f] as usize] {
                if self.stamp[x] != self.now {
                    self.stamp[x] = self.now;
                    self.count[x] = 0;
                    self.first[x] = f as u32;
                    self.touched.push(x);
                }
                self.count[x] += 1;
            }
        }
        let mut d = 0isize;
        for &x in &self.touched {
            if self.count[x] == 1 {
                let from = self.colour[self.first[x] as usize];
                let to = if from == a { b } else { a };
                d += self.gap_after_move(x, from as usize, to as usize) as isize - self.gap(x) as isize;
            }
        }
        d
    }

    /// Exchanges whole slots (neither holding a locked meeting) when that shortens the waiting.
    fn swap_pass(&mut self) -> bool {
        let k = self.k;
        let mut pinned = vec![false; k];
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); k];
        let mut people: Vec<Vec<usize>> = vec![Vec::new(); k];
        for e in 0..self.colour.len() {
            let c = self.colour[e] as usize;
            pinned[c] |= self.lock[e].is_some();
            edges[c].push(e);
            people[c].push(self.ent[e] as usize);
            people[c].push(self.exp[e] as usize);
        }
        let mut improved = false;
        for i in 0..k {
            for j in i + 1..k {
                if pinned[i] || pinned[j] {
                    continue;
                }
                let mut d = 0isize;
                for (from, to) in [(i, j), (j, i)] {
                    for &x in &people[from] {
                        if !self.busy[x * k + to] {
                            d += self.gap_after_move(x, from, to) as isize - self.gap(x) as isize;
                        }
                    }
                }
                if d < 0 {
                    for &f in edges[i].iter().chain(&edges[j]) {
                        self.unset(f);
                    }
                    for &f in &edges[i] {
                        self.set(f, j);
                    }
                    for &f in &edges[j] {
                        self.set(f, i);
                    }
                    edges.swap(i, j);
                    people.swap(i, j);
                    improved = true;
                }
            }
        }
        improved
    }

    fn total_gaps(&self) -> usize {
        (0..self.deg.len()).map(|x| self.gap(x)).sum()
    }

    /// Shortens the waiting, moves empty slots to the end, seats everyone and measures.
    fn finish(&mut self, p: &Problem, group: Option<&[usize]>) -> Schedule {
        // Kempe moves until they stop paying, then whole slots (dearer, and rarely needed twice).
        for _ in 0..ROUNDS {
            while self.kempe_pass() {}
            if !self.swap_pass() {
                break;
            }
        }
        // Empty slots to the end: slots without locks keep their order and fill the free
        // positions from the front (kept only if the waiting does not grow).
        let k = self.k;
        let pinned: Vec<bool> = (0..k).map(|c| self.lock.contains(&Some(c))).collect();
        let mut order: Vec<usize> = (0..k).filter(|&c| !pinned[c] && self.size[c] > 0).collect();
        order.extend((0..k).filter(|&c| !pinned[c] && self.size[c] == 0));
        let mut map: Vec<usize> = (0..k).collect();
        for (pos, c) in (0..k).filter(|&c| !pinned[c]).zip(order) {
            map[c] = pos;
        }
        let before = self.total_gaps();
        let mut slot: Vec<usize> = self.colour.iter().map(|&c| map[c as usize]).collect();
        if gaps_of(p, &slot) > before {
            slot = self.colour.iter().map(|&c| c as usize).collect();
        }
        let table = match group {
            Some(g) => p.meetings.iter().map(|m| g[m.enterprise]).collect(),
            None => seat_free(p, &slot, k),
        };
        let placed: Vec<(usize, usize)> = slot.into_iter().zip(table).collect();
        measure(p, placed)
    }
}

/// Total idle slots between first and last meetings, over enterprises and experts.
fn gaps_of(p: &Problem, slot: &[usize]) -> usize {
    let (de, dx) = degrees(p);
    let mut lo = vec![usize::MAX; de.len() + dx.len()];
    let mut hi = vec![0; de.len() + dx.len()];
    for (m, &s) in p.meetings.iter().zip(slot) {
        for x in [m.enterprise, de.len() + m.expert] {
            lo[x] = lo[x].min(s);
            hi[x] = hi[x].max(s);
        }
    }
    de.iter().chain(&dx).enumerate().filter(|(_, d)| **d > 0).map(|(x, d)| hi[x] - lo[x] + 1 - d).sum()
}

fn measure(p: &Problem, placed: Vec<(usize, usize)>) -> Schedule {
    let slot: Vec<usize> = placed.iter().map(|pt| pt.0).collect();
    let mut per_ent: Vec<(usize, usize, usize)> =
        p.meetings.iter().zip(&placed).map(|(m, &(s, t))| (m.enterprise, s, t)).collect();
    per_ent.sort_unstable();
    let table_changes = per_ent.windows(2).filter(|w| w[0].0 == w[1].0 && w[0].2 != w[1].2).count();
    Schedule {
        slots_used: placed.iter().map(|pt| pt.0 + 1).max().unwrap_or(0),
        tables_used: placed.iter().map(|pt| pt.1 + 1).max().unwrap_or(0),
        table_changes,
        total_gaps: gaps_of(p, &slot),
        placed,
    }
}

/// Free seating: tables slot by slot. Every enterprise gets a home table (its locked one, else
/// the table least wanted in its slots); in each slot locked meetings sit first, then each
/// enterprise stays where it sat last (home owners first), and the displaced go home if free,
/// else to the free table least wanted later.
fn seat_free(p: &Problem, slot: &[usize], k: usize) -> Vec<usize> {
    let (mut table, home, want) = home_tables(p, slot, k);
    seat_slots(p, slot, k, &mut table, &home, &want);
    table
}

/// The locked meetings' tables (others `usize::MAX`), every enterprise's home table, and how
/// much each (table, slot) is wanted (`want[t * k + s]`).
fn home_tables(p: &Problem, slot: &[usize], k: usize) -> (Vec<usize>, Vec<usize>, Vec<u32>) {
    let tn = p.tables;
    let n = p.meetings.len();
    let (de, _) = degrees(p);
    let ne = de.len();
    let mut table = vec![usize::MAX; n];
    let mut want = vec![0u32; tn * k];
    let mut lock_count: Vec<Vec<(usize, usize)>> = vec![Vec::new(); ne];
    let mut of_ent: Vec<Vec<usize>> = vec![Vec::new(); ne];
    for (i, m) in p.meetings.iter().enumerate() {
        of_ent[m.enterprise].push(i);
        if let Some((s, t)) = m.locked {
            want[t * k + s] += 1;
            table[i] = t;
            let lc = &mut lock_count[m.enterprise];
            match lc.iter_mut().find(|x| x.1 == t) {
                Some(x) => x.0 += 1,
                None => lc.push((1, t)),
            }
        }
    }
    let mut order: Vec<usize> = (0..ne).filter(|&e| de[e] > 0).collect();
    order.sort_by_key(|&e| (lock_count[e].is_empty(), std::cmp::Reverse(de[e]), e));
    let mut home = vec![0usize; ne];
    let mut homed = vec![0usize; tn];
    for e in order {
        let t = match lock_count[e].iter().min_by_key(|x| (std::cmp::Reverse(x.0), x.1)) {
            Some(&(_, t)) => t,
            None => (0..tn)
                .min_by_key(|&t| {
                    let clash: u32 = of_ent[e].iter().map(|&i| want[t * k + slot[i]]).sum();
                    (clash, homed[t], t)
                })
                .expect("tables > 0"),
        };
        home[e] = t;
        homed[t] += 1;
        for &i in of_ent[e].iter().filter(|&&i| p.meetings[i].locked.is_none()) {
            want[t * k + slot[i]] += 1;
        }
    }
    (table, home, want)
}

/// Seats the unlocked meetings slot by slot: locked first, then each enterprise where it sat
/// last, the displaced at home if free, else at the free table least wanted later.
fn seat_slots(p: &Problem, slot: &[usize], k: usize, table: &mut [usize], home: &[usize], want: &[u32]) {
    let tn = p.tables;
    // later[t * (k + 1) + s]: how much table t is wanted from slot s on.
    let mut later = vec![0u32; tn * (k + 1)];
    for t in 0..tn {
        for s in (0..k).rev() {
            later[t * (k + 1) + s] = later[t * (k + 1) + s + 1] + want[t * k + s];
        }
    }
    let mut by_slot: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &s) in slot.iter().enumerate() {
        by_slot[s].push(i);
    }
    let mut cur = home.to_vec();
    let mut taken = vec![false; tn];
    for (s, list) in by_slot.iter_mut().enumerate() {
        taken.fill(false);
        for &i in list.iter().filter(|&&i| table[i] != usize::MAX) {
            taken[table[i]] = true;
            cur[p.meetings[i].enterprise] = table[i];
        }
        list.retain(|&i| table[i] == usize::MAX);
        list.sort_by_key(|&i| {
            let e = p.meetings[i].enterprise;
            (cur[e] != home[e], e)
        });
        let mut displaced = Vec::new();
        for &i in list.iter() {
            let e = p.meetings[i].enterprise;
            if taken[cur[e]] {
                displaced.push(i);
            } else {
                taken[cur[e]] = true;
                table[i] = cur[e];
            }
        }
        for i in displaced {
            let e = p.meetings[i].enterprise;
            let t = if taken[home[e]] {
                (0..tn).filter(|&t| !taken[t]).min_by_key(|&t| (later[t * (k + 1) + s + 1], t)).expect("class ≤ tables")
            } else {
                home[e]
            };
            taken[t] = true;
            table[i] = t;
            cur[e] = t;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::matching::test_rng::Rng;

    fn problem(slots: usize, tables: usize, pairs: &[(usize, usize)]) -> Problem {
        let ne = pairs.iter().map(|p| p.0 + 1).max().unwrap_or(0);
        let nx = pairs.iter().map(|p| p.1 + 1).max().unwrap_or(0);
        Problem {
            slots,
            tables,
            meetings: pairs.iter().map(|&(enterprise, expert)| Meeting { enterprise, expert, locked: None }).collect(),
            enterprise_names: (0..ne).map(|i| format!("企业{i}")).collect(),
            expert_names: (0..nx).map(|i| format!("专家{i}")).collect(),
        }
    }

    /// Distinct random (enterprise, expert) pairs: mostly small, one in eight of medium size.
    fn random_problem(rng: &mut Rng) -> Problem {
        let medium = rng.below(8) == 0;
        let ne = 1 + rng.below(if medium { 30 } else { 8 }) as usize;
        let nx = 1 + rng.below(if medium { 60 } else { 10 }) as usize;
        let density = if medium { 6 } else { 3 };
        let mut pairs = Vec::new();
        for e in 0..ne {
            for x in 0..nx {
                if rng.below(density) == 0 {
                    pairs.push((e, x));
                }
            }
        }
        if pairs.is_empty() {
            pairs.push((0, 0));
        }
        let tables = 1 + rng.below(if medium { 30 } else { 8 }) as usize;
        let mut p = problem(0, tables, &pairs);
        p.slots = min_slots(&p) + rng.below(3) as usize;
        p
    }

    fn tables_of(p: &Problem, s: &Schedule, e: usize) -> Vec<usize> {
        let mut t: Vec<usize> =
            p.meetings.iter().zip(&s.placed).filter(|(m, _)| m.enterprise == e).map(|(_, pt)| pt.1).collect();
        t.sort_unstable();
        t.dedup();
        t
    }

    #[test]
    fn star_needs_one_slot_per_meeting() {
        let p = problem(8, 5, &[(0, 0), (1, 0), (2, 0), (3, 0), (4, 0)]);
        assert_eq!(min_slots(&p), 5);
        let s = schedule(&p).unwrap();
        assert!(violations(&p, &s).is_empty());
        assert_eq!((s.slots_used, s.tables_used, s.table_changes, s.total_gaps), (5, 5, 0, 0));
        // Enterprise i at table i.
        for e in 0..5 {
            assert_eq!(tables_of(&p, &s, e), vec![e]);
        }
    }

    #[test]
    fn complete_bipartite_k33_in_three_slots_without_waiting() {
        let pairs: Vec<(usize, usize)> = (0..3).flat_map(|e| (0..3).map(move |x| (e, x))).collect();
        let p = problem(3, 3, &pairs);
        assert_eq!(min_slots(&p), 3);
        let s = schedule(&p).unwrap();
        assert!(violations(&p, &s).is_empty());
        assert_eq!((s.slots_used, s.table_changes, s.total_gaps), (3, 0, 0));
    }

    #[test]
    fn fewer_tables_than_enterprises() {
        // Four enterprises with two meetings each on two tables: they share tables in turn.
        let p = problem(4, 2, &[(0, 0), (0, 1), (1, 2), (1, 3), (2, 0), (2, 2), (3, 1), (3, 3)]);
        assert_eq!((min_slots(&p), tables_for_fixed_seating(&p)), (4, 4));
        let s = schedule(&p).unwrap();
        assert!(violations(&p, &s).is_empty());
        assert_eq!((s.slots_used, s.tables_used, s.table_changes), (4, 2, 0));
        // Three enterprises with two meetings on two tables: three slots are enough only if
        // someone moves; with a fourth slot everyone keeps a table.
        let p = problem(3, 2, &[(0, 0), (0, 1), (1, 2), (1, 3), (2, 4), (2, 5)]);
        assert_eq!(min_slots(&p), 3);
        let s = schedule(&p).unwrap();
        assert!(violations(&p, &s).is_empty());
        assert_eq!(s.slots_used, 3);
        assert!(s.table_changes > 0, "{s:?}");
        let p = Problem { slots: 4, ..p };
        let s = schedule(&p).unwrap();
        assert!(violations(&p, &s).is_empty());
        assert_eq!((s.slots_used, s.table_changes), (4, 0));
    }

    #[test]
    fn infeasibility_names_the_obstacles() {
        let mut p = problem(6, 10, &(0..7).map(|e| (e, 0)).collect::<Vec<_>>());
        p.expert_names[0] = "王强".into();
        assert_eq!(
            schedule(&p).unwrap_err(),
            vec![Obstacle::ExpertOverSlots { expert: "王强".into(), meetings: 7, slots: 6 }]
        );
        // 52 meetings on 6 tables need 9 slots.
        let pairs: Vec<(usize, usize)> = (0..52).map(|i| (i % 13, i)).collect();
        let p = problem(8, 6, &pairs);
        assert_eq!(min_slots(&p), 9);
        let e = schedule(&p).unwrap_err();
        assert!(e.contains(&Obstacle::TablesOverSlots { needed: 9, meetings: 52, tables: 6, slots: 8 }), "{e:?}");
        // Locks.
        let mut p = problem(6, 4, &[(0, 0), (1, 0), (2, 1), (3, 2)]);
        p.expert_names[0] = "王强".into();
        p.meetings[0].locked = Some((2, 0));
        p.meetings[1].locked = Some((2, 1));
        p.meetings[2].locked = Some((9, 0));
        p.meetings[3].locked = Some((0, 4));
        let e = schedule(&p).unwrap_err();
        assert!(e.contains(&Obstacle::ExpertTwoTables { expert: "王强".into(), slot: 3, tables: (1, 2) }), "{e:?}");
        assert!(e.iter().any(|o| matches!(o, Obstacle::LockSlotOutOfRange { slot: 10, slots: 6, .. })), "{e:?}");
        assert!(e.iter().any(|o| matches!(o, Obstacle::LockTableOutOfRange { table: 5, tables: 4, .. })), "{e:?}");
        let mut p = problem(6, 4, &[(0, 0), (1, 1)]);
        p.meetings[0].locked = Some((1, 2));
        p.meetings[1].locked = Some((1, 2));
        let e = schedule(&p).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(matches!(e[0], Obstacle::TableTwice { slot: 2, table: 3, .. }), "{e:?}");
    }

    #[test]
    fn random_instances_without_locks() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut shared, mut moved) = (0, 0);
        for _ in 0..400 {
            let p = random_problem(&mut rng);
            let lower = min_slots(&p);
            let s = schedule(&p).unwrap_or_else(|e| panic!("{e:?}\n{p:?}"));
            assert!(violations(&p, &s).is_empty(), "{:?}\n{p:?}\n{s:?}", violations(&p, &s));
            assert!(s.slots_used >= lower && s.slots_used <= p.slots);
            assert_eq!(s, measure(&p, s.placed.clone()), "the reported figures are those of the placement");
            let ents = tables_for_fixed_seating(&p);
            if ents <= p.tables {
                // Every enterprise its own table, and no slot more than needed.
                assert_eq!(s.table_changes, 0, "{p:?}\n{s:?}");
                assert_eq!(s.slots_used, lower, "{p:?}\n{s:?}");
                let mut homes: Vec<usize> = (0..p.enterprise_names.len())
                    .map(|e| tables_of(&p, &s, e))
                    .filter(|t| !t.is_empty())
                    .map(|t| {
                        assert_eq!(t.len(), 1);
                        t[0]
                    })
                    .collect();
                homes.sort_unstable();
                homes.dedup();
                assert_eq!(homes.len(), ents);
            } else {
                shared += 1;
                moved += (s.table_changes > 0) as usize;
            }
            // One slot fewer than the bound is reported, never attempted.
            if lower > 0 {
                let q = Problem { slots: lower - 1, ..p.clone() };
                let e = schedule(&q).unwrap_err();
                assert!(
                    !e.is_empty()
                        && e.iter().all(|o| matches!(
                            o,
                            Obstacle::EnterpriseOverSlots { .. }
                                | Obstacle::ExpertOverSlots { .. }
                                | Obstacle::TablesOverSlots { .. }
                        )),
                    "{e:?}"
                );
            }
        }
        assert!(shared > 50, "the generator should also make instances with shared tables: {shared}");
        assert!(moved < shared, "sharing tables in turn should usually avoid moves: {moved} of {shared}");
    }

    #[test]
    fn random_instances_with_locks() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let (mut ok, mut total) = (0, 0);
        for _ in 0..300 {
            let mut p = random_problem(&mut rng);
            // Lock a few meetings where a valid schedule (with one more slot) put them.
            p.slots += 1;
            let base = schedule(&p).unwrap();
            for (m, &pt) in p.meetings.iter_mut().zip(&base.placed) {
                if rng.below(4) == 0 {
                    m.locked = Some(pt);
                }
            }
            total += 1;
            match schedule(&p) {
                Ok(s) => {
                    assert!(violations(&p, &s).is_empty(), "{:?}\n{p:?}", violations(&p, &s));
                    for (m, pt) in p.meetings.iter().zip(&s.placed) {
                        if let Some(l) = m.locked {
                            assert_eq!(l, *pt);
                        }
                    }
                    if base.table_changes == 0 {
                        // The locks agree with one table per enterprise, so nobody needs to move.
                        assert_eq!(s.table_changes, 0, "{p:?}\n{s:?}");
                    }
                    ok += 1;
                }
                Err(e) => assert!(
                    e.iter().all(|o| matches!(
                        o,
                        Obstacle::LocksBlock { .. }
                            | Obstacle::ExpertTwoTables { .. }
                            | Obstacle::ExpertTwice { .. }
                            | Obstacle::EnterpriseTwice { .. }
                            | Obstacle::TableTwice { .. }
                            | Obstacle::LockSlotOutOfRange { .. }
                            | Obstacle::LockTableOutOfRange { .. }
                    )),
                    "{e:?}"
                ),
            }
            // Arbitrary locks: a valid schedule or a reason.
            let mut q = p.clone();
            let (slots, tables) = (q.slots as u64, q.tables as u64);
            for m in &mut q.meetings {
                m.locked = (rng.below(5) == 0).then(|| (rng.below(slots + 1) as usize, rng.below(tables + 1) as usize));
            }
            match schedule(&q) {
                Ok(s) => assert!(violations(&q, &s).is_empty(), "{:?}\n{q:?}", violations(&q, &s)),
                Err(e) => assert!(!e.is_empty()),
            }
        }
        assert!(ok * 20 >= total * 19, "locks taken from a valid schedule should nearly always work: {ok} of {total}");
    }

    #[test]
    fn deterministic() {
        let mut rng = Rng(7);
        for _ in 0..30 {
            let p = random_problem(&mut rng);
            assert_eq!(schedule(&p), schedule(&p));
        }
    }

    #[test]
    fn violations_catch_double_bookings() {
        let p = problem(2, 2, &[(0, 0), (1, 0), (0, 1)]);
        let bad = Schedule { placed: vec![(0, 0), (0, 1), (0, 0)], ..Default::default() };
        let v = violations(&p, &bad);
        assert!(v.iter().any(|m| m.starts_with("expert 专家0 twice in slot 1")), "{v:?}");
        assert!(v.iter().any(|m| m.starts_with("enterprise 企业0 twice in slot 1")), "{v:?}");
        assert!(v.iter().any(|m| m.starts_with("slot 1 table 1 twice")), "{v:?}");
    }

    #[test]
    fn rescheduling_from_a_slot_keeps_the_started_meetings() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..200 {
            let mut p = random_problem(&mut rng);
            p.slots = min_slots(&p) + 2 + rng.below(3) as usize;
            p.tables = p.tables.max(1);
            let Ok(first) = schedule(&p) else { continue };
            let from = rng.below(p.slots as u64) as usize;
            // Drop a random enterprise or expert from the meetings that have not started.
            let gone_expert = rng.below(2) == 0;
            let gone = rng.below(p.enterprise_names.len().max(p.expert_names.len()) as u64) as usize;
            let keep: Vec<usize> = (0..p.meetings.len())
                .filter(|&i| {
                    let m = &p.meetings[i];
                    first.placed[i].0 < from || (if gone_expert { m.expert } else { m.enterprise }) != gone
                })
                .collect();
            let q = Problem { meetings: keep.iter().map(|&i| p.meetings[i].clone()).collect(), ..p.clone() };
            let current: Vec<Option<(usize, usize)>> = keep.iter().map(|&i| Some(first.placed[i])).collect();
            let s = reschedule_from(&q, &current, from).expect("fewer meetings fit in the same slots");
            assert!(violations(&q, &s).is_empty(), "{:?}", violations(&q, &s));
            for (j, &i) in keep.iter().enumerate() {
                if first.placed[i].0 < from {
                    assert_eq!(s.placed[j], first.placed[i], "a started meeting moved");
                } else {
                    assert!(s.placed[j].0 >= from, "a remaining meeting went into the past");
                }
            }
        }
    }

    #[test]
    fn rescheduling_with_no_slots_left_says_so() {
        let p = problem(2, 2, &[(0, 0), (1, 1), (0, 1)]);
        let s = schedule(&p).unwrap();
        let current: Vec<_> = s.placed.iter().map(|&x| Some(x)).collect();
        let later: Vec<Option<(usize, usize)>> = vec![None, None, None];
        assert_eq!(reschedule_from(&p, &current, 2).unwrap().placed, s.placed);
        assert!(reschedule_from(&p, &later, 2).is_err());
    }
}
