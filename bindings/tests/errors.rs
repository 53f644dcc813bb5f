//! `CoreError`: each engine error lands in the variant a UI acts on, with
//! the engine's Chinese message. `cargo test -p zhifa-ffi --test errors`.

use zhifa_core::deadlines::DeadlineError;
use zhifa_core::CoreError as ModelError;
use zhifa_device::DeviceError;
use zhifa_ffi::CoreError;

/// The variant's name and its message.
fn kind(e: CoreError) -> (&'static str, String) {
    match e {
        CoreError::InvalidInput { reason } => ("InvalidInput", reason),
        CoreError::NotFound { reason } => ("NotFound", reason),
        CoreError::Sealed { reason } => ("Sealed", reason),
        CoreError::CalendarOutOfRange { reason } => ("CalendarOutOfRange", reason),
        CoreError::Corrupted { reason } => ("Corrupted", reason),
        CoreError::DiskFull { reason } => ("DiskFull", reason),
        CoreError::Storage { reason } => ("Storage", reason),
        CoreError::LoginRequired { reason } => ("LoginRequired", reason),
        CoreError::WrongPassword { reason } => ("WrongPassword", reason),
        CoreError::Forbidden { reason } => ("Forbidden", reason),
        CoreError::Offline { reason } => ("Offline", reason),
        CoreError::Server { status, reason } => {
            assert_eq!(status, 409, "status kept");
            ("Server", reason)
        }
    }
}

#[test]
fn device_errors_map_to_what_the_ui_does() {
    let cases: Vec<(DeviceError, &str)> = vec![
        (DeviceError::DiskFull, "DiskFull"),
        (DeviceError::Corrupt("page".into()), "Corrupted"),
        (DeviceError::MediaCorrupt("a.jpg".into()), "Corrupted"),
        (DeviceError::SchemaTooNew { found: 9, known: 3 }, "Storage"),
        (
            DeviceError::Db {
                user: "数据库忙".into(),
                detail: "busy".into(),
            },
            "Storage",
        ),
        (DeviceError::Io("disk".into()), "Storage"),
        (DeviceError::NotLoggedIn, "LoginRequired"),
        (DeviceError::Unauthorized, "LoginRequired"),
        (DeviceError::WrongPassword, "WrongPassword"),
        (DeviceError::Forbidden("c1".into()), "Forbidden"),
        (DeviceError::Network("timeout".into()), "Offline"),
        (
            DeviceError::Server {
                status: 409,
                code: "stage_gate".into(),
                message: "不能进入下一阶段".into(),
            },
            "Server",
        ),
        (DeviceError::CaseNotFound("c9".into()), "NotFound"),
        (DeviceError::Invalid("标题不能为空".into()), "InvalidInput"),
    ];
    for (e, want) in cases {
        let message = e.to_string();
        let (got, reason) = kind(e.into());
        assert_eq!(got, want, "{message}");
        assert_eq!(reason, message, "the engine's Chinese message is kept");
    }
}

#[test]
fn model_errors_inside_device_errors_map_by_their_own_kind() {
    let cases: Vec<(ModelError, &str)> = vec![
        (ModelError::RecordNotFound("r1".into()), "NotFound"),
        (ModelError::RecordSealed("r1".into()), "Sealed"),
        (ModelError::Malformed("no header".into()), "Corrupted"),
        (ModelError::SealInvalid("r1".into()), "Corrupted"),
        (ModelError::Automerge("bad chunk".into()), "Corrupted"),
        (ModelError::RecordNotSealed("r1".into()), "InvalidInput"),
        (ModelError::SealBroken("r1".into()), "InvalidInput"),
        (ModelError::InvalidMedia("x".into()), "InvalidInput"),
        (ModelError::InvalidInput("x".into()), "InvalidInput"),
    ];
    for (e, want) in cases {
        let (got, _) = kind(DeviceError::Core(e).into());
        assert_eq!(got, want);
    }
}

#[test]
fn a_date_outside_the_calendar_asks_for_a_calendar_update() {
    let dir = tempfile::tempdir().expect("tmp");
    let app = zhifa_ffi::ZhifaApp::open(dir.path().to_string_lossy().into_owned()).expect("open");
    let (got, reason) = kind(
        app.deadline_add("working_days".into(), "1990-01-02".into(), 5)
            .expect_err("1990 is not in the calendar"),
    );
    assert_eq!(got, "CalendarOutOfRange", "{reason}");
    let (got, reason) =
        kind(DeviceError::Deadline(DeadlineError::UnknownRule("weeks".into())).into());
    assert_eq!(got, "InvalidInput");
    assert!(reason.contains("未知的计算规则"), "{reason}");
}
