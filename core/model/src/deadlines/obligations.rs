//! Open obligations of a case: what is due, by when, under which article, and
//! in which state — recomputed from a small, self-contained timeline
//! ([`CaseClock`]) so this module does not depend on the full case model (the
//! case model converts into a `CaseClock`).
//!
//! Recomputation is a pure function of (clock, today): call
//! [`DeadlineEngine::obligations`] again whenever an event arrives. It is O(events)
//! per case with O(1) period counting (≈ 20,000 cases in well under 200 ms).
//!
//! Dates beyond the loaded calendar (R10) do not fail here: reminders use the
//! provisional counting (plain weekends) and set [`Obligation::provisional`],
//! which the UI shows as 暂定. The exact API ([`Calendar::add`]) errors instead.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
pub use super::clock::{CaseClock, ClockEvent, EventKind};
use super::clock::{HEARING_SCHEDULED_SLOT, KINDS, RIGHTS_NOTICE_SLOT};
use super::error::{DeadlineError, Result};
use super::period::Counted;
use super::profile::{ids as pid, Profile};
use super::rules::{RuleTable, StatutoryRule};
use super::surcharge::{late_payment_surcharge, ExcludedRange, Surcharge};

/// State of an obligation on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationState {
    /// 未到期: more than `due_soon_days` before the target date.
    OnTime,
    /// 即将到期: within `due_soon_days` of the target, or past the R8 target
    /// but not past the legal due date.
    DueSoon,
    /// 逾期: today is after the due date and it is not met.
    Overdue,
    /// 已完成: the meeting event happened (see `met_late`).
    Met,
    /// 暂停: the clock does not run (art.73 surcharge during 复议/诉讼; the
    /// art.53 enforcement window while 复议/诉讼 is pending).
    Paused,
}

impl ObligationState {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            ObligationState::OnTime => "未到期",
            ObligationState::DueSoon => "即将到期",
            ObligationState::Overdue => "逾期",
            ObligationState::Met => "已完成",
            ObligationState::Paused => "暂停",
        }
    }
}

/// One obligation of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Obligation<'e> {
    /// The rule-table row: id, title (e.g. `听证申请期限`), citation, description.
    pub rule: &'e StatutoryRule,
    /// The trigger date the period runs from (for R9 rows: the event date X).
    pub trigger_on: NaiveDate,
    /// The legal due date (rolled forward where the rule says so).
    pub due: NaiveDate,
    /// The date reminders aim at: the raw date for agency self-limits (R8), else `due`.
    pub target: NaiveDate,
    /// True if `due` assumed plain weekends for a year not in the calendar (R10): 暂定.
    pub provisional: bool,
    /// State on the day asked for.
    pub state: ObligationState,
    /// When it was met, if it was.
    pub met_on: Option<NaiveDate>,
    /// Met after the due date.
    pub met_late: bool,
    /// For the fine payment: the art.72 surcharge as of payment or today.
    pub surcharge: Option<Surcharge>,
    /// A short Chinese remark (why paused, what is approximated…).
    pub note: Option<&'static str>,
}

impl Obligation<'_> {
    /// `听证申请期限：2024-06-07（行政处罚法 art.64(一)）— 即将到期`.
    pub fn summary_zh(&self) -> String {
        format!(
            "{}：{}{}（{}）— {}",
            self.rule.title,
            self.due,
            if self.provisional { "（暂定）" } else { "" },
            self.rule.citation,
            self.state.label_zh()
        )
    }

    /// Whether the obligation is still open (not met).
    pub fn is_open(&self) -> bool {
        self.state != ObligationState::Met
    }
}

/// Row positions the engine needs, resolved once.
#[derive(Debug, Clone)]
struct Rows {
    decision: usize,
    evidence: usize,
    hearing_request: usize,
    hearing_notice: usize,
    legal_review: usize,
    legal_review_ext: usize,
    service: usize,
    publication: usize,
    withdraw: usize,
    display: usize,
    display_np: usize,
    payment: usize,
    court_application: usize,
    defence: usize,
    review_reply: usize,
    seizure: usize,
    archive: usize,
    reconsideration_application: usize,
    reconsideration_decision: usize,
    suit_after_reconsideration: usize,
    suit: usize,
}

/// Calendar + profile + rule table: everything needed to compute obligations.
#[derive(Debug, Clone)]
pub struct DeadlineEngine {
    calendar: Calendar,
    profile: Profile,
    table: RuleTable,
    rows: Rows,
}

