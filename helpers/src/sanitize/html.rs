//! HTML sanitising on ammonia (html5ever parsing, allow-lists). The allow-lists may be narrowed or
//! widened, but never to something ammonia cannot make safe: script and style content, event
//! handler attributes, `srcdoc`, and `javascript:`/`vbscript:` URLs are refused at configuration.

use ammonia::{Builder, UrlRelative};
use auth_shield_core::error::Error;
use auth_shield_core::options::{wrong, Options, RawConfig, Value};
use std::collections::{HashMap, HashSet};

use auth_shield_core::contract::helper_option::sanitize_html_options as opt;

const DEFAULT_LINK_REL: &str = opt::LINK_REL_DEFAULT;

#[derive(Debug, Clone, PartialEq)]
pub struct HtmlPolicy {
  tags: Option<Vec<String>>,
  /// `Some` replaces ammonia's attribute lists entirely: `*` holds attributes allowed on any tag.
  attributes: Option<Vec<(String, Vec<String>)>>,
  schemes: Option<Vec<String>>,
  link_rel: Option<String>,
  relative_urls: bool,
  strip_comments: bool,
}

impl Default for HtmlPolicy {
  fn default() -> Self {
    HtmlPolicy {
      tags: None,
      attributes: None,
      schemes: None,
      link_rel: Some(DEFAULT_LINK_REL.into()),
      relative_urls: true,
      strip_comments: true,
    }
  }
}

impl HtmlPolicy {
  pub fn from_raw(raw: RawConfig) -> Result<HtmlPolicy, Error> {
    let mut opts = Options(raw);
    opts.refuse_unknown(opt::NAMES)?;
    let tags = match opts.take(opt::ALLOWED_TAGS) {
      None => None,
      Some(v) => Some(names("allowedTags", v)?),
    };
    if let Some(bad) = tags
      .iter()
      .flatten()
      .find(|t| matches!(t.as_str(), "script" | "style"))
    {
      return Err(Error::config(format!(
        "`allowedTags` may not contain \"{bad}\": its content cannot be made safe"
      )));
    }
    let attributes = match opts.take(opt::ALLOWED_ATTRIBUTES) {
      None => None,
      Some(Value::Map(entries)) => {
        let mut out = Vec::with_capacity(entries.len());
        for (tag, list) in entries {
          let tag = tag.to_ascii_lowercase();
          if tag != "*" && !is_name(&tag) {
            return Err(Error::config(format!(
              "`allowedAttributes` has a bad tag name \"{tag}\""
            )));
          }
          if matches!(tag.as_str(), "script" | "style") {
            return Err(Error::config(format!(
              "`allowedAttributes` may not name \"{tag}\""
            )));
          }
          let attrs = names(&format!("allowedAttributes.{tag}"), list)?;
          if let Some(bad) = attrs.iter().find(|a| a.starts_with("on") || *a == "srcdoc") {
            return Err(Error::config(format!(
              "`allowedAttributes.{tag}` may not contain \"{bad}\": it can run script"
            )));
          }
          out.push((tag, attrs));
        }
        Some(out)
      }
      Some(v) => {
        return Err(wrong(
          "allowedAttributes",
          "an object such as { a: ['href'], '*': ['title'] }",
          &v,
        ))
      }
    };
    let schemes = match opts.take(opt::ALLOWED_SCHEMES) {
      None => None,
      Some(v) => Some(names("allowedSchemes", v)?),
    };
    if let Some(bad) = schemes
      .iter()
      .flatten()
      .find(|s| matches!(s.as_str(), "javascript" | "vbscript"))
    {
      return Err(Error::config(format!(
        "`allowedSchemes` may not contain \"{bad}\""
      )));
    }
    let link_rel = match opts.take(opt::LINK_REL) {
      None => Some(DEFAULT_LINK_REL.to_string()),
      Some(Value::Bool(false)) => None,
      Some(Value::String(s))
        if !s.trim().is_empty()
          && s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-') =>
      {
        Some(s.trim().to_string())
      }
      Some(v) => {
        return Err(wrong(
          "linkRel",
          "space-separated link types such as \"noopener noreferrer\", or false",
          &v,
        ))
      }
    };
    let rel_allowed = attributes
      .iter()
      .flatten()
      .any(|(tag, attrs)| (tag == "a" || tag == "*") && attrs.iter().any(|a| a == "rel"));
    if link_rel.is_some() && rel_allowed {
      return Err(Error::config(
        "`rel` cannot be an allowed attribute while `linkRel` sets it; pass `linkRel: false` to keep authors' rel values",
      ));
    }
    Ok(HtmlPolicy {
      tags,
      attributes,
      schemes,
      link_rel,
      relative_urls: opts.flag(&opt::ALLOW_RELATIVE_URLS)?,
      strip_comments: opts.flag(&opt::STRIP_COMMENTS)?,
    })
  }

