//! A bound on element nesting, applied to HTML before the parser sees it. html5ever, like every
//! spec parser, checks the stack of open elements on each tag ("has an element in scope"), so a
//! document of n nested elements costs O(n²): 1 MB of `<div>` took over two minutes. Deeper than
//! MAX_NESTING (Blink stops nesting at 512 too; no real document comes near), start tags are
//! dropped with their matching end tags, so their content joins the element around them.
//!
//! This pass only decides which tags to drop; the sanitiser still parses and cleans whatever it
//! passes on, so an imperfect guess at the HTML rules costs structure past the bound, never
//! safety. Input whose open-element count never passes the bound is passed on unchanged.

use std::borrow::Cow;

/// The deepest nesting passed on.
pub const MAX_NESTING: usize = 256;

/// Elements that never hold content.
const VOID: &[&str] = &[
  "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
  "source", "track", "wbr",
];

/// Elements whose content is text up to their end tag, not markup.
const RAW_TEXT: &[&str] = &[
  "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Start tags that end an open element implicitly: (tag, ends these, searching down to these).
const IMPLIED_ENDS: &[(&[&str], &[&str], &[&str])] = &[
  (&["li"], &["li"], &["ul", "ol", "menu"]),
  (&["dt", "dd"], &["dt", "dd"], &["dl"]),
  (
    &["option"],
    &["option"],
    &["select", "datalist", "optgroup"],
  ),
  (&["optgroup"], &["optgroup", "option"], &["select"]),
  (
    &["tr"],
    &["tr", "td", "th"],
    &["table", "tbody", "thead", "tfoot"],
  ),
  (&["td", "th"], &["td", "th"], &["tr", "table"]),
  (
    &["thead", "tbody", "tfoot"],
    &["thead", "tbody", "tfoot", "tr", "td", "th"],
    &["table"],
  ),
  (&["rp", "rt"], &["rp", "rt"], &["ruby"]),
];

/// Block start tags that end an open `p` directly above them.
const ENDS_A_PARAGRAPH: &[&str] = &[
  "address",
  "article",
  "aside",
  "blockquote",
  "details",
  "div",
  "dl",
  "fieldset",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "ul",
];

/// `html` with no element nested deeper than `max`; borrowed when nothing had to go.
pub fn bound_nesting(html: &str, max: usize) -> Cow<'_, str> {
  // Fewer tags than the bound cannot pass it.
  if html.bytes().filter(|&b| b == b'<').count() <= max {
    return Cow::Borrowed(html);
  }
  let mut pass = Pass {
    bytes: html.as_bytes(),
    out: Vec::new(),
    open: Vec::new(),
    dropped: Vec::new(),
    max,
    changed: false,
  };
  pass.run();
  if !pass.changed {
    return Cow::Borrowed(html);
  }
  // Only whole tags were left out, each from `<` to its `>`, so the rest is still UTF-8.
  Cow::Owned(String::from_utf8(pass.out).unwrap_or_default())
}

struct Pass<'a> {
  bytes: &'a [u8],
  out: Vec<u8>,
  /// Open elements, lower-cased names, at most `max`.
  open: Vec<String>,
  /// Start tags left out and not yet matched by an end tag: (name, count).
  dropped: Vec<(String, usize)>,
  max: usize,
  changed: bool,
}

