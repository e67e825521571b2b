//! E-mail over SMTP, when `smtp_url` is configured: reminders about actions of the measures plan.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use prongsai_domain::measures::service::Reminder;
use prongsai_web::i18n::{Catalogs, Lang, Tr};

/// A configured SMTP relay.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// Why mail cannot be set up or sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("smtp_url is invalid: {0}")]
    Url(String),
    #[error("mail_from is not an e-mail address: {0}")]
    From(String),
    #[error("cannot send mail: {0}")]
    Send(String),
}

impl Mailer {
    /// A mailer for `smtp://host:port` (`?tls=required` for STARTTLS) or `smtps://host:port`,
    /// with optional `user:password@`.
    pub fn new(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Url(e.to_string()))?
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| MailError::From(e.to_string()))?;
        Ok(Self { transport, from })
    }

    /// Sends one plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), MailError> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|e| MailError::Send(e.to_string()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError::Send(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailError::Send(e.to_string()))?;
        Ok(())
    }
}

/// The e-mail of a reminder, in Thai: subject and body.
pub fn reminder_text(tr: &Tr, r: &Reminder, agency_name: &str, link: &str) -> (String, String) {
    let due = prongsai_thai::format_full(r.due, prongsai_thai::Digits::Arabic);
    let key = if r.kind == "measure-overdue" {
        "mail-reminder-overdue"
    } else {
        "mail-reminder-due"
    };
    let subject = tr.args(
        key,
        &[("action", &r.action_number), ("agency", agency_name)],
    );
    let body = tr.args(
        "mail-reminder-body",
        &[
            ("action", &r.action_number),
            ("text", &r.action_text),
            ("due", &due),
            ("link", link),
            ("agency", agency_name),
        ],
    );
    (subject, body)
}

/// A Thai translator for messages sent outside a request.
pub fn thai() -> Result<Tr, prongsai_web::i18n::CatalogError> {
    Ok(Tr::new(Lang::Th, std::sync::Arc::new(Catalogs::load()?)))
}
