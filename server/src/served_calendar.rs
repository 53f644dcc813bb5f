//! The calendar in force as the server holds it: the merged holiday
//! calendar, its wire form for devices and the deadline engine over it.
//! A state type: [`crate::state::AppState`] holds one; the calendar routes
//! (`crate::calendar`) replace it.

use zhifa_core::deadlines::Calendar;
use zhifa_core::sync::CalendarPackage;

/// The calendar in force and its wire form, built once per load.
#[derive(Debug, Clone)]
pub struct ServedCalendar {
    /// The merged calendar.
    pub calendar: Calendar,
    /// What `GET /api/v1/calendar` answers.
    pub package: CalendarPackage,
    /// The deadline engine over this calendar and the default (seed)
    /// profile: the case index's next deadlines and the console's clocks.
    pub engine: Option<std::sync::Arc<zhifa_core::deadlines::DeadlineEngine>>,
}

impl ServedCalendar {
    /// The compiled-in calendar alone.
    pub fn embedded() -> ServedCalendar {
        ServedCalendar::new(Calendar::embedded().clone(), None)
    }

    pub(crate) fn new(calendar: Calendar, loaded_at: Option<String>) -> ServedCalendar {
        let package = CalendarPackage::new(&calendar, loaded_at);
        let engine = zhifa_core::deadlines::DeadlineEngine::new(
            calendar.clone(),
            zhifa_core::deadlines::Profile::default(),
        )
        .map_err(|e| tracing::error!(error = %e, "deadline engine unavailable"))
        .ok()
        .map(std::sync::Arc::new);
        ServedCalendar {
            calendar,
            package,
            engine,
        }
    }

    /// The version devices compare with theirs.
    pub fn version(&self) -> &str {
        self.calendar.version()
    }
}
