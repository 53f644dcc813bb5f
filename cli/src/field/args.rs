//! Command-line arguments of the field subcommands.

use std::path::PathBuf;

use clap::{ArgGroup, Subcommand};

/// Field device subcommands.
#[derive(Debug, Subcommand)]
pub enum FieldCmd {
    /// 登录并注册本设备。
    Login {
        /// 服务器地址, 如 http://127.0.0.1:8080
        #[arg(long)]
        server: String,
        /// 用户名
        #[arg(long)]
        user: String,
        /// 密码 (也可用环境变量 ZHIFA_PASSWORD)
        #[arg(long)]
        password: Option<String>,
        /// 设备名称
        #[arg(long)]
        device_name: Option<String>,
    },
    /// 退出登录 (服务器注销本设备的令牌)。
    Logout {
        /// 即使有未同步的案件或文件也退出
        #[arg(long)]
        force: bool,
    },
    /// 当前登录的执法人员。
    Whoami,
    /// 案件: new | list | show | advance | officer | export | import | verify | drop-unsynced
    Case {
        #[command(subcommand)]
        cmd: CaseCmd,
    },
    /// 文书: new | show | set | clear | seal
    Record {
        #[command(subcommand)]
        cmd: RecordCmd,
    },
    /// 附加照片/录音/录像到文书。
    Attach {
        /// 案件编号
        case: String,
        /// 文书编号
        record: String,
        /// 文件
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 拍摄坐标 纬度,经度 (照片 EXIF 中有坐标时以 EXIF 为准)
        #[arg(long)]
        gps: Option<String>,
    },
    /// 在已封存的文书上签名 (笔迹 JSON: {"width","height","strokes":[[{"x","y","t","pressure"}]]})。
    Sign {
        /// 案件编号
        case: String,
        /// 文书编号
        record: String,
        /// 角色: officer | party | witness | reviewer | leader
        #[arg(long)]
        role: String,
        /// 签名人: 执法人员的用户名、姓名或账号; 当事人的名称 (本案只有一个当事人时可省略)
        #[arg(long, alias = "signer")]
        signer_id: Option<String>,
        /// 签名人姓名 (省略时: 执法人员的姓名, 当事人的法定代表人或名称)
        #[arg(long)]
        name: Option<String>,
        /// 笔迹文件 (- 为标准输入)
        #[arg(long)]
        strokes: PathBuf,
    },
    /// 记录拒绝签字 (须有见证人)。
    Refuse {
        /// 案件编号
        case: String,
        /// 文书编号
        record: String,
        /// 角色
        #[arg(long, default_value = "party")]
        role: String,
        /// 拒签人
        #[arg(long)]
        person: String,
        /// 拒签理由或原话
        #[arg(long, default_value = "")]
        reason: String,
        /// 见证人
        #[arg(long)]
        witness: String,
    },
    /// 亮证: 记录出示执法证件的时间和地点。
    Credentials {
        /// 案件编号
        case: String,
        /// 地点
        #[arg(long)]
        place: String,
        /// 坐标 纬度,经度
        #[arg(long)]
        gps: Option<String>,
    },
    /// 记录权利告知。
    NotifyRights {
        /// 案件编号
        case: String,
        /// 告知的权利, 逗号分隔: 陈述,申辩,申请回避,听证
        #[arg(long)]
        rights: String,
        /// 告知方式
        #[arg(long, default_value = "当场告知")]
        method: String,
        /// 相关文书编号
        #[arg(long)]
        record: Option<String>,
    },
    /// 未完成的法定期限义务。
    Obligations {
        /// 只看这个案件
        case: Option<String>,
    },
    /// 立即同步案件并上传音像资料。
    Sync,
    /// 下载案件中本机缺少的音像资料 (按 SHA-256 校验)。
    Fetch {
        /// 案件编号
        case: String,
    },
    /// 同步状态。
    Status,
    /// 执法人员名单 (用户名、姓名、科室、执法证号): 同行人员和“在场执法人员”可按用户名或姓名填写。
    Colleagues,
    /// 文书模板: 列表 (编号、名称、适用案件、签字人); show 模板 看字段和签字要求。
    Templates {
        /// 只列此类案件的模板: inspection | penalty
        #[arg(long)]
        kind: Option<String>,
        #[command(subcommand)]
        cmd: Option<TemplateCmd>,
    },
}

/// `templates` subcommands.
#[derive(Debug, Subcommand)]
pub enum TemplateCmd {
    /// 一个模板的字段 (编号、名称、类型、必填、可选项、最长字数、填写格式) 和签字要求。
    Show {
        /// 模板编号, 如 inspection_record
        template: String,
    },
}