impl Pass<'_> {
  fn run(&mut self) {
    let b = self.bytes;
    let mut i = 0;
    while i < b.len() {
      let Some(lt) = b[i..].iter().position(|&c| c == b'<').map(|p| p + i) else {
        self.out.extend_from_slice(&b[i..]);
        return;
      };
      self.out.extend_from_slice(&b[i..lt]);
      i = self.markup(lt);
    }
  }

  /// Handles what starts at the `<` at `at`; returns where to go on.
  fn markup(&mut self, at: usize) -> usize {
    let b = self.bytes;
    let rest = &b[at..];
    if rest.starts_with(b"<!--") {
      let end = find(b, at + 4, b"-->").map_or(b.len(), |e| e + 3);
      self.out.extend_from_slice(&b[at..end]);
      return end;
    }
    if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
      let end = find(b, at, b">").map_or(b.len(), |e| e + 1);
      self.out.extend_from_slice(&b[at..end]);
      return end;
    }
    let (closing, name_at) = if rest.starts_with(b"</") {
      (true, at + 2)
    } else {
      (false, at + 1)
    };
    if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
      // Not a tag: a `<` in text.
      self.out.push(b'<');
      return at + 1;
    }
    let name_end = name_at
      + b[name_at..]
        .iter()
        .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
        .unwrap_or(b.len() - name_at);
    let name = String::from_utf8_lossy(&b[name_at..name_end]).to_ascii_lowercase();
    let end = tag_end(b, name_end);
    if closing {
      self.end_tag(&name, &b[at..end]);
    } else {
      return self.start_tag(name, at, end);
    }
    end
  }

  fn end_tag(&mut self, name: &str, tag: &[u8]) {
    if let Some(d) = self.dropped.iter_mut().find(|(n, c)| n == name && *c > 0) {
      d.1 -= 1;
      self.changed = true;
      return;
    }
    if let Some(pos) = self.open.iter().rposition(|n| n == name) {
      self.open.truncate(pos);
    }
    self.out.extend_from_slice(tag);
  }

  fn start_tag(&mut self, name: String, at: usize, end: usize) -> usize {
    let b = self.bytes;
    if VOID.contains(&name.as_str()) {
      self.out.extend_from_slice(&b[at..end]);
      return end;
    }
    self.end_implied(&name);
    if self.open.len() >= self.max {
      match self.dropped.iter_mut().find(|(n, _)| *n == name) {
        Some(d) => d.1 += 1,
        None => self.dropped.push((name, 1)),
      }
      self.changed = true;
      // A dropped raw-text element's content is read as markup, so it is bounded too.
      return end;
    }
    self.out.extend_from_slice(&b[at..end]);
    if name == "plaintext" {
      self.out.extend_from_slice(&b[end..]);
      return b.len();
    }
    let raw = RAW_TEXT.contains(&name.as_str());
    self.open.push(name);
    if raw {
      // Text up to the matching end tag, which the next step handles.
      let close = find_end_tag(b, end, self.open.last().map_or("", String::as_str));
      self.out.extend_from_slice(&b[end..close]);
      return close;
    }
    end
  }

  /// Ends the open elements a start tag `name` ends by the HTML rules (approximately).
  fn end_implied(&mut self, name: &str) {
    if ENDS_A_PARAGRAPH.contains(&name) && self.open.last().is_some_and(|n| n == "p") {
      self.open.pop();
    }
    let Some((_, ends, bounds)) = IMPLIED_ENDS
      .iter()
      .find(|(tags, _, _)| tags.contains(&name))
    else {
      return;
    };
    for pos in (0..self.open.len()).rev() {
      let open = self.open[pos].as_str();
      if bounds.contains(&open) {
        return;
      }
      if ends.contains(&open) {
        self.open.truncate(pos);
        return;
      }
    }
  }
}

/// Where a tag whose name ends at `from` ends: after its `>` (quoted attribute values may hold
/// one), or the end of input.
fn tag_end(b: &[u8], from: usize) -> usize {
  let mut quote = None;
  for (i, &c) in b.iter().enumerate().skip(from) {
    match (quote, c) {
      (None, b'"' | b'\'') => quote = Some(c),
      (Some(q), _) if c == q => quote = None,
      (None, b'>') => return i + 1,
      _ => {}
    }
  }
  b.len()
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
  b.get(from..)?
    .windows(needle.len())
    .position(|w| w == needle)
    .map(|p| p + from)
}

/// The start of `</name` (any case) at or after `from`, or the end of input.
fn find_end_tag(b: &[u8], from: usize, name: &str) -> usize {
  let n = name.len();
  let mut i = from;
  while let Some(p) = find(b, i, b"</") {
    let candidate = &b[p + 2..];
    if candidate.len() >= n
      && candidate[..n].eq_ignore_ascii_case(name.as_bytes())
      && candidate
        .get(n)
        .is_none_or(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
    {
      return p;
    }
    i = p + 2;
  }
  b.len()
}

#[cfg(test)]
#[path = "nesting_tests.rs"]
mod tests;
