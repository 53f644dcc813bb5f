//! First-run data: an administrator on an empty database, or with `--demo`
//! a county archives bureau (县档案局, 康保县, 张家口市, 河北省) a newcomer can
//! log in to, with about a dozen cases at every stage ([`cases`]) and their
//! photos and video ([`media`]).

pub mod cases;
mod disclosures;
pub mod media;
mod penalties;
pub mod script;
mod steps;

use zhifa_core::sync::Role;

use crate::accounts::create_account_with_hash;
use crate::auth::{hash_password, random_password};
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::{Agency, Unit};

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "demo1234";

/// One demo account: username, name, post, 执法证号, unit, roles.
pub struct DemoAccount {
    /// Login name.
    pub username: &'static str,
    /// Name.
    pub name: &'static str,
    /// Post.
    pub post: &'static str,
    /// 执法证号 (empty for staff without one).
    pub credential_no: &'static str,
    /// Unit id.
    pub unit: &'static str,
    /// Roles.
    pub roles: &'static [Role],
}

/// Agency id of the demo bureau.
pub const DEMO_AGENCY: &str = "kangbao-daj";
/// Unit ids of the demo bureau.
pub const UNIT_SUPERVISION: &str = "u-jiandu";
/// 业务指导科.
pub const UNIT_GUIDANCE: &str = "u-zhidao";
/// 办公室.
pub const UNIT_OFFICE: &str = "u-bangong";

/// The demo accounts.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "zhangwei",
        name: "张伟",
        post: "科员",
        credential_no: "冀执0723-2023-0101",
        unit: UNIT_SUPERVISION,
        roles: &[Role::Officer],
    },
    DemoAccount {
        username: "lina",
        name: "李娜",
        post: "科员",
        credential_no: "冀执0723-2023-0102",
        unit: UNIT_SUPERVISION,
        roles: &[Role::Officer],
    },
    DemoAccount {
        username: "wangqiang",
        name: "王强",
        post: "执法监督科科长",
        credential_no: "冀执0723-2019-0031",
        unit: UNIT_SUPERVISION,
        roles: &[Role::Officer, Role::UnitHead],
    },
    DemoAccount {
        username: "liuyang",
        name: "刘洋",
        post: "科员",
        credential_no: "冀执0723-2022-0217",
        unit: UNIT_GUIDANCE,
        roles: &[Role::Officer],
    },
    DemoAccount {
        username: "chenjing",
        name: "陈静",
        post: "副科长",
        credential_no: "冀执0723-2021-0188",
        unit: UNIT_GUIDANCE,
        roles: &[Role::Officer],
    },
    DemoAccount {
        username: "sunjianguo",
        name: "孙建国",
        post: "副局长",
        credential_no: "冀执0723-2015-0002",
        unit: UNIT_OFFICE,
        roles: &[Role::Leader],
    },
    DemoAccount {
        username: "zhoumin",
        name: "周敏",
        post: "法制审核员",
        credential_no: "冀执0723-2018-0045",
        unit: UNIT_OFFICE,
        roles: &[Role::LegalReviewer],
    },
    DemoAccount {
        username: "wufang",
        name: "吴芳",
        post: "办公室主任",
        credential_no: "",
        unit: UNIT_OFFICE,
        roles: &[Role::OfficeLiaison, Role::Archivist],
    },
    DemoAccount {
        username: "admin",
        name: "系统管理员",
        post: "信息管理员",
        credential_no: "",
        unit: UNIT_OFFICE,
        roles: &[Role::Admin],
    },
];

/// Loads the demo bureau into an empty database (same password for all, hashed once).
pub async fn load_demo(state: &AppState) -> AppResult<()> {
    state
        .db(|s| {
            s.create_agency(&Agency {
                id: DEMO_AGENCY.into(),
                name: "康保县档案局".into(),
            })?;
            for (id, name) in [
                (UNIT_SUPERVISION, "执法监督科"),
                (UNIT_GUIDANCE, "业务指导科"),
                (UNIT_OFFICE, "办公室"),
            ] {
                s.create_unit(&Unit {
                    id: id.into(),
                    agency_id: DEMO_AGENCY.into(),
                    name: name.into(),
                })?;
            }
            Ok(())
        })
        .await?;
    let phc = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD)).await??;
    for a in DEMO_ACCOUNTS {
        create_account_with_hash(
            state,
            a.username,
            a.name,
            a.post,
            a.credential_no,
            a.unit,
            a.roles,
            &phc,
        )
        .await?;
    }
    if state.config().demo_cases {
        if let Some(zhou) = state.db(|s| s.account_by_username("zhoumin")).await? {
            disclosures::load(state, &zhou.id).await?;
        }
        let started = std::time::Instant::now();
        let n = cases::load_cases(state).await?;
        tracing::warn!(
            "演示案件已载入: {n} 件 ({} ms)",
            started.elapsed().as_millis()
        );
    }
    tracing::warn!("演示数据已载入: 康保县档案局 (执法监督科、业务指导科、办公室), 所有演示账号的密码均为 {DEMO_PASSWORD}");
    for a in DEMO_ACCOUNTS {
        let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
        tracing::warn!(
            "  演示账号 {:<11} / {DEMO_PASSWORD}  {} {} [{}] {}",
            a.username,
            a.name,
            a.post,
            roles.join("、"),
            a.credential_no
        );
    }
    Ok(())
}

/// Creates the first administrator on an empty database; the password comes
/// from the configuration or is random and printed once to the log.
pub async fn first_run_admin(state: &AppState) -> AppResult<()> {
    state
        .db(|s| {
            s.create_agency(&Agency {
                id: "agency".into(),
                name: "执法机关".into(),
            })?;
            s.create_unit(&Unit {
                id: "u-admin".into(),
                agency_id: "agency".into(),
                name: "系统管理".into(),
            })
        })
        .await?;
    let (password, printed) = match state.config().admin_password.clone() {
        Some(p) => (p, false),
        None => (random_password()?, true),
    };
    let pw = password.clone();
    let phc = tokio::task::spawn_blocking(move || hash_password(&pw)).await??;
    create_account_with_hash(
        state,
        "admin",
        "系统管理员",
        "信息管理员",
        "",
        "u-admin",
        &[Role::Admin],
        &phc,
    )
    .await?;
    if printed {
        tracing::warn!(
            "首次运行: 已创建管理员账号 admin, 初始密码 {password} (仅显示这一次, 请妥善保管)"
        );
    } else {
        tracing::warn!("首次运行: 已创建管理员账号 admin, 密码取自配置 ZHIFA_ADMIN_PASSWORD");
    }
    Ok(())
}

/// Prints the demo logins (every start with demo data).
pub fn print_demo_logins() {
    tracing::info!("演示登录: 执法人员 zhangwei / {DEMO_PASSWORD} (执法监督科), liuyang / {DEMO_PASSWORD} (业务指导科); 科长 wangqiang; 局领导 sunjianguo; 法制审核 zhoumin; 管理员 admin");
}
