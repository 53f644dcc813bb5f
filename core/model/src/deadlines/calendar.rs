//! The holiday calendar (R2) and its per-day working-day index.
//!
//! Data: one entry per year, exactly the schema of `cn_calendar.json`
//! (`{"2026": {"holidays": [...], "workdays": [...], "names": {...}, "notices": [...]}}`).
//! The embedded data (2017–2026, cross-checked against four sources, see
//! `PERIODS.md`) is parsed once; a newer JSON of the same schema (e.g. 2027
//! when the State Council publishes it, usually in November) can be merged in
//! at run time — the server ships it to devices at sync, no app release needed.
//!
//! Rest day (R2, 全国年节及纪念日放假办法 arts.2, 6, 7 + the yearly notice):
//! a date in the year's `holidays`, or a Saturday/Sunday not in its
//! `workdays`. A make-up working Saturday/Sunday (调休上班日) is a working day.
//!
//! A date in a year that is not loaded has no known status: every query that
//! needs it fails with [`DeadlineError::OutOfCalendar`] (R10).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::date::parse_date;
use super::error::{DeadlineError, Result};

/// The embedded calendar data (a verbatim copy of `shared/domain/cn_calendar.json`).
pub const EMBEDDED_CALENDAR_JSON: &str = include_str!("../../data/cn_calendar.json");

/// Earliest year a calendar may contain (bounds the size of the day index).
pub const MIN_YEAR: i32 = 1949;
/// Latest year a calendar may contain.
pub const MAX_YEAR: i32 = 2200;

/// One year's State Council arrangement (放假调休安排).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearData {
    /// Official rest days (法定节假日 and the days added to the block by 调休).
    pub holidays: BTreeSet<NaiveDate>,
    /// Make-up working Saturdays/Sundays (调休上班日).
    pub workdays: BTreeSet<NaiveDate>,
    /// Holiday name per date (e.g. `春节`), for display only.
    pub names: BTreeMap<NaiveDate, String>,
    /// URLs of the State Council notices the year was taken from.
    pub notices: Vec<String>,
}

/// Wire form of a year (same field names as `cn_calendar.json`; unknown
/// fields such as `sources_agreeing_on_every_day` are ignored).
#[derive(Debug, Deserialize, Serialize)]
struct RawYear {
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
    #[serde(default)]
    names: BTreeMap<String, String>,
    #[serde(default)]
    notices: Vec<String>,
}

impl YearData {
    /// Builds and validates a year from its holidays and make-up working days.
    pub fn new(
        year: i32,
        holidays: impl IntoIterator<Item = NaiveDate>,
        workdays: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<YearData> {
        let data = YearData {
            holidays: holidays.into_iter().collect(),
            workdays: workdays.into_iter().collect(),
            names: BTreeMap::new(),
            notices: Vec::new(),
        };
        data.validate(year)?;
        Ok(data)
    }

    fn from_raw(year: i32, raw: RawYear) -> Result<YearData> {
        let dates = |v: &[String], what: &str| -> Result<BTreeSet<NaiveDate>> {
            v.iter()
                .map(|s| {
                    parse_date(s).map_err(|_| {
                        DeadlineError::InvalidCalendar(format!(
                            "{year} 年 {what} 中的日期 \"{s}\" 无效"
                        ))
                    })
                })
                .collect()
        };
        let mut names = BTreeMap::new();
        for (k, v) in raw.names {
            let d = parse_date(&k).map_err(|_| {
                DeadlineError::InvalidCalendar(format!("{year} 年 names 中的日期 \"{k}\" 无效"))
            })?;
            names.insert(d, v);
        }
        let data = YearData {
            holidays: dates(&raw.holidays, "holidays")?,
            workdays: dates(&raw.workdays, "workdays")?,
            names,
            notices: raw.notices,
        };
        data.validate(year)?;
        Ok(data)
    }

    fn to_raw(&self) -> RawYear {
        let s = |d: &NaiveDate| d.format("%Y-%m-%d").to_string();
        RawYear {
            holidays: self.holidays.iter().map(s).collect(),
            workdays: self.workdays.iter().map(s).collect(),
            names: self.names.iter().map(|(d, n)| (s(d), n.clone())).collect(),
            notices: self.notices.clone(),
        }
    }

    /// Sanity checks that catch a wrong or truncated file before it reaches
    /// a deadline: dates belong to the year, make-up days are weekends, no
    /// date is both, and the year has holidays at all (an empty year would
    /// silently mean "plain weekends" — exactly the guess R10 forbids).
    fn validate(&self, year: i32) -> Result<()> {
        let bad = |m: String| Err(DeadlineError::InvalidCalendar(m));
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return bad(format!("年份 {year} 超出支持范围 {MIN_YEAR}–{MAX_YEAR}"));
        }
        if self.holidays.is_empty() {
            return bad(format!("{year} 年没有任何节假日，疑为空数据或未公布"));
        }
        for d in self.holidays.iter().chain(&self.workdays) {
            if d.year() != year {
                return bad(format!("日期 {d} 不属于 {year} 年"));
            }
        }
        for d in &self.workdays {
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                return bad(format!("调休上班日 {d} 不是周六或周日"));
            }
            if self.holidays.contains(d) {
                return bad(format!("日期 {d} 同时列为节假日和调休上班日"));
            }
        }
        Ok(())
    }

    /// R2: is `d` (a date of this year) a working day?
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.holidays.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) || self.workdays.contains(&d)
    }
}

