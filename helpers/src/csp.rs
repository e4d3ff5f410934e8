//! Content-Security-Policy: a policy that starts strict, validated source by source so that no
//! value can end a directive (`;`), start a second policy (`,`) or split the header (newline), and
//! rendered as a template with a slot for each response's nonce.

use auth_shield_core::error::{Error, ErrorCode};
use base64_simd::STANDARD;
use rand::RngCore;
use sha2::{Digest, Sha256, Sha384, Sha512};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
  /// A fetch directive or another source list.
  Sources,
  /// `frame-ancestors`: hosts, schemes, `'self'` and `'none'` only.
  Ancestors,
  /// `sandbox`: `allow-*` flags, possibly none.
  Sandbox,
  /// `report-uri`: URLs.
  Uris,
  /// `report-to`, `require-trusted-types-for`, `trusted-types`: bare tokens.
  Tokens,
}

const DIRECTIVES: &[(&str, Kind)] = &[
  ("default-src", Kind::Sources),
  ("script-src", Kind::Sources),
  ("script-src-elem", Kind::Sources),
  ("script-src-attr", Kind::Sources),
  ("style-src", Kind::Sources),
  ("style-src-elem", Kind::Sources),
  ("style-src-attr", Kind::Sources),
  ("img-src", Kind::Sources),
  ("font-src", Kind::Sources),
  ("connect-src", Kind::Sources),
  ("media-src", Kind::Sources),
  ("object-src", Kind::Sources),
  ("frame-src", Kind::Sources),
  ("child-src", Kind::Sources),
  ("worker-src", Kind::Sources),
  ("manifest-src", Kind::Sources),
  ("base-uri", Kind::Sources),
  ("form-action", Kind::Sources),
  ("frame-ancestors", Kind::Ancestors),
  ("sandbox", Kind::Sandbox),
  ("report-uri", Kind::Uris),
  ("require-trusted-types-for", Kind::Tokens),
  ("trusted-types", Kind::Tokens),
];

const KEYWORDS: &[&str] = &[
  "'self'",
  "'none'",
  "'unsafe-inline'",
  "'unsafe-eval'",
  "'strict-dynamic'",
  "'unsafe-hashes'",
  "'report-sample'",
  "'wasm-unsafe-eval'",
  "'inline-speculation-rules'",
];

const SANDBOX_FLAGS: &[&str] = &[
  "allow-downloads",
  "allow-forms",
  "allow-modals",
  "allow-orientation-lock",
  "allow-pointer-lock",
  "allow-popups",
  "allow-popups-to-escape-sandbox",
  "allow-presentation",
  "allow-same-origin",
  "allow-scripts",
  "allow-storage-access-by-user-activation",
  "allow-top-navigation",
  "allow-top-navigation-by-user-activation",
  "allow-top-navigation-to-custom-protocols",
];

/// 128 bits, as CSP3 asks of a nonce.
const NONCE_BYTES: usize = 16;

fn refuse(detail: String) -> Error {
  Error::new(ErrorCode::InvalidCsp, detail)
}

fn kind_of(name: &str) -> Result<Kind, Error> {
  DIRECTIVES
    .iter()
    .find(|(n, _)| *n == name)
    .map(|(_, k)| *k)
    .ok_or_else(|| {
      refuse(format!(
        "Unknown CSP directive {:?}; use report-to and upgrade-insecure-requests through their own methods",
        name.escape_debug().to_string()
      ))
    })
}

fn is_base64(s: &str) -> bool {
  !s.is_empty()
    && s
      .bytes()
      .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'='))
}

/// Characters a source may never contain: they would end the directive or the policy, or the
/// header itself.
fn breaks_header(s: &str) -> bool {
  s.bytes().any(|b| {
    matches!(b, b';' | b',' | b'"' | b'\\')
      || b.is_ascii_whitespace()
      || b.is_ascii_control()
      || b >= 0x80
  })
}

