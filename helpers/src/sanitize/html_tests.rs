//! Unit tests of `html.rs`.

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