impl DeadlineEngine {
    /// An engine over `calendar`, `profile` and the embedded statutory table.
    pub fn new(calendar: Calendar, profile: Profile) -> Result<DeadlineEngine> {
        DeadlineEngine::with_table(calendar, profile, RuleTable::embedded())
    }

    /// An engine over an explicit statutory table (the profile's rows are added).
    pub fn with_table(
        calendar: Calendar,
        profile: Profile,
        statutory: &RuleTable,
    ) -> Result<DeadlineEngine> {
        let table = statutory.extended(profile.rules())?;
        let pos = |id: &str| {
            table
                .position(id)
                .ok_or_else(|| DeadlineError::InvalidRuleData(format!("规则表缺少 {id}")))
        };
        let rows = Rows {
            decision: pos("ap_60_decision")?,
            evidence: pos("ap_56_evidence")?,
            hearing_request: pos("ap_64_hearing_request")?,
            hearing_notice: pos("ap_64_hearing_notice")?,
            legal_review: pos(pid::LEGAL_REVIEW)?,
            legal_review_ext: pos(pid::LEGAL_REVIEW_EXTENSION)?,
            service: pos("ap_61_service")?,
            publication: pos(pid::PUBLICATION)?,
            withdraw: pos("ap_48_withdraw")?,
            display: pos(pid::DISPLAY)?,
            display_np: pos(pid::DISPLAY_NATURAL_PERSON)?,
            payment: pos("ap_67_payment")?,
            court_application: pos("ac_53_court_application")?,
            defence: pos("al_67_defence")?,
            review_reply: pos("ar_48_reply")?,
            seizure: pos("ac_25_seizure")?,
            archive: pos(pid::ARCHIVE)?,
            reconsideration_application: pos("ar_20_application")?,
            reconsideration_decision: pos("ar_62_decision")?,
            suit_after_reconsideration: pos("al_45_after_review")?,
            suit: pos("al_46_direct")?,
        };
        Ok(DeadlineEngine {
            calendar,
            profile,
            table,
            rows,
        })
    }

    /// Embedded calendar, default (seed) profile, embedded table.
    pub fn embedded() -> Result<DeadlineEngine> {
        DeadlineEngine::new(Calendar::embedded().clone(), Profile::default())
    }

    /// The calendar in use.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The profile in use.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The full rule table (statutory rows, then the profile's rows).
    pub fn rules(&self) -> &RuleTable {
        &self.table
    }

