//! Option objects as the caller gave them, and the typed readers every validated configuration
//! (authenticator, password hashing, one-time codes, sanitisers) is built with. Each reader names
//! the option at fault and never coerces.

use crate::error::{Error, ErrorCode};
use zeroize::Zeroizing;

/// A configuration value as the caller gave it, before validation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
  Bool(bool),
  Number(f64),
  String(String),
  Bytes(Vec<u8>),
  List(Vec<Value>),
  /// A plain object one level below the options, e.g. `{ a: ['href'] }`.
  Map(Vec<(String, Value)>),
  /// Anything else, by its JS type name.
  Other(&'static str),
}

/// A boolean option and its default, as declared in contract/options.json.
pub struct Flag {
  pub name: &'static str,
  pub default: bool,
}

/// A whole-number option, its bounds and its default.
pub struct Whole {
  pub name: &'static str,
  pub min: f64,
  pub max: f64,
  pub default: f64,
}

/// A whole-number option that is off unless given, and its bounds.
pub struct OptionalWhole {
  pub name: &'static str,
  pub min: f64,
  pub max: f64,
}

/// A number option above 0, its upper bound and its default.
pub struct Positive {
  pub name: &'static str,
  pub max: f64,
  pub default: f64,
}

/// Options by name; absent (`undefined`/`null`) options are simply not listed.
pub type RawConfig = Vec<(String, Value)>;

/// Options by name, taken one at a time; whatever is left over is unknown.
pub struct Options(pub RawConfig);

pub fn kind(v: &Value) -> &'static str {
  match v {
    Value::Bool(_) => "a boolean",
    Value::Number(_) => "a number",
    Value::String(_) => "a string",
    Value::Bytes(_) => "a Buffer",
    Value::List(_) => "an array",
    Value::Map(_) => "an object",
    Value::Other(t) => t,
  }
}

pub fn wrong(name: &str, want: &str, got: &Value) -> Error {
  Error::config(format!("`{name}` must be {want}, not {}", kind(got)))
}

impl Options {
  pub fn take(&mut self, name: &str) -> Option<Value> {
    let i = self.0.iter().position(|(n, _)| n == name)?;
    Some(self.0.swap_remove(i).1)
  }

  pub fn bool(&mut self, name: &str, default: bool) -> Result<bool, Error> {
    match self.take(name) {
      None => Ok(default),
      Some(Value::Bool(b)) => Ok(b),
      Some(v) => Err(wrong(name, "a boolean", &v)),
    }
  }

  pub fn number(&mut self, name: &str, default: f64) -> Result<f64, Error> {
    match self.take(name) {
      None => Ok(default),
      Some(Value::Number(n)) if n.is_finite() => Ok(n),
      Some(v) => Err(wrong(name, "a finite number", &v)),
    }
  }

  pub fn integer(&mut self, name: &str, min: f64, max: f64, default: f64) -> Result<f64, Error> {
    let n = self.number(name, default)?;
    if n.fract() != 0.0 || n < min || n > max {
      return Err(Error::config(format!(
        "`{name}` must be a whole number from {min} to {max}, not {n}"
      )));
    }
    Ok(n)
  }

  pub fn positive(&mut self, name: &str, max: f64, default: f64) -> Result<f64, Error> {
    let n = self.number(name, default)?;
    if n <= 0.0 || n > max {
      return Err(Error::config(format!(
        "`{name}` must be greater than 0 and at most {max}, not {n}"
      )));
    }
    Ok(n)
  }

  /// One string or a non-empty array of non-empty strings.
  pub fn strings(&mut self, name: &str) -> Result<Vec<String>, Error> {
    let list = match self.take(name) {
      None => return Ok(Vec::new()),
      Some(Value::String(s)) => vec![Value::String(s)],
      Some(Value::List(items)) if !items.is_empty() => items,
      Some(v) => return Err(wrong(name, "a string or a non-empty array of strings", &v)),
    };
    list
      .into_iter()
      .map(|v| match v {
        Value::String(s) if !s.is_empty() => Ok(s),
        v => Err(wrong(name, "made of non-empty strings", &v)),
      })
      .collect()
  }

  pub fn secret(
    &mut self,
    name: &str,
    min_len: usize,
    allow_weak: bool,
  ) -> Result<Option<Zeroizing<Vec<u8>>>, Error> {
    let bytes = Zeroizing::new(match self.take(name) {
      None => return Ok(None),
      Some(Value::String(s)) => s.into_bytes(),
      Some(Value::Bytes(b)) => b,
      Some(v) => return Err(wrong(name, "a string or a Buffer", &v)),
    });
    if bytes.is_empty() {
      return Err(Error::config(format!("`{name}` must not be empty")));
    }
    // RFC 7518 §3.2: an HMAC key shorter than the hash output is refused.
    if bytes.len() < min_len && !allow_weak {
      return Err(Error::new(
        ErrorCode::WeakSecret,
        format!(
          "`{name}` is {} bytes; the configured algorithms need at least {min_len} (RFC 7518 §3.2). \
           Use a longer random secret, or set `allowWeakSecrets: true` to accept it",
          bytes.len()
        ),
      ));
    }
    Ok(Some(bytes))
  }
}

impl Options {
  pub fn flag(&mut self, spec: &Flag) -> Result<bool, Error> {
    self.bool(spec.name, spec.default)
  }

  pub fn whole(&mut self, spec: &Whole) -> Result<f64, Error> {
    self.integer(spec.name, spec.min, spec.max, spec.default)
  }

  pub fn optional_whole(&mut self, spec: &OptionalWhole) -> Result<Option<f64>, Error> {
    if !self.0.iter().any(|(n, _)| n == spec.name) {
      return Ok(None);
    }
    self.integer(spec.name, spec.min, spec.max, 0.0).map(Some)
  }

  pub fn above_zero(&mut self, spec: &Positive) -> Result<f64, Error> {
    self.positive(spec.name, spec.max, spec.default)
  }

  /// Refuses the first option not in `known`, listing the known ones.
  pub fn refuse_unknown(&self, known: &[&str]) -> Result<(), Error> {
    match self.0.iter().find(|(n, _)| !known.contains(&n.as_str())) {
      Some((name, _)) => Err(Error::config(format!(
        "Unknown option `{name}`; known options are: {}",
        known.join(", ")
      ))),
      None => Ok(()),
    }
  }
}
