//! 事前公开 ((一) 第五条、第十一条): the bureau's pre-publication content
//! (执法主体与职责, 执法人员名单, 执法事项与依据…), kept by the office
//! liaison, reviewed by the legal office before it goes out, and updated
//! within 20 working days of a change of law or duty (第十一条(4)).

use super::StoreResult;

/// The sections of 事前公开, in the order the portal shows them.
pub const SECTIONS: [&str; 7] = [
    "执法主体与职责",
    "执法人员名单",
    "执法事项与依据",
    "执法程序与流程图",
    "随机抽查事项清单",
    "救济途径",
    "监督举报方式",
];

/// The section whose items' lines render as a flow chart.
pub const FLOW_SECTION: &str = "执法程序与流程图";
/// The section of the reviewed officer roster.
pub const ROSTER_SECTION: &str = "执法人员名单";
/// Longest body of a version, in characters.
pub const MAX_BODY_CHARS: usize = 10_000;

/// One version's content: what is reviewed and published as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Content {
    /// Title.
    pub title: String,
    /// Legal basis (法律依据).
    pub basis: String,
    /// Body, plain text (≤ [`MAX_BODY_CHARS`]).
    pub body: String,
}

/// The version the public sees.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Published {
    /// What was published.
    pub content: Content,
    /// When it was approved and published (RFC 3339).
    pub published_at: String,
    /// Name of the legal reviewer who approved it.
    pub reviewed_by: String,
}

/// The pending draft of an item (at most one).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    /// The proposed content.
    pub content: Content,
    /// Name of the liaison who last saved or submitted it.
    pub submitted_by: String,
    /// When (RFC 3339).
    pub submitted_at: String,
    /// `draft`, `submitted` or `returned`.
    pub status: String,
    /// The legal office's note when returned.
    pub note: String,
}

/// A 事前公开 item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DisclosureItem {
    /// Id.
    pub id: String,
    /// One of [`SECTIONS`].
    pub section: String,
    /// The published version, if any.
    pub published: Option<Published>,
    /// The pending draft, if any.
    pub draft: Option<Draft>,
    /// Date (YYYY-MM-DD) of a change of law or duty that requires updating
    /// this item; cleared when the next version is published.
    pub law_changed_on: Option<String>,
    /// When the item was created (RFC 3339): its order within a section.
    pub created_at: String,
    /// Counts the saves; a save names the revision it read.
    pub revision: u64,
}

impl DisclosureItem {
    /// The title to list it under: the published one, else the draft's.
    pub fn title(&self) -> &str {
        match (&self.published, &self.draft) {
            (Some(p), _) => &p.content.title,
            (None, Some(d)) => &d.content.title,
            (None, None) => "",
        }
    }

    /// The state shown in the console: 待审核 / 已退回 / 已公开 / 未公开.
    pub fn state_label(&self) -> &'static str {
        match (&self.draft, &self.published) {
            (Some(d), _) if d.status == "submitted" => "待审核",
            (Some(d), _) if d.status == "returned" => "已退回",
            (_, Some(_)) => "已公开",
            _ => "未公开",
        }
    }
}

/// Storage of the 事前公开 items.
pub trait DisclosureStore {
    /// Every item, by section order of creation.
    fn disclosure_items(&self) -> StoreResult<Vec<DisclosureItem>>;
    /// One item.
    fn disclosure_item(&self, id: &str) -> StoreResult<Option<DisclosureItem>>;
    /// Saves `item`: inserts it when `read_revision` is `None`, else
    /// replaces it only if the stored revision is still `read_revision`
    /// (`false` when someone saved in between). `item.revision` is set by
    /// the caller to the new revision.
    fn save_disclosure_item(
        &self,
        item: &DisclosureItem,
        read_revision: Option<u64>,
    ) -> StoreResult<bool>;
}