    /// Only the obligations that are not met.
    pub fn open_obligations(&self, clock: &CaseClock, today: NaiveDate) -> Vec<Obligation<'_>> {
        let mut v = self.obligations(clock, today);
        v.retain(Obligation::is_open);
        v
    }

    /// All obligations the case's events have started, met or not, with their
    /// state on `today`, sorted by due date.
    pub fn obligations(&self, clock: &CaseClock, today: NaiveDate) -> Vec<Obligation<'_>> {
        let s = Seen::scan(clock);
        let r = &self.rows;
        let mut out = Vec::new();
        let mut b = Builder {
            eng: self,
            today,
            out: &mut out,
        };
        use EventKind as K;

        // 行政处罚法 art.60: decide within 90 days of 立案 (R8: raw 90th day is the target).
        if let Some(t) = s.first(K::CaseFiled) {
            b.push(r.decision, t, None, s.met(K::DecisionMade, t), None);
        }
        // art.56: decide on preserved evidence within 7 wd.
        if let Some(t) = s.last(K::EvidencePreserved) {
            b.push(r.evidence, t, None, s.met(K::EvidenceDisposed, t), None);
        }
        // art.64(一): hearing request within 5 wd of 告知. Dropped once the
        // procedure moved on to a decision without a request.
        if let (Some(t), true) = (s.last(RIGHTS_NOTICE_SLOT), s.hearing_right) {
            let met = s.met(K::HearingRequested, t);
            if met.is_some() || s.met(K::DecisionMade, t).is_none() {
                b.push(r.hearing_request, t, None, met, None);
            }
        }
        // art.64(二), R9: notify ≥ 7 wd before the hearing.
        if let (Some(scheduled), Some(hearing_on)) = (s.last(HEARING_SCHEDULED_SLOT), s.hearing_on)
        {
            b.push(
                r.hearing_notice,
                hearing_on,
                None,
                s.met(K::HearingNoticeSent, scheduled),
                None,
            );
        }
        // 三项制度(三)第十条: legal review 7 wd, +5 wd from the original due date.
        if let Some(t) = s.last(K::LegalReviewSubmitted) {
            let met = s.met(K::LegalReviewCompleted, t);
            let base = self.table.at(r.legal_review);
            match (
                s.met(K::LegalReviewExtended, t),
                base.due_provisional(&self.calendar, t),
            ) {
                (Some(_), Ok(orig)) => {
                    let ext = self.table.at(r.legal_review_ext);
                    if let Ok(due) = ext.due_provisional(&self.calendar, orig.date) {
                        let due = Counted {
                            date: due.date,
                            provisional: due.provisional || orig.provisional,
                        };
                        b.push(r.legal_review_ext, t, Some(due), met, None);
                    }
                }
                _ => {
                    b.push(r.legal_review, t, None, met, None);
                }
            }
        }
        if let Some(t) = s.last(K::DecisionMade) {
            // art.61: serve within 7 wd if the party was absent (served on the spot = met that day).
            b.push(r.service, t, None, s.met(K::DecisionServed, t), None);
            // 三项制度(一)第十二条(1): publish within 7 wd.
            b.push(r.publication, t, None, s.met(K::Published, t), None);
        }
        // art.48: withdraw published information within 3 wd of a change.
        if let (Some(t), Some(p)) = (s.last(K::DecisionChanged), s.first(K::Published)) {
            if p <= t {
                b.push(r.withdraw, t, None, s.met(K::PublicationWithdrawn, t), None);
            }
        }
        // 三项制度(一)第十二条(2): take down after 5 years (2 for a natural person).
        if let Some(t) = s.last(K::Published) {
            let row = if clock.natural_person {
                r.display_np
            } else {
                r.display
            };
            b.push(row, t, None, s.met(K::PublicationWithdrawn, t), None);
        }
        // art.67: pay within 15 days of receipt; art.72/73 surcharge; art.53 window.
        if let (Some(t), Some(fine)) =
            (s.last(K::DecisionServed), clock.fine_fen.filter(|f| *f > 0))
        {
            self.payment(&mut b, &s, t, fine);
        }
        self.appeal_periods(&mut b, &s);
        // 行政诉讼法 art.67: defence within 15 days of receiving the complaint.
        if let Some(t) = s.last(K::ComplaintCopyReceived) {
            b.push(r.defence, t, None, s.met(K::DefenceSubmitted, t), None);
        }
        // 行政复议法 art.48: reply within 10 wd of receiving the application copy.
        if let Some(t) = s.last(K::ReviewCopyReceived) {
            b.push(
                r.review_reply,
                t,
                None,
                s.met(K::ReviewReplySubmitted, t),
                None,
            );
        }
        // 行政强制法 art.25: 30 days, extended by ≤ 30 days (= 60 days from seizure).
        if let Some(t) = s.last(K::Seized) {
            let row = self.table.at(r.seizure);
            let due = if s.met(K::SeizureExtended, t).is_some() {
                self.calendar
                    .add_provisional(
                        super::period::Rule::CalendarDays,
                        t,
                        row.n.saturating_mul(2),
                    )
                    .ok()
            } else {
                None
            };
            b.push(r.seizure, t, due, s.met(K::SeizureReleased, t), None);
        }
        // 三项制度(二)第二十二条: archive within 30 days of the act ending.
        if let Some(t) = s.last(K::ActEnded) {
            b.push(r.archive, t, None, s.met(K::Archived, t), None);
        }
        out.sort_by_key(|o| (o.due, o.rule.row));
        out
    }

    /// 行政复议 and 行政诉讼, each with its own periods: the application within
    /// 60 days of the decision being known (行政复议法 第二十条) and the
    /// 复议机关's decision within 60 days of acceptance (第六十二条, counted
    /// here from the application); a suit within 15 days of the 复议决定
    /// (行政诉讼法 第四十五条) or, directly, within 6 months (第四十六条).
    fn appeal_periods(&self, b: &mut Builder<'_, '_>, s: &Seen) {
        use EventKind as K;
        let r = &self.rows;
        let known = s.last(K::DecisionServed).or(s.last(K::DecisionMade));
        if let Some(filed) = s.first(K::ReviewStarted) {
            if let Some(t) = known.filter(|t| *t <= filed) {
                b.push(
                    r.reconsideration_application,
                    t,
                    None,
                    s.met(K::ReviewStarted, t),
                    None,
                );
            }
            let i = b.push(
                r.reconsideration_decision,
                filed,
                None,
                s.met(K::ReviewEnded, filed),
                None,
            );
            if let Some(o) = b.out.get_mut(i) {
                o.note = Some("自受理之日起算；此处以申请日计（提示）");
            }
            if let Some(decided) = s.met(K::ReviewEnded, filed) {
                // The party's window: shown while open or once used, never
                // as overdue (a suit not brought is nobody's lapse).
                let sued = s.met(K::LitigationStarted, decided);
                let open = self
                    .table
                    .at(r.suit_after_reconsideration)
                    .due_provisional(&self.calendar, decided)
                    .is_ok_and(|due| b.today <= due.date);
                if sued.is_some() || open {
                    b.push(r.suit_after_reconsideration, decided, None, sued, None);
                }
            }
        } else if let (Some(sued), Some(t)) = (s.first(K::LitigationStarted), known) {
            if t <= sued {
                b.push(r.suit, t, None, s.met(K::LitigationStarted, t), None);
            }
        }
    }

    fn payment(&self, b: &mut Builder<'_, '_>, s: &Seen, served: NaiveDate, fine: i64) {
        use EventKind as K;
        let r = &self.rows;
        let row = self.table.at(r.payment);
        let Ok(due) = row.due_provisional(&self.calendar, served) else {
            return;
        };
        let paid = s.met(K::Paid, served);
        let today = b.today;
        let until = paid.unwrap_or(today);
        let (excluded, pending) = s.appeals(today);
        let surcharge = (until > due.date)
            .then(|| late_payment_surcharge(fine, due.date, until, &excluded).ok())
            .flatten();
        let paused = paid.is_none() && today > due.date && pending;
        let i = b.push(r.payment, served, Some(due), paid, surcharge);
        if paused {
            if let Some(o) = b.out.get_mut(i) {
                o.state = ObligationState::Paused;
                o.note =
                    Some("复议/诉讼期间加处罚款不予计算（行政处罚法 art.73）；处罚决定不停止执行");
            }
        }
        // 行政强制法 art.53: apply to court within 3 months after the 复议/诉讼
        // periods expire — shown once payment is overdue and unpaid.
        if paid.is_some() || today <= due.date {
            return;
        }
        let cal = &self.calendar;
        use super::period::Rule as P;
        let (trigger, note) = if s.any(K::LitigationStarted) {
            (
                s.last(K::LitigationEnded),
                Some("诉讼结束后按生效裁判另行确定；此处自诉讼结束日起算三个月（提示）"),
            )
        } else if s.any(K::ReviewStarted) {
            // 行政诉讼法 art.45: 15 days after receiving the review decision.
            (
                s.last(K::ReviewEnded)
                    .and_then(|e| cal.add_provisional(P::CalendarDays, e, 15).ok())
                    .map(|c| c.date),
                Some("复议后起诉期限（行政诉讼法 art.45，十五日）届满起算"),
            )
        } else {
            // 行政诉讼法 art.46: 6 months (longer than 复议's 60 days, 行政复议法 art.20).
            (
                cal.add_provisional(P::Months, served, 6)
                    .ok()
                    .map(|c| c.date),
                None,
            )
        };
        let applied = trigger
            .and_then(|t| s.met(K::EnforcementApplied, t))
            .or(s.last(K::EnforcementApplied));
        match trigger {
            Some(t) if !pending => {
                let i = b.push(r.court_application, t, None, applied, None);
                if let (Some(o), Some(n)) = (b.out.get_mut(i), note) {
                    o.note = Some(n);
                }
            }
            _ => {
                // Pending review/litigation: the window does not run yet.
                let start = s
                    .last(K::LitigationStarted)
                    .max(s.last(K::ReviewStarted))
                    .unwrap_or(served);
                if let Ok(due) = self
                    .table
                    .at(r.court_application)
                    .due_provisional(cal, start)
                {
                    let i = b.push(r.court_application, start, Some(due), applied, None);
                    if let Some(o) = b.out.get_mut(i) {
                        if o.state != ObligationState::Met {
                            o.state = ObligationState::Paused;
                        }
                        o.note = Some("复议/诉讼未结，申请强制执行期限暂不起算（行政强制法 art.53）；日期为占位");
                    }
                }
            }
        }
    }
}