/// Sentinel for "not covered" in the per-day run table.
const NONE: u32 = u32::MAX;

/// Per-day precomputation over the span first..=last loaded year:
/// `cum[i]` = number of working days among days `0..i`; `work` = the indices
/// of all working days in order. Counting n working days is then one array
/// lookup (`work[cum[i] + n - 1]`), O(1) whatever n is.
#[derive(Debug, Clone, Default)]
struct DayIndex {
    /// `num_days_from_ce` of day 0 (1 January of the first loaded year).
    base: i32,
    /// `cum.len() - 1` = number of days in the span.
    cum: Vec<u32>,
    work: Vec<u32>,
    /// Per day: first and last day index of the run of consecutive loaded
    /// years containing it, or `(NONE, NONE)` for days of unloaded years.
    run: Vec<(u32, u32)>,
}

/// A holiday calendar: the loaded years, their day index and a version.
///
/// Cheap to query (O(1) per counting call); building one from JSON takes
/// well under a millisecond for ten years.
#[derive(Debug, Clone)]
pub struct Calendar {
    years: BTreeMap<i32, YearData>,
    index: DayIndex,
    version: String,
    loaded_text: String,
}

impl Calendar {
    /// The embedded calendar (2017–2026), parsed once per process.
    pub fn embedded() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(|| {
            // The embedded file is validated by the tests (`embedded_calendar_loads`);
            // a failure here is a build defect, not an input error.
            Calendar::from_json(EMBEDDED_CALENDAR_JSON)
                .unwrap_or_else(|e| panic!("embedded cn_calendar.json is invalid: {e}"))
        })
    }

    /// Builds a calendar from JSON of the `cn_calendar.json` schema. Top-level
    /// keys are four-digit years; keys starting with `_` are ignored (room for
    /// comments/metadata). Every year is validated (see [`YearData`]).
    pub fn from_json(json: &str) -> Result<Calendar> {
        let top: BTreeMap<String, serde_json::Value> = serde_json::from_str(json)
            .map_err(|e| DeadlineError::InvalidCalendar(format!("JSON 解析失败: {e}")))?;
        let mut years = BTreeMap::new();
        for (key, value) in top {
            if key.starts_with('_') {
                continue;
            }
            let year: i32 = match key.parse() {
                Ok(y) if key.len() == 4 => y,
                _ => {
                    return Err(DeadlineError::InvalidCalendar(format!(
                        "顶层键 \"{key}\" 不是四位年份"
                    )))
                }
            };
            let raw: RawYear = serde_json::from_value(value).map_err(|e| {
                DeadlineError::InvalidCalendar(format!("{year} 年的数据格式错误: {e}"))
            })?;
            years.insert(year, YearData::from_raw(year, raw)?);
        }
        if years.is_empty() {
            return Err(DeadlineError::InvalidCalendar("不含任何年份".into()));
        }
        Ok(Calendar::build(years))
    }

    /// The calendar serialized in the `cn_calendar.json` schema (what the
    /// server ships to devices). `from_json(to_json())` is the same calendar.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// The calendar as a JSON value in the `cn_calendar.json` schema (what
    /// the server ships inside `CalendarPackage`).
    pub fn to_value(&self) -> serde_json::Value {
        let raw: BTreeMap<String, RawYear> = self
            .years
            .iter()
            .map(|(y, d)| (y.to_string(), d.to_raw()))
            .collect();
        // Strings and string lists only: serializing cannot fail.
        serde_json::to_value(&raw).unwrap_or_default()
    }

    /// A new calendar with the years of `newer` added; a year present in
    /// both is taken from `newer` (a corrected notice replaces the old one).
    pub fn merge(&self, newer: &Calendar) -> Calendar {
        let mut years = self.years.clone();
        for (y, d) in &newer.years {
            years.insert(*y, d.clone());
        }
        Calendar::build(years)
    }

    /// Parses `json` (see [`Calendar::from_json`]) and merges it over `self`.
    pub fn merge_json(&self, json: &str) -> Result<Calendar> {
        Ok(self.merge(&Calendar::from_json(json)?))
    }

    /// A new calendar with `year` set to `data` (validated), replacing any
    /// existing data for that year.
    pub fn with_year(&self, year: i32, data: YearData) -> Result<Calendar> {
        data.validate(year)?;
        let mut years = self.years.clone();
        years.insert(year, data);
        Ok(Calendar::build(years))
    }

    /// Content version: the first 16 hex digits of the SHA-256 of
    /// [`Calendar::to_json`]. Equal data ⇔ equal version, so the server and a
    /// device can compare calendars without shipping them.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The loaded years, ascending (not necessarily contiguous).
    pub fn covered_years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// Whether `year`'s arrangement is loaded.
    pub fn covers_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The loaded years as text for messages, e.g. `2017–2026` or `2017–2026, 2028`.
    pub fn loaded_years_text(&self) -> &str {
        &self.loaded_text
    }

    /// One year's data, if loaded.
    pub fn year(&self, year: i32) -> Option<&YearData> {
        self.years.get(&year)
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not
    /// after `from`): what a countdown shows (e.g. 法制审核 还剩 N 个工作日).
    /// A day of a year not loaded counts by weekday alone (R10: the caller
    /// marks the figure provisional); at most ten years are counted.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        for _ in 0..3660 {
            d = match d.succ_opt() {
                Some(x) => x,
                None => break,
            };
            if d > to {
                break;
            }
            let working = self
                .status(d)
                .unwrap_or(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun));
            if working {
                n += 1;
            }
        }
        n
    }

    /// R2: whether `d` is a working day; R10 error if `d`'s year is not loaded.
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool> {
        self.status(d).ok_or_else(|| self.out_of_range(d))
    }

    /// The holiday name of `d` (`春节`, `国庆节`…) if the data has one.
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        self.years.get(&d.year())?.names.get(&d).map(String::as_str)
    }

    /// Status of `d`: `Some(true)` working, `Some(false)` rest, `None` unknown.
    pub fn status(&self, d: NaiveDate) -> Option<bool> {
        let i = self.index_of(d)?;
        let i = i as usize;
        Some(self.index.cum[i + 1] > self.index.cum[i])
    }

    /// The R10 error for `d`.
    pub(crate) fn out_of_range(&self, d: NaiveDate) -> DeadlineError {
        DeadlineError::OutOfCalendar {
            date: d,
            loaded: self.loaded_text.clone(),
        }
    }

    // ----- index internals -------------------------------------------------

    fn build(years: BTreeMap<i32, YearData>) -> Calendar {
        let version = {
            let raw: BTreeMap<String, RawYear> = years
                .iter()
                .map(|(y, d)| (y.to_string(), d.to_raw()))
                .collect();
            let json = serde_json::to_string(&raw).unwrap_or_default();
            hex::encode(&Sha256::digest(json.as_bytes())[..8])
        };
        let loaded_text = format_runs(years.keys().copied());
        let index = match (years.keys().next(), years.keys().next_back()) {
            (Some(&first), Some(&last)) => DayIndex::build(&years, first, last),
            _ => DayIndex::default(),
        };
        Calendar {
            years,
            index,
            version,
            loaded_text,
        }
    }

    /// Day index of `d` if its year is loaded.
    #[inline]
    fn index_of(&self, d: NaiveDate) -> Option<u32> {
        let i = self.raw_index(d);
        let len = self.index.run.len() as i64;
        if i < 0 || i >= len {
            return None;
        }
        let i = i as u32;
        (self.index.run[i as usize].0 != NONE).then_some(i)
    }

    #[inline]
    fn raw_index(&self, d: NaiveDate) -> i64 {
        i64::from(d.num_days_from_ce()) - i64::from(self.index.base)
    }

    #[inline]
    fn date_at(&self, i: i64) -> NaiveDate {
        i32::try_from(i64::from(self.index.base) + i)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .unwrap_or(NaiveDate::MAX)
    }

    /// R3: the `n`-th working day strictly after `start` (n ≥ 1, checked by
    /// the caller). O(1). Every day from `start + 1` to the result must be in
    /// loaded years; the status of `start` itself is irrelevant (R1).
    pub(crate) fn nth_working_day_after(&self, start: NaiveDate, n: u64) -> Result<NaiveDate> {
        let first = start.succ_opt().ok_or(DeadlineError::DateOverflow)?;
        let f = self
            .index_of(first)
            .ok_or_else(|| self.out_of_range(first))?;
        let (_, run_end) = self.index.run[f as usize];
        let t = u64::from(self.index.cum[f as usize]) + (n - 1);
        match usize::try_from(t).ok().and_then(|t| self.index.work.get(t)) {
            Some(&w) if w <= run_end => Ok(self.date_at(i64::from(w))),
            _ => Err(self.out_of_range(self.date_at(i64::from(run_end) + 1))),
        }
    }

    /// R9: the `n`-th working day strictly before `x` (n ≥ 1). O(1). Every day
    /// from the result to `x - 1` must be in loaded years.
    pub(crate) fn nth_working_day_before(&self, x: NaiveDate, n: u64) -> Result<NaiveDate> {
        let last = x.pred_opt().ok_or(DeadlineError::DateOverflow)?;
        let l = self.index_of(last).ok_or_else(|| self.out_of_range(last))?;
        let (run_start, _) = self.index.run[l as usize];
        let rank = u64::from(self.index.cum[l as usize + 1]);
        if rank >= n {
            if let Some(&w) = usize::try_from(rank - n)
                .ok()
                .and_then(|t| self.index.work.get(t))
            {
                if w >= run_start {
                    return Ok(self.date_at(i64::from(w)));
                }
            }
        }
        Err(self.out_of_range(self.date_at(i64::from(run_start) - 1)))
    }

    /// R4 roll-forward: `d` if it is a working day, else the first working
    /// day after it. O(1). Needs `d` and the rest days after it to be loaded.
    pub(crate) fn roll_forward(&self, d: NaiveDate) -> Result<NaiveDate> {
        let i = self.index_of(d).ok_or_else(|| self.out_of_range(d))?;
        let (_, run_end) = self.index.run[i as usize];
        let rank = self.index.cum[i as usize] as usize;
        match self.index.work.get(rank) {
            Some(&w) if w <= run_end => Ok(self.date_at(i64::from(w))),
            _ => Err(self.out_of_range(self.date_at(i64::from(run_end) + 1))),
        }
    }
}

