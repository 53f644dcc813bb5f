//! The publication index and the public's feedback (公众纠错): server-only
//! state behind the store trait. The entries themselves live in the case
//! documents (sealed 公示信息 records); this index is rewritten from them in
//! the transaction of every case write, so the portal never loads a document.

use zhifa_core::publicity::PublicEntry;

use super::StoreResult;

/// What the portal's list asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicQuery {
    /// Words to find in title, party, decision number, facts and result.
    pub text: Option<String>,
    /// `行政处罚` or `行政检查`.
    pub kind: Option<String>,
    /// Published in this year.
    pub year: Option<i32>,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return.
    pub limit: u64,
}

/// A message from the public about a published entry ((一) 第十五条).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// Id (random hex).
    pub id: String,
    /// The entry it concerns.
    pub entry_id: String,
    /// When it arrived (RFC 3339).
    pub submitted_at: String,
    /// What the public says is wrong (never shown publicly, never logged).
    pub text: String,
    /// How to reach the sender, if given (never shown publicly, never logged).
    pub contact: String,
    /// `open`, `answered`.
    pub status: String,
    /// The legal office's answer (public once answered).
    pub answer: String,
    /// Whether the information was wrong and corrected.
    pub corrected: bool,
    /// The cause of the error, when corrected (recorded, (一) 第十五条).
    pub cause: String,
    /// Account that answered.
    pub answered_by: String,
    /// When (RFC 3339).
    pub answered_at: String,
}

/// One row of the annual publicity statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicityStat {
    /// `行政处罚` or `行政检查`.
    pub kind: String,
    /// Entries published in the year.
    pub published: u64,
    /// Of those, published within 7 working days of the decision.
    pub on_time: u64,
    /// Published later than that.
    pub late: u64,
    /// Taken down (decision changed or period ended).
    pub withdrawn: u64,
}

/// Storage of the publication index and feedback.
pub trait PublicityStore {
    /// A page of entries still up, newest first, and how many match.
    fn public_page(&self, q: &PublicQuery) -> StoreResult<(Vec<PublicEntry>, u64)>;
    /// One entry by id, up or taken down.
    fn public_entry(&self, id: &str) -> StoreResult<Option<PublicEntry>>;
    /// Every entry of a year (up or taken down), for the statistics.
    fn public_year(&self, year: i32) -> StoreResult<Vec<PublicEntry>>;
    /// Stores a feedback message.
    fn add_feedback(&self, f: &Feedback) -> StoreResult<()>;
    /// Feedback with `status` (or all when `None`), newest first.
    fn feedback_list(&self, status: Option<&str>) -> StoreResult<Vec<Feedback>>;
    /// The answered feedback of one entry.
    fn entry_feedback(&self, entry_id: &str) -> StoreResult<Vec<Feedback>>;
    /// Records the answer to feedback `f.id`; `false` when there is none.
    fn answer_feedback(&self, f: &Feedback) -> StoreResult<bool>;
}

/// An inspection target in the registry (检查对象名录库).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Target {
    /// Id.
    pub id: String,
    /// Name (an organisation: public).
    pub name: String,
    /// Kind, e.g. `国家综合档案馆`, `机关`, `企业`.
    pub kind: String,
    /// Address.
    pub address: String,
    /// The unit that inspects it.
    pub unit_id: String,
}

/// One drawn target of a task with its officers and the case made for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DrawnTarget {
    /// Target id.
    pub target: String,
    /// Target name.
    pub target_name: String,
    /// The two officers' account ids.
    pub officers: [String; 2],
    /// Their names.
    pub officer_names: [String; 2],
    /// The inspection case created.
    pub case_id: String,
}

/// A 双随机 inspection task and its draw.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RandomTask {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The matter from the random-inspection list (随机抽查事项).
    pub matter: String,
    /// Legal basis.
    pub basis: String,
    /// The inspecting unit.
    pub unit_id: String,
    /// The published seed.
    pub seed: String,
    /// Ids of the registry's targets the draw was made from.
    pub candidates: Vec<String>,
    /// Ids of the officers the draw was made from.
    pub officers: Vec<String>,
    /// What was drawn.
    pub drawn: Vec<DrawnTarget>,
    /// When (RFC 3339).
    pub drawn_at: String,
    /// Who drew (account id).
    pub drawn_by: String,
}

/// Storage of the 双随机 registry and tasks.
pub trait RandomStore {
    /// Adds a target to the registry.
    fn add_target(&self, t: &Target) -> StoreResult<()>;
    /// The registry, by name.
    fn targets(&self) -> StoreResult<Vec<Target>>;
    /// Stores a drawn task.
    fn add_random_task(&self, t: &RandomTask) -> StoreResult<()>;
    /// Every task, newest first.
    fn random_tasks(&self) -> StoreResult<Vec<RandomTask>>;
}