/// Collects obligations for one case.
struct Builder<'e, 'o> {
    eng: &'e DeadlineEngine,
    today: NaiveDate,
    out: &'o mut Vec<Obligation<'e>>,
}

impl<'e> Builder<'e, '_> {
    /// Computes due/target/state for row `row` triggered on `trigger` and
    /// pushes it; returns its index (or `usize::MAX` if the date overflowed).
    fn push(
        &mut self,
        row: usize,
        trigger: NaiveDate,
        due: Option<Counted>,
        met_on: Option<NaiveDate>,
        surcharge: Option<Surcharge>,
    ) -> usize {
        let rule = self.eng.table.at(row);
        let due = match due {
            Some(d) => d,
            None => match rule.due_provisional(&self.eng.calendar, trigger) {
                Ok(d) => d,
                // Only a chrono overflow (year ±262,000) gets here.
                Err(_) => return usize::MAX,
            },
        };
        let target = rule.target(trigger, due.date);
        let today = self.today;
        let soon = self.eng.profile.due_soon_days;
        let state = if met_on.is_some() {
            ObligationState::Met
        } else if today > due.date {
            ObligationState::Overdue
        } else if (target - today).num_days() <= soon {
            ObligationState::DueSoon
        } else {
            ObligationState::OnTime
        };
        self.out.push(Obligation {
            rule,
            trigger_on: trigger,
            due: due.date,
            target,
            provisional: due.provisional,
            state,
            met_on,
            met_late: met_on.is_some_and(|m| m > due.date),
            surcharge,
            note: None,
        });
        self.out.len() - 1
    }
}

