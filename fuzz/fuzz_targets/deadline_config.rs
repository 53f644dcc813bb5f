//! The deadline loaders and small parsers (zhifa_core::deadlines): the
//! calendar JSON (`--calendar`, the served calendar), the provincial
//! profile JSON, the statutory rule table, and the rule / date / range /
//! amount strings of the deadline commands. A loaded calendar or table is
//! then used to count a period, as its users do.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use zhifa_core::deadlines::{
    parse_date, parse_yuan, Calendar, ExcludedRange, Profile, Rule, RuleTable,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
    if let Ok(cal) = Calendar::from_json(text) {
        let _ = cal.to_json();
        for r in [
            Rule::WorkingDays,
            Rule::CalendarDays,
            Rule::Months,
            Rule::Years,
        ] {
            let _ = cal.add(r, start, 15);
            let _ = cal.add(r, start, 400);
        }
    }
    if let Ok(profile) = Profile::from_json(text) {
        if let Ok(table) = RuleTable::embedded().extended(profile.rules()) {
            for r in table.rules() {
                let _ = r.due(Calendar::embedded(), start);
            }
        }
    }
    if let Ok(table) = RuleTable::from_json(text) {
        for r in table.rules() {
            let _ = r.due(Calendar::embedded(), start);
        }
    }
    if let Ok(r) = Rule::parse(text) {
        let _ = Calendar::embedded().add(r, start, 20);
    }
    if let Ok(d) = parse_date(text) {
        let _ = Calendar::embedded().add(Rule::WorkingDays, d, 20);
    }
    let _ = ExcludedRange::parse(text);
    let _ = parse_yuan(text);
});
