//! Unit tests of `filename.rs`.

use super::*;

fn s(name: &str) -> Result<String, Error> {
  FilenamePolicy::default().sanitize(name)
}

#[test]
fn paths_and_traversal_are_flattened() {
  assert_eq!(s("../../etc/passwd").unwrap(), ".._.._etc_passwd");
  assert_eq!(s("..\\..\\win.ini").unwrap(), ".._.._win.ini");
  assert_eq!(s("/abs/path.txt").unwrap(), "_abs_path.txt");
  assert_eq!(s("a//b").unwrap(), "a_b");
  for only in ["..", ".", "...", "/", "  ", "", "\u{0}", "\u{202E}"] {
    assert_eq!(
      s(only).unwrap_err().code,
      ErrorCode::InvalidFilename,
      "{only:?}"
    );
  }
}

#[test]
fn windows_rules() {
  assert_eq!(s("CON").unwrap(), "_CON");
  assert_eq!(s("con.txt").unwrap(), "_con.txt");
  assert_eq!(s("lpt9.tar.gz").unwrap(), "_lpt9.tar.gz");
  assert_eq!(s("console.txt").unwrap(), "console.txt");
  assert_eq!(s("report.pdf. . ").unwrap(), "report.pdf");
  assert_eq!(s("a<b>c:d\"e|f?g*h").unwrap(), "a_b_c_d_e_f_g_h");
}

#[test]
fn control_and_direction_characters_go() {
  assert_eq!(s("in\u{202E}fdp.exe").unwrap(), "in_fdp.exe");
  assert_eq!(s("a\nb\u{7}c\u{200B}d").unwrap(), "a_b_c_d");
  assert_eq!(s("résumé 2024.pdf").unwrap(), "résumé 2024.pdf");
  assert_eq!(s(".env").unwrap(), ".env");
}

#[test]
fn length_is_bounded_in_bytes_keeping_the_extension() {
  let long = format!("{}.jpeg", "é".repeat(300));
  let out = s(&long).unwrap();
  assert!(out.len() <= 255 && out.ends_with(".jpeg"), "{}", out.len());
  assert!(out.starts_with('é'));
  let huge = "x".repeat(1 << 20);
  assert_eq!(s(&huge).unwrap().len(), 255);
}

#[test]
fn options() {
  let p = FilenamePolicy::from_raw(vec![
    ("replacement".into(), Value::String("-".into())),
    ("maxBytes".into(), Value::Number(10.0)),
    ("fallback".into(), Value::String("upload".into())),
  ])
  .unwrap();
  assert_eq!(p.sanitize("a/b").unwrap(), "a-b");
  assert_eq!(p.sanitize("..").unwrap(), "upload");
  assert_eq!(p.sanitize("abcdefghijkl.txt").unwrap(), "abcdef.txt");
  let empty =
    FilenamePolicy::from_raw(vec![("replacement".into(), Value::String(String::new()))]).unwrap();
  assert_eq!(empty.sanitize("a/b").unwrap(), "ab");
  assert_eq!(empty.sanitize("nul").unwrap(), "_nul");
  for (name, v) in [
    ("replacement", Value::String("/".into())),
    ("replacement", Value::String(".".into())),
    ("fallback", Value::String("../x".into())),
    ("fallback", Value::String("CON".into())),
    ("maxBytes", Value::Number(0.0)),
    ("max", Value::Number(1.0)),
  ] {
    let e = FilenamePolicy::from_raw(vec![(name.into(), v)]).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidConfig, "{name}");
  }
}
