//! JS option objects to the core's untyped option lists. Types are only described here; the core
//! decides what is acceptable.

use auth_shield_core::config::{RawConfig, Value};
use auth_shield_core::error::Error;
use napi::bindgen_prelude::{FromNapiValue, JsObjectValue, Object, Uint8Array};
use napi::{JsValue, Unknown, ValueType};

/// The authenticator's configuration: required, an object.
pub(crate) fn read(config: &Unknown) -> Result<RawConfig, Error> {
  if !is_plain_object(config) {
    return Err(Error::config(
      "The configuration must be an object such as { accessSecret }",
    ));
  }
  entries(config)
}

/// A helper's optional options: `undefined`/`null` mean all defaults.
pub(crate) fn read_options(options: &Unknown, what: &str) -> Result<RawConfig, Error> {
  match options.get_type() {
    Ok(ValueType::Undefined | ValueType::Null) => Ok(RawConfig::new()),
    _ if is_plain_object(options) => entries(options),
    _ => Err(Error::config(format!(
      "The {what} options must be an object"
    ))),
  }
}

fn is_plain_object(value: &Unknown) -> bool {
  value.get_type().ok() == Some(ValueType::Object) && !value.is_array().unwrap_or(true)
}

fn entries(value: &Unknown) -> Result<RawConfig, Error> {
  let object = Object::from_unknown(*value).map_err(|_| unreadable("the options"))?;
  let names = Object::keys(&object).map_err(|_| unreadable("the options"))?;
  let mut raw = RawConfig::with_capacity(names.len());
  for name in names {
    let value: Unknown = object
      .get_named_property(&name)
      .map_err(|_| unreadable(&name))?;
    if let Some(v) = describe(&value, Depth::OPTION).map_err(|_| unreadable(&name))? {
      raw.push((name, v));
    }
  }
  Ok(raw)
}

fn unreadable(what: &str) -> Error {
  Error::config(format!("`{what}` could not be read"))
}

/// How deep a value sits. Options hold lists and objects (key lists, JWK Sets, allow-lists), which
/// may hold more of them, down to a bound that no real configuration reaches.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Depth(u8);

impl Depth {
  pub(crate) const OPTION: Depth = Depth(0);
  const MAX: u8 = 4;

  fn inner(self) -> Depth {
    Depth(self.0 + 1)
  }
}

/// `None` for `undefined`/`null`, which mean "use the default".
pub(crate) fn describe(value: &Unknown, depth: Depth) -> napi::Result<Option<Value>> {
  let nested_ok = depth.0 < Depth::MAX;
  Ok(Some(match value.get_type()? {
    ValueType::Undefined | ValueType::Null => return Ok(None),
    ValueType::Boolean => Value::Bool(bool::from_unknown(*value)?),
    ValueType::Number => Value::Number(f64::from_unknown(*value)?),
    ValueType::String => Value::String(String::from_unknown(*value)?),
    ValueType::Object if value.is_typedarray()? || value.is_buffer()? => {
      match Uint8Array::from_unknown(*value) {
        Ok(bytes) => Value::Bytes(bytes.to_vec()),
        Err(_) => Value::Other("a typed array other than Uint8Array"),
      }
    }
    ValueType::Object if nested_ok && value.is_array()? => {
      let array = Object::from_unknown(*value)?;
      let len = array.get_array_length()?;
      let mut items = Vec::with_capacity(len as usize);
      for i in 0..len {
        let item: Unknown = array.get_element(i)?;
        items.push(describe(&item, depth.inner())?.unwrap_or(Value::Other("null or undefined")));
      }
      Value::List(items)
    }
    ValueType::Object if value.is_array()? => Value::Other("an array nested too deeply"),
    ValueType::Object if nested_ok => {
      let object = Object::from_unknown(*value)?;
      let mut map = Vec::new();
      for name in Object::keys(&object)? {
        let v: Unknown = object.get_named_property(&name)?;
        let v = describe(&v, depth.inner())?.unwrap_or(Value::Other("null or undefined"));
        map.push((name, v));
      }
      Value::Map(map)
    }
    ValueType::Object => Value::Other("an object nested too deeply"),
    ValueType::Function => Value::Other("a function"),
    ValueType::Symbol => Value::Other("a symbol"),
    _ => Value::Other("an unsupported value"),
  }))
}

/// An optional lifetime option: seconds, or a string such as `"15m"` (see `core::tokens`).
pub(crate) fn duration(value: &Unknown, name: &str) -> Result<Option<u64>, Error> {
  match describe(value, Depth(Depth::MAX)).map_err(|_| unreadable(name))? {
    None => Ok(None),
    Some(v) => auth_shield_core::lifecycle::signing::lifetime(&v, name).map(Some),
  }
}