impl DayIndex {
    fn build(years: &BTreeMap<i32, YearData>, first: i32, last: i32) -> DayIndex {
        let start = NaiveDate::from_ymd_opt(first, 1, 1).unwrap_or(NaiveDate::MIN);
        let end = NaiveDate::from_ymd_opt(last, 12, 31).unwrap_or(NaiveDate::MIN);
        let days = (end - start).num_days().max(0) as usize + 1;
        let mut cum = Vec::with_capacity(days + 1);
        let mut work = Vec::new();
        let mut run = vec![(NONE, NONE); days];
        cum.push(0u32);
        let mut count = 0u32;
        let mut d = start;
        for i in 0..days {
            if let Some(yd) = years.get(&d.year()) {
                if yd.is_working_day(d) {
                    work.push(i as u32);
                    count += 1;
                }
            }
            cum.push(count);
            d = d.succ_opt().unwrap_or(d);
        }
        // Runs of consecutive loaded years, as day-index ranges.
        let idx = |date: NaiveDate| (date - start).num_days() as u32;
        let mut y = first;
        while y <= last {
            if !years.contains_key(&y) {
                y += 1;
                continue;
            }
            let mut z = y;
            while years.contains_key(&(z + 1)) {
                z += 1;
            }
            let (Some(a), Some(b)) = (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(z, 12, 31),
            ) else {
                break;
            };
            let (a, b) = (idx(a), idx(b));
            for slot in &mut run[a as usize..=b as usize] {
                *slot = (a, b);
            }
            y = z + 1;
        }
        DayIndex {
            base: start.num_days_from_ce(),
            cum,
            work,
            run,
        }
    }
}

/// `2017, 2018, 2019, 2021` → `2017–2019, 2021`.
fn format_runs(years: impl Iterator<Item = i32>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<(i32, i32)> = None;
    let flush = |parts: &mut Vec<String>, (a, b): (i32, i32)| {
        parts.push(if a == b {
            a.to_string()
        } else {
            format!("{a}–{b}")
        })
    };
    for y in years {
        cur = match cur {
            Some((a, b)) if y == b + 1 => Some((a, y)),
            Some(r) => {
                flush(&mut parts, r);
                Some((y, y))
            }
            None => Some((y, y)),
        };
    }
    if let Some(r) = cur {
        flush(&mut parts, r);
    }
    if parts.is_empty() {
        "无".into()
    } else {
        parts.join(", ")
    }
}
