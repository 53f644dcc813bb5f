//! Output: JSON of the view model with `--json`, else short Chinese text.

use serde_json::Value;
use zhifa_device::app::views::{
    CaseListItem, CaseView, MediaItem, ObligationView, OfficerView, RecordEditor, SyncReport,
    SyncStatus,
};

/// What a command produced.
pub enum Out {
    /// Logged-in officer.
    Officer(OfficerView),
    /// Case list.
    List(Vec<CaseListItem>),
    /// One case.
    Case(Box<CaseView>),
    /// Record editor.
    Editor(Box<RecordEditor>),
    /// Media attached.
    Media(Vec<MediaItem>),
    /// Obligations.
    Obligations(Vec<ObligationView>),
    /// Sync report.
    Sync(SyncReport),
    /// Sync status.
    Status(SyncStatus),
    /// Anything else: JSON and its text.
    Json(Value, String),
    /// A check that found problems (`case verify` with a broken seal):
    /// printed like [`Out::Json`], then the command exits with code 1.
    Failed(Value, String),
}

impl Out {
    /// True when the command must exit non-zero after printing.
    pub fn failed(&self) -> bool {
        matches!(self, Out::Failed(..))
    }
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into())
}

/// Prints the output.
pub fn emit(out: &Out, as_json: bool) {
    if as_json {
        let s = match out {
            Out::Officer(v) => json(v),
            Out::List(v) => json(v),
            Out::Case(v) => json(v),
            Out::Editor(v) => json(v),
            Out::Media(v) => json(v),
            Out::Obligations(v) => json(v),
            Out::Sync(v) => json(v),
            Out::Status(v) => json(v),
            Out::Json(v, _) | Out::Failed(v, _) => json(v),
        };
        println!("{s}");
        return;
    }
    match out {
        Out::Officer(o) => println!(
            "{} ({}) {} 执法证号 {} 设备 {}",
            o.name, o.username, o.unit_name, o.credential_no, o.device_id
        ),
        Out::List(list) => {
            if list.is_empty() {
                println!("(没有案件)");
            }
            for c in list {
                let badge = c
                    .badge
                    .as_ref()
                    .map(|b| format!(" [{}: {}]", b.what, b.text))
                    .unwrap_or_default();
                println!(
                    "{}  {}  {}  {}  {}{}  ({})",
                    c.id, c.kind, c.stage, c.title, c.party, badge, c.sync_label
                );
            }
        }
        Out::Case(c) => {
            println!(
                "{} {}  {}  阶段: {}  来源: {}",
                c.kind, c.id, c.title, c.stage, c.source
            );
            if let Some(r) = &c.sync_refusal {
                println!("服务器拒收本案修改 ({}): {}", r.code, r.message);
                println!(
                    "  修正后重新同步, 或用 `zhifa case drop-unsynced {}` 撤销未被接收的修改",
                    c.id
                );
            }
            for p in &c.parties {
                println!("当事人: {} ({})", p.name, p.id_number);
            }
            for o in &c.officers {
                println!("执法人员: {} 执法证号 {}", o.name, o.credential_no);
            }
            for r in &c.records {
                let state = match (r.sealed, r.seal_broken) {
                    (true, true) => "封存已破坏 (内容与封存不符, 不能签字)",
                    (true, false) => "已封存",
                    _ => "未封存",
                };
                println!("文书 {} {} {state} 附件 {}", r.id, r.name, r.media);
                for m in r.missing_fields.iter().chain(r.missing_signatures.iter()) {
                    println!("    缺: {m}");
                }
            }
            for m in &c.media {
                println!(
                    "附件 {} {} {} 上传: {}",
                    m.sha256,
                    m.mime,
                    m.captured_at,
                    m.upload.label()
                );
            }
            for e in &c.events {
                println!("{}", e.description);
            }
            if let Some(n) = &c.next_stage {
                if c.blocking.is_empty() {
                    println!("可以进入下一阶段: {n}");
                } else {
                    println!("进入“{n}”前还需: ");
                    for b in &c.blocking {
                        println!("    {b}");
                    }
                }
            }
            for s in &c.seal_conflicts {
                println!("冲突: {s}");
            }
            if !c.seal_conflicts.is_empty() {
                println!(
                    "比对两个版本: zhifa record conflicts {}\n{}",
                    c.id,
                    hint(&c.id, "<文书编号>")
                );
            }
        }
        Out::Editor(e) => {
            println!(
                "{} ({}){}",
                e.name,
                e.record_id,
                match (e.sealed, e.seal_broken) {
                    (true, true) => " 封存已破坏: 以下内容与封存不符, 不能签字, 请核对后修订",
                    (true, false) => " 已封存",
                    _ => "",
                }
            );
            for f in &e.fields {
                let v = &f.display;
                let m = f
                    .message
                    .as_deref()
                    .map(|m| format!("  ← {m}"))
                    .unwrap_or_default();
                println!("  {} ({}) = {v}{m}", f.label, f.key);
            }
            for s in &e.signatures {
                println!("已签名: {} {} {}", s.role, s.name, s.at);
            }
            for s in &e.missing_signatures {
                println!("缺签名: {s}");
            }
            for b in &e.blocking {
                println!("阻止下一阶段: {b}");
            }
        }
        Out::Media(ms) => {
            for m in ms {
                println!(
                    "已附加 {} {} {} 字节 拍摄时间 {}",
                    m.sha256, m.mime, m.size, m.captured_at
                );
            }
        }
        Out::Obligations(os) => {
            if os.is_empty() {
                println!("(没有未完成的期限义务)");
            }
            for o in os {
                println!("{}  {}", o.case_title, o.summary);
            }
        }
        Out::Sync(r) => {
            println!(
                "同步完成: 检查 {} 件, 获取 {} 件, 交换 {} 件 ({} 轮), 上传文件 {} 个",
                r.checked, r.fetched, r.exchanged, r.rounds, r.uploaded
            );
            if let Some(years) = &r.calendar {
                println!("节假日日历已更新: {years} 年");
            }
            for c in &r.corrupt {
                println!("文件已损坏, 未上传: {c}");
            }
            for f in &r.forbidden {
                println!("无权同步: {f}");
            }
            for c in &r.refused {
                println!(
                    "服务器拒收案件 {} 的修改 ({}): {}",
                    c.case_id, c.code, c.message
                );
                println!(
                    "  修正后重新同步, 或用 `zhifa case drop-unsynced {}` 撤销未被接收的修改",
                    c.case_id
                );
            }
            for e in &r.errors {
                println!("错误: {e}");
            }
        }
        Out::Status(s) => println!(
            "{} 服务器 {}  待同步案件 {}  待上传文件 {}  损坏文件 {}  上次同步 {}",
            if s.logged_in {
                "已登录"
            } else {
                "未登录"
            },
            s.server.as_deref().unwrap_or("-"),
            s.pending_cases,
            s.pending_uploads,
            s.corrupt_uploads,
            s.last_sync.as_deref().unwrap_or("-")
        ),
        Out::Json(_, text) | Out::Failed(_, text) => println!("{text}"),
    }
}

/// How to resolve, as the terminal says it after a conflict.
pub fn hint(case: &str, record: &str) -> String {
    format!(
        "处理: zhifa record resolve {case} {record} --keep-sealed (保留封存版本)\n      \
         zhifa record resolve {case} {record} --amend --reason \"理由\" (以更正文书载入并发修改)"
    )
}
