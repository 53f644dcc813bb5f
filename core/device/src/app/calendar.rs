//! The holiday calendar deadlines are counted with: the embedded years
//! (2017–2026) plus whatever the server sends. The office loads a newly
//! published year on the server; every idle check names the server's
//! calendar version, and a device with another version fetches it, checks
//! it and keeps it — no app release needed (PERIODS.md, R10 until then).

use chrono::NaiveDate;
use zhifa_core::deadlines::{parse_date, Rule};

use super::summary;
use super::views::CalendarInfo;
use super::{App, Change};
use crate::error::Result;
use crate::store::cases::ListFilter;
use crate::sync::Transport;

impl App {
    /// The calendar in use: version, covered years, and whether the server
    /// sent any of it.
    pub fn calendar_info(&self) -> Result<CalendarInfo> {
        let g = self.lock();
        let cal = g.engine.calendar();
        Ok(CalendarInfo {
            version: cal.version().to_string(),
            years: cal.covered_years(),
            years_text: cal.loaded_years_text().to_string(),
            server_version: g.store.calendar_version()?,
        })
    }

    /// The due date of a period of `n` units of `rule` (`working_days`,
    /// `calendar_days`, `months`, ...) from `start` (`YYYY-MM-DD`), counted
    /// with the device's calendar (PERIODS.md R1–R8; R10 error for a year
    /// not loaded yet).
    pub fn deadline_add(&self, rule: &str, start: &str, n: i64) -> Result<NaiveDate> {
        let rule = Rule::parse(rule)?;
        let start = parse_date(start)?;
        let engine = self.lock().engine.clone();
        Ok(engine.calendar().add(rule, start, n)?)
    }

    /// Fetches and keeps the server's calendar when `announced` (the version
    /// named in the idle check) is not the one kept; then recounts the next
    /// deadline of every case. Returns the new covered years as text, or
    /// `None` when nothing changed. Bad data is refused and nothing changes.
    pub(crate) fn receive_calendar(
        &self,
        t: &dyn Transport,
        token: &str,
        announced: &str,
    ) -> Result<Option<String>> {
        {
            let g = self.lock();
            let kept = g.store.calendar_version()?;
            let current = kept.as_deref().unwrap_or(g.engine.calendar().version());
            if current == announced {
                return Ok(None);
            }
        }
        let package = t.calendar(token)?;
        // Checked against its own version: a truncated or altered package is
        // refused whole.
        let calendar = package.calendar()?;
        let json = calendar.to_json();
        let engine = summary::engine_for(Some(&calendar))?;
        let years = engine.calendar().loaded_years_text().to_string();
        {
            let mut g = self.lock();
            g.store.set_calendar(&json, &package.version)?;
            g.engine = engine;
        }
        self.recount_deadlines()?;
        self.notify(Change::Sync);
        Ok(Some(years))
    }

    /// Recomputes the next-deadline columns of every case with the current
    /// calendar (a year newly loaded turns "unknown" into a date).
    fn recount_deadlines(&self) -> Result<()> {
        let ids: Vec<String> = self
            .lock()
            .store
            .list(&ListFilter::default())?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let at = super::now().to_rfc3339();
        for id in ids {
            self.read(&id, |doc, g| {
                let case = doc.case()?;
                let mut s = g.store.summary(&id)?;
                summary::fill(&g.engine, &mut s, &case, &at);
                g.store
                    .set_next_due(&id, s.next_due.as_deref(), s.next_due_label.as_deref())
            })?;
            self.notify(Change::Case(id));
        }
        Ok(())
    }
}
