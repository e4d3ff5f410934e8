//! Unit tests of `interval.rs`.

use super::*;

#[test]
fn accepts_postgres_intervals() {
  for s in [
    "7 days",
    "1 day",
    "1 hour 30 minutes",
    "1 hour 30 minutes ago",
    "@ 1 minute",
    "10min",
    "-1.5 hours",
    "+2 weeks 3 days",
    "1 year 2 months 3 days 04:05:06",
    "04:05",
    "-04:05:06.123456",
    "3 mons",
    "2 centuries",
    "5 ms",
    "  7 DAYS  ",
    "P1DT2H",
    "P1Y2M3W4D",
    "PT0.5S",
    "PT1H30M",
    "P-1D",
  ] {
    assert!(is_valid_interval(s), "{s}");
  }
}

#[test]
fn refuses_anything_else() {
  for s in [
    "",
    " ",
    "7",
    "days",
    "7 days 2 days",
    "1 hour 02:00",
    "7 fortnights",
    "1 day'; DROP TABLE users; --",
    "1 day' OR '1'='1",
    "1 day) OR (1=1",
    "1 day /* x */",
    "1 day -- x",
    "'1 day'",
    "1 day\n2 hours",
    "1 day;",
    "1,5 days",
    "1e3 days",
    "1234567890 days",
    "1.1234567 seconds",
    "ago",
    "@",
    "1 day ago ago",
    "P",
    "PT",
    "P1H",
    "P1DT",
    "P1D2Y",
    "PT1S1M",
    "P1DT2HT3M",
    "p1d",
    "1:2:3:4",
    "1:222",
    "１ day",
    "7 days\u{0}",
  ] {
    assert!(!is_valid_interval(s), "{s:?}");
  }
  assert!(!is_valid_interval(&"1 day ".repeat(30)));
}