/// `case` subcommands.
#[derive(Debug, Subcommand)]
pub enum CaseCmd {
    /// 新建案件。
    New {
        /// inspection (行政检查) | penalty (行政处罚)
        #[arg(long, default_value = "inspection")]
        kind: String,
        /// simple | general (行政处罚)
        #[arg(long)]
        procedure: Option<String>,
        /// 标题
        #[arg(long)]
        title: String,
        /// random_inspection | complaint | ex_officio | transfer
        #[arg(long, default_value = "ex_officio")]
        source: String,
        /// 任务/投诉编号
        #[arg(long)]
        source_ref: Option<String>,
        /// 当事人名称
        #[arg(long)]
        party: Option<String>,
        /// natural_person | legal_person | other_organisation
        #[arg(long, default_value = "legal_person")]
        party_kind: String,
        /// 当事人证件号/统一社会信用代码
        #[arg(long)]
        party_id: Option<String>,
        /// 法定代表人/负责人
        #[arg(long)]
        party_rep: Option<String>,
        /// 同行执法人员: 用户名或姓名 (如 lina), 或 账号:姓名:执法证号 (可多次)
        #[arg(long)]
        partner: Vec<String>,
        /// 同时按模板新建第一份文书, 如 inspection_record
        #[arg(long)]
        record: Option<String>,
    },
    /// 案件列表。
    List {
        /// 阶段 (initiation, investigation, decision, …)
        #[arg(long)]
        stage: Option<String>,
        /// 类型
        #[arg(long)]
        kind: Option<String>,
        /// 标题或当事人包含
        #[arg(long)]
        text: Option<String>,
        /// 期限在此日期 (含) 之前
        #[arg(long)]
        due_by: Option<String>,
        /// 只看未同步的
        #[arg(long)]
        unsynced: bool,
    },
    /// 案件详情。
    Show {
        /// 案件编号
        case: String,
    },
    /// 进入下一阶段 (检查门槛)。
    Advance {
        /// 案件编号
        case: String,
    },
    /// 加入执法人员: 用户名或姓名, 或 账号:姓名:执法证号。
    Officer {
        /// 案件编号
        case: String,
        /// 用户名或姓名, 或 账号:姓名:执法证号
        officer: String,
    },
    /// 导出案件文档。
    Export {
        /// 案件编号
        case: String,
        /// 输出文件
        #[arg(long)]
        out: PathBuf,
    },
    /// 导入案件文档。
    Import {
        /// 文件
        file: PathBuf,
    },
    /// 校验所有封存文书; 或给出纸质文书二维码的内容, 核对该文书是否与封存记录一致。
    Verify {
        /// 案件编号, 或文书二维码内容 (…?c=…&r=…&d=…)
        case: String,
    },
    /// 撤销服务器未接收的修改: 案件回到服务器最后回执的版本 (从未上传的案件从本机删除)。
    DropUnsynced {
        /// 案件编号
        case: String,
    },
}

/// `record` subcommands.
#[derive(Debug, Subcommand)]
pub enum RecordCmd {
    /// 按模板新建文书。
    New {
        /// 案件编号
        case: String,
        /// 模板, 如 inspection_record
        #[arg(long)]
        template: String,
    },
    /// 文书编辑视图: 字段、缺少的必填项和签名、阻止下一阶段的条件。
    Show {
        /// 案件编号
        case: String,
        /// 文书编号
        record: String,
    },
    /// 填写字段: 字段=值 … (列表用逗号分隔或 JSON)
    Set {
        /// 案件编号
        case: String,
        /// 文书编号
        record: String,
        /// 字段=值
        #[arg(required = true)]
        values: Vec<String>,
    },
    /// 清空字段。
    Clear {
        /// 案件编号
        case: String,
        /// 文书编号
        record: String,
        /// 字段
        key: String,
    },
    /// 修订已封存的文书: 生成新版本 (未封存), 原文书保留。
    Amend {
        /// 案件编号
        case: String,
        /// 文书编号
        record: String,
        /// 修订理由
        #[arg(long)]
        reason: String,
    },
    /// 打印已封存的文书为 PDF (含签名笔迹、页码和核验二维码)。
    Pdf {
        /// 案件编号
        case: String,
        /// 文书编号
        record: String,
        /// 输出文件
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// 中文字体文件 (TTF/OTF/TTC); 默认查找系统字体 (Noto CJK、文泉驿)
        #[arg(long)]
        font: Option<PathBuf>,
    },
    /// 封存冲突: 逐项比对封存版本与并发修改, 列出已处理的冲突。
    Conflicts {
        /// 案件编号
        case: String,
    },
    /// 处理封存冲突: --keep-sealed 保留封存版本, 或 --amend --reason "理由" 以更正文书载入并发修改。
    #[command(group(ArgGroup::new("how").required(true).args(["keep_sealed", "amend"])))]
    Resolve {
        /// 案件编号
        case: String,
        /// 文书编号
        record: String,
        /// 保留封存版本 (并发修改留在历史中)
        #[arg(long)]
        keep_sealed: bool,
        /// 以更正文书载入并发修改 (须写 --reason)
        #[arg(long, requires = "reason")]
        amend: bool,
        /// 更正理由
        #[arg(long, requires = "amend")]
        reason: Option<String>,
    },
    /// 封存文书 (之后只能签名或修订)。
    Seal {
        /// 案件编号
        case: String,
        /// 文书编号
        record: String,
    },
}