fn valid_host_source(s: &str) -> bool {
  let rest = match s.find("://") {
    Some(i) => {
      let scheme = &s[..i];
      if !valid_scheme(scheme) {
        return false;
      }
      &s[i + 3..]
    }
    None => s,
  };
  let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
  let (host, port) = match authority.rfind(':') {
    Some(i) => (&authority[..i], Some(&authority[i + 1..])),
    None => (authority, None),
  };
  let host_ok = host == "*" || {
    let labels = host.strip_prefix("*.").unwrap_or(host);
    !labels.is_empty()
      && labels.split('.').all(|l| {
        !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
      })
  };
  let port_ok = port.is_none_or(|p| {
    p == "*" || (!p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
  });
  let path_ok = path
    .bytes()
    .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&()*+=:@/%".contains(&b));
  host_ok && port_ok && path_ok
}

fn valid_scheme(s: &str) -> bool {
  let mut bytes = s.bytes();
  bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
    && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

fn check_source(directive: &str, kind: Kind, source: &str) -> Result<(), Error> {
  let shown = || source.escape_debug().to_string();
  if source.is_empty() || source.len() > 1024 || breaks_header(source) {
    return Err(refuse(format!(
      "{directive}: {:?} is empty, too long, or contains `;`, `,`, a quote, whitespace or a control character",
      shown()
    )));
  }
  let ok = match kind {
    Kind::Sandbox => SANDBOX_FLAGS.contains(&source),
    Kind::Tokens => source
      .bytes()
      .all(|b| b.is_ascii_alphanumeric() || b"-#=_/@.%'*".contains(&b)),
    Kind::Uris => {
      source.starts_with("https://") || source.starts_with("http://") || source.starts_with('/')
    }
    Kind::Sources | Kind::Ancestors => {
      if source.starts_with('\'') {
        let allowed_keyword = match kind {
          Kind::Ancestors => matches!(source, "'self'" | "'none'"),
          _ => KEYWORDS.contains(&source),
        };
        let hash = ["'sha256-", "'sha384-", "'sha512-"].iter().any(|p| {
          source.starts_with(p) && source.ends_with('\'') && is_base64(&source[8..source.len() - 1])
        });
        if source.starts_with("'nonce-") {
          return Err(refuse(format!(
            "{directive}: a fixed nonce defeats its purpose; call nonce() to get a fresh one per response"
          )));
        }
        allowed_keyword || (hash && kind == Kind::Sources)
      } else {
        let bare = format!("'{source}'");
        if KEYWORDS.contains(&bare.as_str()) {
          return Err(refuse(format!(
            "{directive}: the keyword {source} must be quoted as {bare}; unquoted it names a host"
          )));
        }
        source == "*"
          || (source.ends_with(':') && valid_scheme(&source[..source.len() - 1]))
          || valid_host_source(source)
      }
    }
  };
  if ok {
    Ok(())
  } else {
    Err(refuse(format!(
      "{directive}: {:?} is not a valid source",
      shown()
    )))
  }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
  directives: Vec<(&'static str, Vec<String>)>,
  nonce_targets: Vec<&'static str>,
  report_only: bool,
  upgrade_insecure_requests: bool,
  report_to: Option<(String, Option<String>)>,
}

impl Default for Policy {
  /// `default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none';
  /// form-action 'self'; upgrade-insecure-requests`.
  fn default() -> Self {
    let s = |v: &str| vec![v.to_string()];
    Policy {
      directives: vec![
        ("default-src", s("'self'")),
        ("object-src", s("'none'")),
        ("base-uri", s("'self'")),
        ("frame-ancestors", s("'none'")),
        ("form-action", s("'self'")),
      ],
      nonce_targets: Vec::new(),
      report_only: false,
      upgrade_insecure_requests: true,
      report_to: None,
    }
  }
}

impl Policy {
  /// A policy with no directive at all, for building one from scratch.
  pub fn empty() -> Self {
    Policy {
      directives: Vec::new(),
      nonce_targets: Vec::new(),
      report_only: false,
      upgrade_insecure_requests: false,
      report_to: None,
    }
  }

  fn name(name: &str) -> Result<&'static str, Error> {
    kind_of(name)?;
    Ok(
      DIRECTIVES
        .iter()
        .find(|(n, _)| *n == name)
        .expect("checked")
        .0,
    )
  }

  fn checked(name: &'static str, sources: &[String]) -> Result<Vec<String>, Error> {
    let kind = kind_of(name)?;
    if sources.is_empty() && kind != Kind::Sandbox {
      return Err(refuse(format!(
        "{name} needs at least one source; use 'none' to allow nothing"
      )));
    }
    for s in sources {
      check_source(name, kind, s)?;
    }
    if sources.len() > 1 && sources.iter().any(|s| s == "'none'") {
      return Err(refuse(format!(
        "{name}: 'none' cannot be combined with other sources"
      )));
    }
    let mut out: Vec<String> = Vec::with_capacity(sources.len());
    for s in sources {
      if !out.contains(s) {
        out.push(s.clone());
      }
    }
    Ok(out)
  }

  /// Replaces the sources of `name` (adding the directive if absent). All or nothing: an invalid
  /// source leaves the policy unchanged.
  pub fn set(&mut self, name: &str, sources: &[String]) -> Result<(), Error> {
    let name = Self::name(name)?;
    let sources = Self::checked(name, sources)?;
    match self.directives.iter_mut().find(|(n, _)| *n == name) {
      Some((_, existing)) => *existing = sources,
      None => self.directives.push((name, sources)),
    }
    Ok(())
  }

  /// Adds sources to `name`. A fetch directive that is absent starts from `default-src`'s
  /// sources, which it would otherwise have inherited; `'none'` is dropped when others arrive.
  pub fn add(&mut self, name: &str, sources: &[String]) -> Result<(), Error> {
    let name = Self::name(name)?;
    let mut merged = self.effective(name);
    merged.retain(|s| s != "'none'");
    merged.extend(sources.iter().cloned());
    let merged = Self::checked(name, &merged)?;
    self.set(name, &merged)
  }

  pub fn remove(&mut self, name: &str) -> Result<(), Error> {
    let name = Self::name(name)?;
    self.directives.retain(|(n, _)| *n != name);
    self.nonce_targets.retain(|n| *n != name);
    Ok(())
  }

  /// What `name` holds now, or would inherit from `default-src` if it is a fetch directive.
  fn effective(&self, name: &str) -> Vec<String> {
    let own = self.directives.iter().find(|(n, _)| *n == name);
    let inherits = name.ends_with("-src") && name != "default-src";
    match own {
      Some((_, s)) => s.clone(),
      None if inherits => self
        .directives
        .iter()
        .find(|(n, _)| *n == "default-src")
        .map(|(_, s)| s.clone())
        .unwrap_or_default(),
      None => Vec::new(),
    }
  }

  /// Adds `'<alg>-<base64 digest>'` of `content` to `name`.
  pub fn add_hash(&mut self, name: &str, algorithm: &str, content: &[u8]) -> Result<(), Error> {
    let digest = match algorithm {
      "sha256" => STANDARD.encode_to_string(Sha256::digest(content)),
      "sha384" => STANDARD.encode_to_string(Sha384::digest(content)),
      "sha512" => STANDARD.encode_to_string(Sha512::digest(content)),
      _ => {
        return Err(refuse(format!(
          "hash algorithm must be sha256, sha384 or sha512, not {algorithm:?}"
        )))
      }
    };
    self.add(name, &[format!("'{algorithm}-{digest}'")])
  }

  /// Each rendered policy gets a fresh nonce in these directives.
  pub fn use_nonce(&mut self, names: &[String]) -> Result<(), Error> {
    let mut targets = Vec::with_capacity(names.len());
    for n in names {
      let name = Self::name(n)?;
      if kind_of(name)? != Kind::Sources || !name.ends_with("-src") {
        return Err(refuse(format!(
          "a nonce only belongs in a script or style source list, not {name}"
        )));
      }
      targets.push(name);
    }
    for t in targets {
      if !self.nonce_targets.contains(&t) {
        self.nonce_targets.push(t);
      }
    }
    Ok(())
  }

  pub fn uses_nonce(&self) -> bool {
    !self.nonce_targets.is_empty()
  }

  pub fn set_report_only(&mut self, on: bool) {
    self.report_only = on;
  }

  pub fn set_upgrade_insecure_requests(&mut self, on: bool) {
    self.upgrade_insecure_requests = on;
  }

  /// `report-to <group>`, and with an endpoint the `Reporting-Endpoints` header that defines it.
  pub fn set_report_to(&mut self, group: &str, endpoint: Option<&str>) -> Result<(), Error> {
    let group_ok = !group.is_empty()
      && group.len() <= 64
      && group
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !group_ok {
      return Err(refuse(
        "report-to: the group must be 1 to 64 of A-Z a-z 0-9 - _".into(),
      ));
    }
    if let Some(url) = endpoint {
      check_source("report-to", Kind::Uris, url)?;
      if !url.starts_with("https://") && !url.starts_with("http://") {
        return Err(refuse(
          "report-to: the endpoint must be an absolute http(s) URL".into(),
        ));
      }
    }
    self.report_to = Some((group.to_string(), endpoint.map(str::to_string)));
    Ok(())
  }

  pub fn header_name(&self) -> &'static str {
    if self.report_only {
      "Content-Security-Policy-Report-Only"
    } else {
      "Content-Security-Policy"
    }
  }

  /// `Reporting-Endpoints` value when `report_to` named an endpoint.
  pub fn reporting_endpoints(&self) -> Option<String> {
    match &self.report_to {
      Some((group, Some(url))) => Some(format!("{group}=\"{url}\"")),
      _ => None,
    }
  }

  /// The header value cut at each nonce slot: join the parts with the nonce to get the value.
  /// Without nonce targets there is one part, the whole value.
  pub fn template(&self) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut directives = self.directives.clone();
    for target in &self.nonce_targets {
      if !directives.iter().any(|(n, _)| n == target) {
        let mut inherited = self.effective(target);
        inherited.retain(|s| s != "'none'");
        directives.push((target, inherited));
      }
    }
    let mut first = true;
    let mut push = |parts: &mut Vec<String>, text: &str| {
      let last = parts.last_mut().expect("never empty");
      if !first {
        last.push_str("; ");
      }
      first = false;
      last.push_str(text);
    };
    for (name, sources) in &directives {
      let mut text = name.to_string();
      for s in sources {
        text.push(' ');
        text.push_str(s);
      }
      push(&mut parts, &text);
      if self.nonce_targets.contains(name) {
        parts.last_mut().expect("never empty").push_str(" 'nonce-");
        parts.push("'".to_string());
      }
    }
    if let Some((group, _)) = &self.report_to {
      push(&mut parts, &format!("report-to {group}"));
    }
    // Browsers ignore this directive in a report-only policy and warn about it.
    if self.upgrade_insecure_requests && !self.report_only {
      push(&mut parts, "upgrade-insecure-requests");
    }
    parts
  }

  pub fn render(&self, nonce: &str) -> String {
    self.template().join(nonce)
  }
}

/// A fresh nonce: 128 random bits in base64.
pub fn nonce() -> String {
  let mut raw = [0u8; NONCE_BYTES];
  rand::rng().fill_bytes(&mut raw);
  STANDARD.encode_to_string(raw)
}

#[cfg(test)]
#[path = "csp_tests.rs"]
mod tests;
