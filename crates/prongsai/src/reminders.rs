//! The reminder sweep: in-app notifications (always) and e-mail (when SMTP is configured) about
//! actions of approved measures plans that are due soon or overdue. It runs at start-up and every
//! hour; each reminder goes out once, so running it more often is harmless. The same sweep
//! reminds complaint handlers of overdue cases (in the app only, never by e-mail) and deletes
//! closed cases past their retention period.

use std::collections::HashMap;

use prongsai_domain::Ctx;
use prongsai_domain::measures::service as ms;

use crate::mail::{Mailer, reminder_text, thai};

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sweep {
    pub notified: usize,
    pub mailed: usize,
    pub mail_failures: usize,
}

/// Sends today's reminders.
pub async fn sweep(
    cx: &Ctx,
    mailer: Option<&Mailer>,
    public_url: Option<&str>,
) -> Result<Sweep, String> {
    let today = cx.clock.today();
    let reminders = ms::run_reminders(cx, today)
        .await
        .map_err(|e| e.to_string())?;
    let cases = prongsai_domain::cases::service::sweep(cx)
        .await
        .map_err(|e| e.to_string())?;
    if cases.deleted > 0 {
        tracing::info!(
            deleted = cases.deleted,
            "closed cases past retention deleted"
        );
    }
    let mut out = Sweep {
        notified: reminders.len() + cases.reminded,
        ..Sweep::default()
    };
    let Some(mailer) = mailer else {
        return Ok(out);
    };
    let tr = thai().map_err(|e| e.to_string())?;
    let mut agencies = HashMap::new();
    let base = public_url.unwrap_or("").trim_end_matches('/');
    let year = prongsai_thai::FiscalYear::of(today).be();
    for r in &reminders {
        if let std::collections::hash_map::Entry::Vacant(e) = agencies.entry(r.agency_id) {
            let a = cx
                .store
                .agency(r.agency_id)
                .await
                .map_err(|e| e.to_string())?;
            e.insert((a.profile.name, a.slug.to_string()));
        }
        let Some((name, slug)) = agencies.get(&r.agency_id) else {
            continue;
        };
        let link = format!(
            "{base}/a/{slug}/admin/measures/{year}/actions/{}",
            r.action_id
        );
        let (subject, body) = reminder_text(&tr, r, name, &link);
        match mailer.send(&r.email, &subject, body).await {
            Ok(()) => out.mailed += 1,
            Err(e) => {
                out.mail_failures += 1;
                tracing::warn!(error = %e, "reminder e-mail not sent");
            }
        }
    }
    Ok(out)
}
