//! Whether a string is a well-formed PostgreSQL interval: the verbose form (`'1 hour 30 minutes'`,
//! `'2 days 04:05:06 ago'`) or ISO 8601 durations (`'P1DT2H'`). The grammar admits only digits,
//! letters of known units, signs, `.`, `:`, `@` and spaces, so nothing that parses can carry SQL.

const MAX_LEN: usize = 128;
/// PostgreSQL keeps most fields in 32-bit integers; nine digits always fit.
const MAX_INT_DIGITS: usize = 9;
const MAX_FRACTION_DIGITS: usize = 6;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
  Millennium,
  Century,
  Decade,
  Year,
  Month,
  Week,
  Day,
  Hour,
  Minute,
  Second,
  Millisecond,
  Microsecond,
}

fn unit(word: &str) -> Option<Field> {
  Some(match word {
    "millennium" | "millennia" | "millenniums" | "mil" | "mils" => Field::Millennium,
    "century" | "centuries" | "cent" | "c" => Field::Century,
    "decade" | "decades" | "dec" | "decs" => Field::Decade,
    "year" | "years" | "yr" | "yrs" | "y" => Field::Year,
    "month" | "months" | "mon" | "mons" => Field::Month,
    "week" | "weeks" | "w" => Field::Week,
    "day" | "days" | "d" => Field::Day,
    "hour" | "hours" | "hr" | "hrs" | "h" => Field::Hour,
    "minute" | "minutes" | "min" | "mins" | "m" => Field::Minute,
    "second" | "seconds" | "sec" | "secs" | "s" => Field::Second,
    "millisecond" | "milliseconds" | "msec" | "msecs" | "ms" => Field::Millisecond,
    "microsecond" | "microseconds" | "usec" | "usecs" | "us" => Field::Microsecond,
    _ => return None,
  })
}

pub fn is_valid_interval(s: &str) -> bool {
  if s.is_empty() || s.len() > MAX_LEN || !s.is_ascii() {
    return false;
  }
  let trimmed = s.trim_matches([' ', '\t']);
  if trimmed.starts_with('P') {
    return iso8601(trimmed);
  }
  verbose(trimmed)
}

/// `[+-]digits[.digits]`, returning the rest. `signed` allows a leading sign.
fn number(s: &str, signed: bool) -> Option<&str> {
  let b = s.as_bytes();
  let mut i = usize::from(signed && matches!(b.first(), Some(b'+' | b'-')));
  let start = i;
  while i < b.len() && b[i].is_ascii_digit() {
    i += 1;
  }
  let int_digits = i - start;
  let mut frac_digits = 0;
  if b.get(i) == Some(&b'.') {
    i += 1;
    while i < b.len() && b[i].is_ascii_digit() {
      i += 1;
      frac_digits += 1;
    }
  }
  let ok = (int_digits > 0 || frac_digits > 0)
    && int_digits <= MAX_INT_DIGITS
    && frac_digits <= MAX_FRACTION_DIGITS;
  ok.then(|| &s[i..])
}

fn verbose(s: &str) -> bool {
  let s = s
    .strip_prefix('@')
    .map_or(s, |r| r.trim_start_matches([' ', '\t']));
  let mut words: Vec<&str> = s.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
  if words.last().is_some_and(|w| w.eq_ignore_ascii_case("ago")) {
    words.pop();
  }
  if words.is_empty() {
    return false;
  }
  let mut seen: Vec<Field> = Vec::with_capacity(words.len());
  let mut mark = |f: Field| {
    if seen.contains(&f) {
      return false;
    }
    seen.push(f);
    true
  };
  let mut i = 0;
  while i < words.len() {
    let w = words[i];
    if w.contains(':') {
      if !clock(w) || !mark(Field::Hour) || !mark(Field::Minute) || !mark(Field::Second) {
        return false;
      }
      i += 1;
      continue;
    }
    let Some(rest) = number(w, true) else {
      return false;
    };
    // The unit may follow directly ("10min") or as the next word ("10 min").
    let unit_word = if rest.is_empty() {
      i += 1;
      match words.get(i) {
        Some(u) => *u,
        None => return false,
      }
    } else {
      rest
    };
    match unit(&unit_word.to_ascii_lowercase()) {
      Some(f) if mark(f) => {}
      _ => return false,
    }
    i += 1;
  }
  true
}

/// `[+-]H+:MM[:SS[.frac]]`
fn clock(w: &str) -> bool {
  let w = w.strip_prefix(['+', '-']).unwrap_or(w);
  let parts: Vec<&str> = w.split(':').collect();
  if !(2..=3).contains(&parts.len()) {
    return false;
  }
  let digits =
    |p: &str, max: usize| !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit());
  if !digits(parts[0], MAX_INT_DIGITS) || !(digits(parts[1], 2)) {
    return false;
  }
  match parts.get(2) {
    None => true,
    Some(sec) => {
      let (whole, frac) = sec.split_once('.').unwrap_or((sec, "0"));
      digits(whole, 2) && digits(frac, MAX_FRACTION_DIGITS)
    }
  }
}

/// `P[nY][nM][nW][nD][T[nH][nM][nS]]`, designators in this order, at least one part, and at least
/// one after `T`.
fn iso8601(s: &str) -> bool {
  let mut rest = &s[1..];
  let date = ['Y', 'M', 'W', 'D'];
  let time = ['H', 'M', 'S'];
  let mut any = false;
  let mut order = 0;
  let mut in_time = false;
  while !rest.is_empty() {
    if rest.starts_with('T') {
      if in_time {
        return false;
      }
      in_time = true;
      order = 0;
      rest = &rest[1..];
      if rest.is_empty() {
        return false;
      }
      continue;
    }
    let Some(after) = number(rest, true) else {
      return false;
    };
    let Some(designator) = after.chars().next() else {
      return false;
    };
    let designators: &[char] = if in_time { &time } else { &date };
    match designators.iter().position(|&d| d == designator) {
      Some(p) if p >= order => order = p + 1,
      _ => return false,
    }
    any = true;
    rest = &after[1..];
  }
  any
}

#[cfg(test)]
#[path = "interval_tests.rs"]
mod tests;
