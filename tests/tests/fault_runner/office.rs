//! The office in a scenario: 科长 王强 (wangqiang) at the console in a
//! browser, behind a faulty link of its own. He opens a 现场检查笔录 of his
//! own on the case and rewrites its 检查情况 (findings) through the console
//! forms, as a browser does: the form first (its record version), then the
//! save: office actions made on the server, which reach the phones with
//! their next sync. Every write the console confirmed (a redirect with
//! `ok=`) is remembered; the checker then finds the last confirmed text, or
//! a later one whose answer was lost, on every replica. A replayed older
//! save carries an older version and is refused by the server.

use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::redirect;

use crate::proxy::Link;

/// What the office did.
#[derive(Debug, Default, Clone, Copy)]
pub struct OfficeStats {
    pub writes_ok: u32,
    pub writes_failed: u32,
    pub logins: u32,
}

/// The office's browser session.
pub struct Office {
    pub link: Link,
    http: Option<Client>,
    csrf: String,
    /// The office's own record on the case.
    pub record: Option<String>,
    /// Texts written, in order, with whether the console confirmed each.
    pub writes: Vec<(String, bool)>,
    pub stats: OfficeStats,
}

/// The CSRF token in a console page.
fn csrf_in(html: &str) -> Option<String> {
    hidden_in(html, "csrf")
}

/// The hex value of a hidden form field.
fn hidden_in(html: &str, name: &str) -> Option<String> {
    let key = format!("name=\"{name}\" value=\"");
    let i = html.find(&key)? + key.len();
    let t: String = html[i..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    (!t.is_empty()).then_some(t)
}

impl Office {
    /// The office behind `link`, not yet logged in.
    pub fn new(link: Link) -> Office {
        Office {
            link,
            http: None,
            csrf: String::new(),
            record: None,
            writes: Vec::new(),
            stats: OfficeStats::default(),
        }
    }

    /// Logs in at the console (a new session), unless logged in.
    fn session(&mut self) -> Result<Client, String> {
        if let Some(c) = &self.http {
            return Ok(c.clone());
        }
        let http = Client::builder()
            .cookie_store(true)
            .redirect(redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .connect_timeout(Duration::from_millis(500))
            .timeout(Duration::from_secs(3))
            .build()
            .map_err(|e| e.to_string())?;
        let base = &self.link.url;
        let page = http
            .get(format!("{base}/login"))
            .send()
            .and_then(|r| r.text())
            .map_err(|e| e.to_string())?;
        let token = csrf_in(&page).ok_or("no login csrf")?;
        let r = http
            .post(format!("{base}/login"))
            .form(&[
                ("username", "wangqiang"),
                ("password", "demo1234"),
                ("csrf", token.as_str()),
            ])
            .send()
            .map_err(|e| e.to_string())?;
        if r.status() != reqwest::StatusCode::SEE_OTHER {
            return Err(format!("login answered {}", r.status()));
        }
        let inbox = http
            .get(format!("{base}/"))
            .send()
            .and_then(|r| r.text())
            .map_err(|e| e.to_string())?;
        self.csrf = csrf_in(&inbox).ok_or("no session csrf")?;
        self.stats.logins += 1;
        self.http = Some(http.clone());
        Ok(http)
    }

    /// Posts a console form; the redirect's location.
    fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Result<String, String> {
        let http = self.session()?;
        let mut form = form.to_vec();
        let csrf = self.csrf.clone();
        form.push(("csrf", &csrf));
        let r = http
            .post(format!("{}{path}", self.link.url))
            .form(&form)
            .send()
            .map_err(|e| e.to_string())?;
        if r.status() != reqwest::StatusCode::SEE_OTHER {
            // A lost session (server restarted with a new key, or a cut
            // login): log in again next time.
            self.http = None;
            return Err(format!("{path} answered {}", r.status()));
        }
        Ok(r.headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string())
    }

    /// One office step: opens the office's record, or rewrites its findings.
    pub fn act(&mut self, case: &str, text: &str) {
        let Some(rec) = self.record.clone() else {
            match self.post(
                &format!("/cases/{case}/records"),
                &[("template", "inspection_record")],
            ) {
                Ok(loc) if loc.starts_with(&format!("/cases/{case}/records/")) => {
                    self.record = loc.rsplit('/').next().map(str::to_string);
                }
                _ => self.stats.writes_failed += 1,
            }
            return;
        };
        let path = format!("/cases/{case}/records/{rec}");
        let version = self.session().and_then(|http| {
            http.get(format!("{}{path}", self.link.url))
                .send()
                .and_then(|r| r.text())
                .map_err(|e| e.to_string())
                .and_then(|html| hidden_in(&html, "version").ok_or("no version".into()))
        });
        let Ok(version) = version else {
            // A cut link or a lost session: log in again next time.
            self.http = None;
            self.stats.writes_failed += 1;
            return;
        };
        let r = self.post(&path, &[("f.findings", text), ("version", &version)]);
        let ok = matches!(&r, Ok(loc) if loc.contains("ok="));
        if ok {
            self.stats.writes_ok += 1;
        } else {
            self.stats.writes_failed += 1;
        }
        self.writes.push((text.to_string(), ok));
    }

    /// The texts the office's record may hold at the end: the last
    /// confirmed one and every later one (its answer may have been lost
    /// after the server stored it). Empty when nothing was confirmed.
    pub fn acceptable_final(&self) -> Vec<String> {
        match self.writes.iter().rposition(|(_, ok)| *ok) {
            Some(i) => self.writes[i..].iter().map(|(t, _)| t.clone()).collect(),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_confirmed_write_and_later_ones_are_acceptable() {
        let link = Link::start(std::net::SocketAddr::from(([127, 0, 0, 1], 9)), 1);
        let mut o = Office::new(link);
        assert!(o.acceptable_final().is_empty());
        o.writes = vec![
            ("a".into(), true),
            ("b".into(), false),
            ("c".into(), true),
            ("d".into(), false),
        ];
        assert_eq!(o.acceptable_final(), vec!["c".to_string(), "d".to_string()]);
    }
}
