//! Unit tests of `reader.rs`, beside it as every module's are.

use super::*;

fn skip_all(json: &str) -> Option<()> {
  let mut r = Reader::new(json.as_bytes())?;
  r.skip()?;
  r.end()
}

#[test]
fn skip_accepts_exactly_what_serde_json_accepts() {
  let docs = [
    "1",
    "-0",
    "0.5",
    "1e5",
    "1E+5",
    "1e-5",
    "-1.5e10",
    "01",
    "1.",
    ".5",
    "-",
    "+1",
    "1e",
    "0x1",
    "NaN",
    "true",
    "false",
    "null",
    "nul",
    "truee",
    "\"\"",
    "\"a\\\"b\"",
    "\"\\u00e9\"",
    "\"\\u12\"",
    "\"\\q\"",
    "\"\t\"",
    "[]",
    "[1,2]",
    "[1,]",
    "[,1]",
    "[1 2]",
    "{}",
    "{\"a\":1}",
    "{\"a\":1,}",
    "{\"a\"}",
    "{1:2}",
    "{\"a\":[{\"b\":[]}],\"c\":{}}",
    "[[[[]]]]",
    "[[[[]]]",
    "[]]",
    "{\"a\":1}}",
    " [ 1 , { \"x\" : null } ] ",
    "\"\\ud800\"",
    "[\"\\udc00\\ud800\"]",
    "",
  ];
  for doc in docs {
    let reference = serde_json::from_str::<serde::de::IgnoredAny>(doc).is_ok();
    assert_eq!(skip_all(doc).is_some(), reference, "{doc:?}");
  }
}

#[test]
fn skip_handles_nesting_deeper_than_any_stack() {
  let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
  assert!(skip_all(&deep).is_some());
  let deep_objects = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
  assert!(skip_all(&deep_objects).is_some());
  assert!(skip_all(&"[".repeat(100_000)).is_none());
}

#[test]
fn strings_of_every_length_agree_with_serde_json_whatever_sits_at_each_position() {
  // Around the switch from the byte loop to the SIMD search: a control character, an escape or
  // an early quote at every position of strings up to 80 bytes, and unterminated strings.
  for len in 0..80 {
    for at in 0..=len {
      for odd in [
        "\u{1}", "\u{1f}", "\\n", "\\u00e9", "\"", "\\", "\u{7f}", "é",
      ] {
        let body: String = (0..len)
          .map(|i| if i == at { odd.to_string() } else { "x".into() })
          .collect();
        for json in [format!("\"{body}\""), format!("\"{body}")] {
          let ours = Reader::new(json.as_bytes()).and_then(|mut r| {
            let s = r.string()?.as_str().to_owned();
            r.end().map(|()| s)
          });
          let reference = serde_json::from_str::<String>(&json).ok();
          assert_eq!(ours, reference, "{json:?}");
        }
      }
    }
  }
}

#[test]
fn strings_borrow_unless_escaped() {
  let mut r = Reader::new(br#""plain""#).unwrap();
  assert!(matches!(r.string().unwrap().0, Cow::Borrowed("plain")));
  let mut r = Reader::new(br#""a\nb\u00e9\ud83d\ude00\/""#).unwrap();
  assert_eq!(r.string().unwrap().as_str(), "a\nb\u{e9}\u{1f600}/");
}

#[test]
fn numbers_follow_the_grammar_and_stay_finite() {
  for (doc, want) in [
    ("0", Some(0.0)),
    ("-1.5e2", Some(-150.0)),
    ("1e400", None),
    ("01", None),
    ("1.", None),
  ] {
    let mut r = Reader::new(doc.as_bytes()).unwrap();
    let got = r.number().and_then(|n| r.end().map(|_| n));
    assert_eq!(got, want, "{doc}");
  }
}
