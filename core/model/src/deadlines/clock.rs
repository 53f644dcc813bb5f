//! The deadline engine's input: a case's dated timeline ([`CaseClock`]),
//! independent of the full case model (which converts into it).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Kind of a dated timeline event. Serialized as `{"kind": "snake_case", ...}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// 立案 — starts the 90-day decision limit (行政处罚法 art.60).
    CaseFiled,
    /// 先行登记保存证据 — decide within 7 wd (行政处罚法 art.56).
    EvidencePreserved,
    /// 对先行登记保存的证据作出处理决定 — meets art.56.
    EvidenceDisposed,
    /// 告知书送达 (行政处罚法 art.44); with `hearing_right` the 5-wd hearing
    /// request window runs (art.64(一)).
    RightsNoticeServed {
        /// Whether the notice told the party of the right to a hearing (art.63).
        hearing_right: bool,
    },
    /// 当事人要求听证 — meets the request window.
    HearingRequested,
    /// 确定听证日期 — notify ≥ 7 wd before `hearing_on` (art.64(二), R9).
    HearingScheduled {
        /// The hearing date.
        hearing_on: NaiveDate,
    },
    /// 送达听证通知书 — meets art.64(二).
    HearingNoticeSent,
    /// 报送法制审核 — review within the profile's 7 wd (三项制度(三)第十条).
    LegalReviewSubmitted,
    /// 经批准延长法制审核 — +5 wd from the original due date.
    LegalReviewExtended,
    /// 法制审核完成.
    LegalReviewCompleted,
    /// 作出（宣告）处罚决定 — meets art.60; starts service (art.61) and publication (7 wd).
    DecisionMade,
    /// 处罚决定书送达 (signature date, 民事诉讼法 art.87) — meets art.61; starts payment (art.67).
    DecisionServed,
    /// 公示 — meets publication; starts the display period (5 y / 2 y).
    Published,
    /// 决定被变更、撤销、确认违法或无效 — withdraw within 3 wd (art.48).
    DecisionChanged,
    /// 撤下公示信息 — meets art.48 and the display take-down.
    PublicationWithdrawn,
    /// 缴清罚款 — meets payment; stops the surcharge.
    Paid,
    /// 当事人申请行政复议 — surcharge not counted while pending (art.73).
    ReviewStarted,
    /// 行政复议结束.
    ReviewEnded,
    /// 当事人提起行政诉讼 — surcharge not counted while pending (art.73).
    LitigationStarted,
    /// 行政诉讼结束.
    LitigationEnded,
    /// 收到行政复议申请书副本 — reply within 10 wd (行政复议法 art.48).
    ReviewCopyReceived,
    /// 提交复议答复.
    ReviewReplySubmitted,
    /// 收到起诉状副本 — defence within 15 days (行政诉讼法 art.67).
    ComplaintCopyReceived,
    /// 提交答辩状及证据.
    DefenceSubmitted,
    /// 查封、扣押 — 30 days (行政强制法 art.25).
    Seized,
    /// 经批准延长查封、扣押 — up to 30 more days.
    SeizureExtended,
    /// 解除查封、扣押或作出处理决定.
    SeizureReleased,
    /// 申请人民法院强制执行 — meets 行政强制法 art.53.
    EnforcementApplied,
    /// 行政执法行为终结 — archive within the profile's 30 days (三项制度(二)第二十二条).
    ActEnded,
    /// 案卷归档.
    Archived,
}

/// Number of [`EventKind`] variants (size of per-kind tables).
pub(super) const KINDS: usize = 30;

/// Slot keys for the kinds that carry data (the payload is ignored by
/// the engine's per-kind tables, which keep the latest payload separately).
pub(super) const RIGHTS_NOTICE_SLOT: EventKind = EventKind::RightsNoticeServed {
    hearing_right: false,
};
pub(super) const HEARING_SCHEDULED_SLOT: EventKind = EventKind::HearingScheduled {
    hearing_on: NaiveDate::MIN,
};

impl EventKind {
    /// Index of the kind in per-kind tables (payload ignored).
    pub(super) fn slot(self) -> usize {
        use EventKind::*;
        match self {
            CaseFiled => 0,
            EvidencePreserved => 1,
            EvidenceDisposed => 2,
            RightsNoticeServed { .. } => 3,
            HearingRequested => 4,
            HearingScheduled { .. } => 5,
            HearingNoticeSent => 6,
            LegalReviewSubmitted => 7,
            LegalReviewExtended => 8,
            LegalReviewCompleted => 9,
            DecisionMade => 10,
            DecisionServed => 11,
            Published => 12,
            DecisionChanged => 13,
            PublicationWithdrawn => 14,
            Paid => 15,
            ReviewStarted => 16,
            ReviewEnded => 17,
            LitigationStarted => 18,
            LitigationEnded => 19,
            ReviewCopyReceived => 20,
            ReviewReplySubmitted => 21,
            ComplaintCopyReceived => 22,
            DefenceSubmitted => 23,
            Seized => 24,
            SeizureExtended => 25,
            SeizureReleased => 26,
            EnforcementApplied => 27,
            ActEnded => 28,
            Archived => 29,
        }
    }
}

/// A dated event on a case timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockEvent {
    /// The legally relevant date (service = signature date, posting = posting date, R7).
    pub on: NaiveDate,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// The deadline engine's view of a case: id, party facts that change
/// periods, and the dated events.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseClock {
    /// Case id (opaque).
    pub case_id: String,
    /// Fine in fen, if the decision imposes one (drives art.67/72).
    #[serde(default)]
    pub fine_fen: Option<i64>,
    /// The party is a natural person (display 2 years instead of 5).
    #[serde(default)]
    pub natural_person: bool,
    /// Timeline events, any order.
    #[serde(default)]
    pub events: Vec<ClockEvent>,
}

impl CaseClock {
    /// A clock with no events.
    pub fn new(case_id: impl Into<String>) -> CaseClock {
        CaseClock {
            case_id: case_id.into(),
            ..CaseClock::default()
        }
    }

    /// Appends an event (builder style).
    pub fn with(mut self, on: NaiveDate, kind: EventKind) -> CaseClock {
        self.events.push(ClockEvent { on, kind });
        self
    }

    /// Appends an event.
    pub fn push(&mut self, on: NaiveDate, kind: EventKind) {
        self.events.push(ClockEvent { on, kind });
    }
}