/// First/last date of each event kind, plus the data some kinds carry.
struct Seen {
    first: [Option<NaiveDate>; KINDS],
    last: [Option<NaiveDate>; KINDS],
    hearing_on: Option<NaiveDate>,
    hearing_right: bool,
    /// (date, is_start, is_litigation) of 复议/诉讼 events, only if any.
    appeals: Vec<(NaiveDate, bool, bool)>,
}

impl Seen {
    fn scan(clock: &CaseClock) -> Seen {
        let mut s = Seen {
            first: [None; KINDS],
            last: [None; KINDS],
            hearing_on: None,
            hearing_right: false,
            appeals: Vec::new(),
        };
        let mut hearing_at: Option<NaiveDate> = None;
        let mut notice_at: Option<NaiveDate> = None;
        for e in &clock.events {
            let k = e.kind.slot();
            s.first[k] = Some(s.first[k].map_or(e.on, |d| d.min(e.on)));
            s.last[k] = Some(s.last[k].map_or(e.on, |d| d.max(e.on)));
            match e.kind {
                // The latest scheduling wins (rescheduled hearings).
                EventKind::HearingScheduled { hearing_on }
                    if hearing_at.is_none_or(|d| e.on >= d) =>
                {
                    hearing_at = Some(e.on);
                    s.hearing_on = Some(hearing_on);
                }
                EventKind::RightsNoticeServed { hearing_right }
                    if notice_at.is_none_or(|d| e.on >= d) =>
                {
                    notice_at = Some(e.on);
                    s.hearing_right = hearing_right;
                }
                EventKind::ReviewStarted => s.appeals.push((e.on, true, false)),
                EventKind::ReviewEnded => s.appeals.push((e.on, false, false)),
                EventKind::LitigationStarted => s.appeals.push((e.on, true, true)),
                EventKind::LitigationEnded => s.appeals.push((e.on, false, true)),
                _ => {}
            }
        }
        s.appeals.sort_unstable();
        s
    }

    fn first(&self, k: EventKind) -> Option<NaiveDate> {
        self.first[k.slot()]
    }

    fn last(&self, k: EventKind) -> Option<NaiveDate> {
        self.last[k.slot()]
    }

    fn any(&self, k: EventKind) -> bool {
        self.first[k.slot()].is_some()
    }

    /// The date a meeting event of kind `k` happened on or after `from`.
    fn met(&self, k: EventKind, from: NaiveDate) -> Option<NaiveDate> {
        match (self.first(k), self.last(k)) {
            (Some(f), _) if f >= from => Some(f),
            (_, Some(l)) if l >= from => Some(l),
            _ => None,
        }
    }

    /// art.73: the 复议/诉讼 intervals (inclusive; one still open runs to
    /// `today`) and whether one is pending on `today`.
    fn appeals(&self, today: NaiveDate) -> (Vec<ExcludedRange>, bool) {
        let mut out = Vec::new();
        let mut pending = false;
        if self.appeals.is_empty() {
            return (out, pending);
        }
        for lit in [false, true] {
            let mut open: Option<NaiveDate> = None;
            for &(d, start, l) in &self.appeals {
                if l != lit {
                    continue;
                }
                match (start, open) {
                    (true, None) => open = Some(d),
                    (false, Some(a)) => {
                        if let Ok(r) = ExcludedRange::new(a, d) {
                            out.push(r);
                        }
                        open = None;
                    }
                    _ => {}
                }
            }
            if let Some(a) = open {
                if a <= today {
                    pending = true;
                    if let Ok(r) = ExcludedRange::new(a, today) {
                        out.push(r);
                    }
                }
            }
        }
        (out, pending)
    }
}