  pub fn clean(&self, html: &str) -> String {
    let mut b = Builder::default();
    if let Some(tags) = &self.tags {
      b.tags(tags.iter().map(String::as_str).collect());
    }
    if let Some(attributes) = &self.attributes {
      let mut generic = HashSet::new();
      let mut per_tag: HashMap<&str, HashSet<&str>> = HashMap::new();
      for (tag, attrs) in attributes {
        let set = attrs.iter().map(String::as_str);
        if tag == "*" {
          generic.extend(set);
        } else {
          per_tag.entry(tag.as_str()).or_default().extend(set);
        }
      }
      b.generic_attributes(generic).tag_attributes(per_tag);
    }
    if let Some(schemes) = &self.schemes {
      b.url_schemes(schemes.iter().map(String::as_str).collect());
    }
    b.link_rel(self.link_rel.as_deref())
      .url_relative(if self.relative_urls {
        UrlRelative::PassThrough
      } else {
        UrlRelative::Deny
      })
      .strip_comments(self.strip_comments);
    // Bounded first: the parser's cost grows with the square of the nesting (nesting.rs).
    b.clean(&super::nesting::bound_nesting(
      html,
      super::nesting::MAX_NESTING,
    ))
    .to_string()
  }
}

fn is_name(s: &str) -> bool {
  !s.is_empty()
    && s.len() <= 64
    && s
      .bytes()
      .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b':')
}

/// A list of tag, attribute or scheme names, lower-cased.
fn names(option: &str, value: Value) -> Result<Vec<String>, Error> {
  let Value::List(items) = value else {
    return Err(wrong(option, "an array of names", &value));
  };
  items
    .into_iter()
    .map(|v| match v {
      Value::String(s) if is_name(&s) => Ok(s.to_ascii_lowercase()),
      Value::String(s) => Err(Error::config(format!(
        "`{option}` has a bad name \"{}\"",
        s.escape_debug()
      ))),
      v => Err(wrong(option, "made of strings", &v)),
    })
    .collect()
}

#[cfg(test)]
mod tests {
  use super::*;

  fn clean(html: &str) -> String {
    HtmlPolicy::default().clean(html)
  }

  fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| Value::String(s.to_string())).collect())
  }

  #[test]
  fn scripts_handlers_and_bad_urls_are_removed() {
    assert_eq!(clean("<p>hi<script>alert(1)</script></p>"), "<p>hi</p>");
    assert_eq!(clean("<img src=x onerror=alert(1)>"), "<img src=\"x\">");
    assert_eq!(
      clean("<a href=\"javascript:alert(1)\">x</a>"),
      "<a rel=\"noopener noreferrer\">x</a>"
    );
    assert_eq!(clean("<p>a<!-- c -->b</p>"), "<p>ab</p>");
  }

  #[test]
  fn links_get_rel_noopener_noreferrer() {
    assert_eq!(
      clean("<a href=\"https://example.com\" rel=\"opener\">x</a>"),
      "<a href=\"https://example.com\" rel=\"noopener noreferrer\">x</a>"
    );
  }

  #[test]
  fn allow_lists_replace_the_defaults() {
    let p = HtmlPolicy::from_raw(vec![
      ("allowedTags".into(), list(&["b", "a"])),
      (
        "allowedAttributes".into(),
        Value::Map(vec![("a".into(), list(&["href"]))]),
      ),
      ("allowedSchemes".into(), list(&["https"])),
      ("linkRel".into(), Value::Bool(false)),
      ("allowRelativeUrls".into(), Value::Bool(false)),
    ])
    .unwrap();
    assert_eq!(p.clean("<b>x</b><i>y</i>"), "<b>x</b>y");
    assert_eq!(
      p.clean("<a href=\"http://e.com\" title=t>z</a>"),
      "<a>z</a>"
    );
    assert_eq!(p.clean("<a href=\"/rel\">z</a>"), "<a>z</a>");
    assert_eq!(
      p.clean("<a href=\"https://e.com\">z</a>"),
      "<a href=\"https://e.com\">z</a>"
    );
  }

  #[test]
  fn unsafe_allow_lists_are_refused_instead_of_panicking() {
    for raw in [
      vec![("allowedTags".into(), list(&["script"]))],
      vec![("allowedTags".into(), list(&["STYLE"]))],
      vec![("allowedTags".into(), list(&["b c"]))],
      vec![("allowedTags".into(), Value::String("b".into()))],
      vec![(
        "allowedAttributes".into(),
        Value::Map(vec![("*".into(), list(&["onclick"]))]),
      )],
      vec![(
        "allowedAttributes".into(),
        Value::Map(vec![("iframe".into(), list(&["srcdoc"]))]),
      )],
      vec![(
        "allowedAttributes".into(),
        Value::Map(vec![("script".into(), list(&["src"]))]),
      )],
      vec![(
        "allowedAttributes".into(),
        Value::Map(vec![("a".into(), list(&["rel"]))]),
      )],
      vec![("allowedAttributes".into(), list(&["href"]))],
      vec![("allowedSchemes".into(), list(&["JavaScript"]))],
      vec![("linkRel".into(), Value::String("x\" onclick=\"y".into()))],
      vec![("tags".into(), list(&["b"]))],
    ] {
      let e = HtmlPolicy::from_raw(raw.clone()).unwrap_err();
      assert_eq!(
        e.code,
        auth_shield_core::error::ErrorCode::InvalidConfig,
        "{raw:?}"
      );
    }
    let keep_rel = HtmlPolicy::from_raw(vec![
      ("linkRel".into(), Value::Bool(false)),
      (
        "allowedAttributes".into(),
        Value::Map(vec![("a".into(), list(&["href", "rel"]))]),
      ),
    ])
    .unwrap();
    assert_eq!(keep_rel.clean("<a rel=\"me\">x</a>"), "<a rel=\"me\">x</a>");
  }

  #[test]
  fn deep_nesting_costs_linear_time() {
    // Quadratic in the nesting before: 4x the nested elements took 16x the time.
    for (open, close) in [
      ("<div>", "</div>"),
      ("<ul><li>", "</li></ul>"),
      ("<dl><dd>", "</dd></dl>"),
      ("<blockquote>", "</blockquote>"),
    ] {
      let doc = |n: usize| format!("{}x{}", open.repeat(n), close.repeat(n));
      let (small, large) = (doc(2_000), doc(8_000));
      let fastest = |f: &dyn Fn()| auth_shield_core::fuzzing::fastest_nanos(3, f);
      let t_small = fastest(&|| assert!(clean(&small).contains('x')));
      let t_large = fastest(&|| assert!(clean(&large).contains('x')));
      assert!(
        t_large < t_small * 9,
        "{open}: 4x the nesting took {:.1}x the time",
        t_large as f64 / t_small as f64
      );
    }
  }

  #[test]
  fn enormous_and_odd_input_is_handled() {
    let big = "<p>".repeat(100_000) + &"x".repeat(700_000);
    assert!(clean(&big).contains("xxxx"));
    assert_eq!(
      clean("\u{0}<b>\u{FFFD}</b>"),
      "\u{FFFD}<b>\u{FFFD}</b>".replacen('\u{FFFD}', "", 1)
    );
  }
}
