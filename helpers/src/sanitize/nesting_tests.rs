//! Unit tests of `nesting.rs`.

use super::*;

fn depth_of(html: &str) -> usize {
  let mut pass = Pass {
    bytes: html.as_bytes(),
    out: Vec::new(),
    open: Vec::new(),
    dropped: Vec::new(),
    max: usize::MAX,
    changed: false,
  };
  let mut deepest = 0;
  let b = html.as_bytes();
  let mut i = 0;
  while i < b.len() {
    match b[i..].iter().position(|&c| c == b'<') {
      None => break,
      Some(p) => i = pass.markup(i + p),
    }
    deepest = deepest.max(pass.open.len());
  }
  deepest
}

#[test]
fn documents_within_the_bound_pass_unchanged() {
  let lists = "<ul><li>a<li>b<ul><li>c</ul></ul>".repeat(500);
  let paragraphs = "<p>one<p>two<div>three</div>".repeat(500);
  let table = "<table><tr><td>a<td>b<tr><td>c</table>".repeat(300);
  let raw = "<script>if (a < b) { x('<div>') }</script><textarea><div><div></textarea>".repeat(300);
  for doc in [&lists, &paragraphs, &table, &raw] {
    assert!(matches!(bound_nesting(doc, 16), Cow::Borrowed(_)));
  }
}

#[test]
fn deeper_nesting_is_flattened_and_its_end_tags_go_too() {
  let doc = format!("{}x{}", "<div>".repeat(10), "</div>".repeat(10));
  let out = bound_nesting(&doc, 4);
  assert_eq!(out, format!("{}x{}", "<div>".repeat(4), "</div>".repeat(4)));
  let mixed = format!(
    "{}y{}",
    "<ul><li><blockquote>".repeat(50),
    "</blockquote></li></ul>".repeat(50)
  );
  assert!(depth_of(&bound_nesting(&mixed, 8)) <= 8);
}

#[test]
fn raw_text_and_comments_do_not_count_but_a_dropped_raw_element_is_read_as_markup() {
  let doc = format!(
    "<div><!--{}--><script>{}</script></div>",
    "<div>".repeat(50),
    "<div>".repeat(50)
  );
  assert!(matches!(bound_nesting(&doc, 4), Cow::Borrowed(_)));
  let deep = format!(
    "{}<script>{}</script>",
    "<div>".repeat(4),
    "<div>".repeat(50)
  );
  assert!(depth_of(&bound_nesting(&deep, 4)) <= 4);
}

#[test]
fn odd_input_is_handled() {
  for doc in [
    "<",
    "<<<<",
    "</",
    "<div",
    "<div a=\">",
    "< div>",
    "<1>",
    "<!",
    "<!--",
    "<?x",
    "é<b>ü</b>",
  ] {
    let many = doc.repeat(300);
    let out = bound_nesting(&many, 8);
    assert!(out.len() <= many.len(), "{doc}");
  }
}
