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
#[path = "html_tests.rs"]
mod tests;
