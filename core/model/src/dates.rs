//! Dates and times as people type them: local time (Asia/Shanghai, +08:00),
//! Chinese date forms, RFC 3339. The lowest layer of input parsing: field
//! values, refusals and templates name these forms.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// The date forms a date field accepts, as the refusal names them.
pub const DATE_FORMS: &str = "2026-12-02、2026/12/2、2026年12月2日";

/// The forms a date-time field accepts, as the refusal names them.
pub const DATE_TIME_FORMS: &str =
    "2026-12-02 10:00、2026-12-02 10:00:30、10:00 (今天)、2026-12-02T10:00:00+08:00";

/// Seconds east of UTC of local time (Asia/Shanghai has had no daylight
/// saving since 1991).
pub const LOCAL_OFFSET_SECS: i32 = 8 * 3600;

/// The local offset, +08:00.
pub fn local_offset() -> FixedOffset {
    // 8 hours is always a valid offset; UTC is never reached.
    FixedOffset::east_opt(LOCAL_OFFSET_SECS).unwrap_or_else(|| FixedOffset::east_opt(0).expect("0"))
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Full-width digits, colons, slashes and spaces as their ASCII forms.
fn half_width(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '：' => ':',
            '／' => '/',
            '－' => '-',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// A date as typed: `2026-12-02`, `2026-12-2`, `2026/12/2`, `2026年12月2日`
/// (`日` or `号` may be left off). `None` when it is none of them or does not
/// exist (`2026-02-30`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = half_width(s);
    let (y, m, d) = if let Some((y, rest)) = s.split_once('年') {
        let (m, d) = rest.split_once('月')?;
        let d = d.strip_suffix('日').or(d.strip_suffix('号')).unwrap_or(d);
        (y, m, d)
    } else {
        let sep = if s.contains('/') { '/' } else { '-' };
        let mut it = s.split(sep);
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    if y.trim().len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(digits(y.trim())?).ok()?,
        digits(m.trim())?,
        digits(d.trim())?,
    )
}

/// A time of day as typed: `10:00` or `10:00:30`.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = half_width(s);
    let parts: Vec<&str> = s.split(':').collect();
    let num = |i: usize| parts.get(i).and_then(|p| digits(p.trim()));
    match parts.len() {
        2 => NaiveTime::from_hms_opt(num(0)?, num(1)?, 0),
        3 => NaiveTime::from_hms_opt(num(0)?, num(1)?, num(2)?),
        _ => None,
    }
}

/// Why a date-time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateTimeRefusal {
    /// Only a date was given; a date-time field needs the time too.
    DateOnly,
    /// Not a date-time in any accepted form.
    Unreadable,
}

/// A date-time as typed, in local time unless it carries an offset:
/// RFC 3339; `2026-12-02 10:00[:30]` (also `2026/12/2 10:00`,
/// `2026年12月2日 10:00`, `T` for the space); `10:00[:30]` for today, when
/// `today` is given. A bare date is refused ([`DateTimeRefusal::DateOnly`]):
/// midnight is never what the officer meant.
pub fn parse_date_time(
    s: &str,
    today: Option<NaiveDate>,
) -> std::result::Result<DateTime<FixedOffset>, DateTimeRefusal> {
    let trimmed = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(t);
    }
    let s = half_width(trimmed);
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (Some(d.trim()), Some(t.trim())),
        None => match s.split_once(['日', '号']) {
            Some((d, t)) if !t.trim().is_empty() => (Some(d), Some(t.trim())),
            _ => {
                if parse_date(&s).is_some() {
                    return Err(DateTimeRefusal::DateOnly);
                }
                (None, Some(s.as_str()))
            }
        },
    };
    let date = match date {
        Some(d) => {
            let d = if d.contains('年') && !d.ends_with(['日', '号']) {
                format!("{d}日")
            } else {
                d.to_string()
            };
            parse_date(&d).ok_or(DateTimeRefusal::Unreadable)?
        }
        None => today.ok_or(DateTimeRefusal::Unreadable)?,
    };
    let time = time
        .and_then(parse_time)
        .ok_or(DateTimeRefusal::Unreadable)?;
    local_offset()
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()
        .ok_or(DateTimeRefusal::Unreadable)
}
