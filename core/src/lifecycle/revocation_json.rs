//! Revocation state as plain JSON, for `exportRevocations` / `importRevocations`, and single
//! events for `revocationChanges` / `applyRevocation` (what a cross-process sync will carry).
//! Field names are the JS API's.

use crate::error::{Error, ErrorCode};
use crate::lifecycle::revocation::Event;
use crate::lifecycle::sessions::Session;
use crate::request::pipeline::Authenticator;
use serde_json::{json, Map, Value};

const VERSION: u64 = crate::contract::limit::REVOCATION_EXPORT_VERSION;

pub fn event_to_json(e: &Event) -> Value {
  match e {
    Event::Token { jti, expires_at } => {
      json!({ "kind": "token", "jti": jti, "expiresAt": expires_at })
    }
    Event::Family { family, expires_at } => {
      json!({ "kind": "family", "family": family, "expiresAt": expires_at })
    }
    Event::User {
      user,
      tenant,
      before,
      reissued,
      expires_at,
    } => json!({
      "kind": "user", "userId": user, "tenantId": tenant, "before": before,
      "reissued": reissued, "expiresAt": expires_at,
    }),
  }
}

fn bad(what: &str) -> Error {
  Error::argument(format!("Not a revocation event: {what}"))
}

fn field<'a>(o: &'a Map<String, Value>, name: &str) -> Result<&'a Value, Error> {
  o.get(name)
    .ok_or_else(|| bad(&format!("`{name}` is missing")))
}

fn string(o: &Map<String, Value>, name: &str) -> Result<String, Error> {
  field(o, name)?
    .as_str()
    .map(str::to_owned)
    .ok_or_else(|| bad(&format!("`{name}` must be a string")))
}

fn seconds(o: &Map<String, Value>, name: &str) -> Result<u64, Error> {
  field(o, name)?
    .as_u64()
    .ok_or_else(|| bad(&format!("`{name}` must be whole seconds since the epoch")))
}

pub fn event_from_json(v: &Value) -> Result<Event, Error> {
  let o = v.as_object().ok_or_else(|| bad("not an object"))?;
  let known: &[&str] = match o.get("kind").and_then(Value::as_str) {
    Some("token") => &["kind", "jti", "expiresAt"],
    Some("family") => &["kind", "family", "expiresAt"],
    Some("user") => &[
      "kind",
      "userId",
      "tenantId",
      "before",
      "reissued",
      "expiresAt",
    ],
    _ => return Err(bad("`kind` must be \"token\", \"user\" or \"family\"")),
  };
  if let Some(name) = o.keys().find(|k| !known.contains(&k.as_str())) {
    return Err(bad(&format!("unknown field `{name}`")));
  }
  Ok(match o["kind"].as_str() {
    Some("token") => Event::Token {
      jti: string(o, "jti")?,
      expires_at: seconds(o, "expiresAt")?,
    },
    Some("family") => Event::Family {
      family: string(o, "family")?,
      expires_at: seconds(o, "expiresAt")?,
    },
    _ => Event::User {
      user: string(o, "userId")?,
      tenant: match o.get("tenantId") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(_) => return Err(bad("`tenantId` must be a string or null")),
      },
      before: seconds(o, "before")?,
      reissued: match o.get("reissued") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
          .iter()
          .map(|i| {
            i.as_str()
              .map(str::to_owned)
              .ok_or_else(|| bad("`reissued` must hold strings"))
          })
          .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad("`reissued` must be an array")),
      },
      expires_at: seconds(o, "expiresAt")?,
    },
  })
}

fn session_from_json(v: &Value) -> Result<Session, Error> {
  let o = v
    .as_object()
    .ok_or_else(|| bad("a session is not an object"))?;
  let s = Session {
    family: string(o, "family")?,
    current: string(o, "current")?,
    expires_at: seconds(o, "expiresAt")?,
  };
  crate::lifecycle::revocation::check_id(&s.family, "family")?;
  if s.current.len() > crate::lifecycle::revocation::MAX_ID_BYTES {
    return Err(bad("`current` is too long"));
  }
  Ok(s)
}

impl Authenticator {
  pub fn export_revocations(&self) -> String {
    let now = self.clock().unix_seconds();
    let revocations: Vec<Value> = self
      .revocations()
      .export(now)
      .iter()
      .map(event_to_json)
      .collect();
    let sessions: Vec<Value> = self
      .sessions()
      .export(now)
      .into_iter()
      .map(|s| json!({ "family": s.family, "current": s.current, "expiresAt": s.expires_at }))
      .collect();
    json!({ "version": VERSION, "exportedAt": now, "revocations": revocations, "sessions": sessions }).to_string()
  }

  /// Merges an export into this authenticator's state. Everything is checked before anything is
  /// applied; returns how many revocations were live and taken.
  pub fn import_revocations(&self, text: &str) -> Result<usize, Error> {
    let doc: Value = serde_json::from_str(text).map_err(|_| bad("the export is not JSON"))?;
    let o = doc
      .as_object()
      .ok_or_else(|| bad("the export is not an object"))?;
    if o.get("version").and_then(Value::as_u64) != Some(VERSION) {
      return Err(bad("unknown export `version`"));
    }
    let list = |name: &str| -> Result<&[Value], Error> {
      match o.get(name) {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a.as_slice()),
        Some(_) => Err(bad(&format!("`{name}` must be an array"))),
      }
    };
    let events = list("revocations")?
      .iter()
      .map(event_from_json)
      .collect::<Result<Vec<_>, _>>()?;
    let sessions = list("sessions")?
      .iter()
      .map(session_from_json)
      .collect::<Result<Vec<_>, _>>()?;
    let now = self.clock().unix_seconds();
    if !self.revocations().has_room(events.len(), now) {
      return Err(Error::new(
        ErrorCode::RevocationLimit,
        "the export holds more revocations than `revocationMaxEntries` leaves room for; nothing was imported",
      ));
    }
    let mut taken = 0;
    for e in events {
      taken += usize::from(self.revocations().record(e, now, false)?);
    }
    for s in &sessions {
      self.sessions().import(s, now);
    }
    Ok(taken)
  }

  pub fn revocation_changes(&self, cursor: u64) -> String {
    let (next, events) = self.revocations().changes_since(cursor);
    let events = events.map(|list| list.iter().map(event_to_json).collect::<Vec<_>>());
    json!({ "cursor": next, "events": events }).to_string()
  }

  /// Applies one event from elsewhere (idempotent; not listed among this process's changes).
  pub fn apply_revocation(&self, text: &str) -> Result<bool, Error> {
    let v: Value = serde_json::from_str(text).map_err(|_| bad("not JSON"))?;
    let e = event_from_json(&v)?;
    self
      .revocations()
      .record(e, self.clock().unix_seconds(), false)
  }
}
