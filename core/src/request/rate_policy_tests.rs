//! Unit tests of `rate_policy.rs`.

use super::*;

const DEFAULTS: Rate = Rate {
  capacity: 100,
  refill_per_sec: 10.0,
};

fn map(pairs: Vec<(&str, Value)>) -> Value {
  Value::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

#[test]
fn plans_are_read_with_the_defaults_filling_in() {
  let plans = Plans::from_value(
    Some(map(vec![
      ("claim", Value::String("plan".into())),
      (
        "plans",
        map(vec![
          ("free", map(vec![("max", Value::Number(5.0))])),
          ("pro", map(vec![("refill", Value::Number(0.5))])),
        ]),
      ),
    ])),
    DEFAULTS,
    &["exp"],
  )
  .unwrap()
  .unwrap();
  assert_eq!(plans.policy("free"), Some(1));
  assert_eq!(plans.policy("pro"), Some(2));
  assert_eq!(plans.policy("enterprise"), None);
  assert_eq!(plans.rates[0].capacity, 5);
  assert_eq!(plans.rates[0].refill_per_sec, 10.0);
  assert_eq!(plans.rates[1].capacity, 100);
  assert_eq!(plans.rates[1].refill_per_sec, 0.5);
}

#[test]
fn bad_tables_are_refused_naming_the_place() {
  let ok_plans = || map(vec![("free", map(vec![]))]);
  let cases: Vec<(Value, &str)> = vec![
    (Value::String("plan".into()), "rateLimitPlans"),
    (map(vec![("plans", ok_plans())]), "claim"),
    (map(vec![("claim", Value::String("plan".into()))]), "plans"),
    (
      map(vec![
        ("claim", Value::String("exp".into())),
        ("plans", ok_plans()),
      ]),
      "exp",
    ),
    (
      map(vec![
        ("claim", Value::String("plan".into())),
        ("plans", map(vec![])),
      ]),
      "1 to",
    ),
    (
      map(vec![
        ("claim", Value::String("plan".into())),
        (
          "plans",
          map(vec![("free", map(vec![("max", Value::Number(0.0))]))]),
        ),
      ]),
      "plans.free",
    ),
    (
      map(vec![
        ("claim", Value::String("plan".into())),
        (
          "plans",
          map(vec![("free", map(vec![("burst", Value::Number(1.0))]))]),
        ),
      ]),
      "Unknown option",
    ),
    (
      map(vec![
        ("claim", Value::String("plan".into())),
        ("plans", map(vec![("free", Value::Number(1.0))])),
      ]),
      "plans.free",
    ),
    (
      map(vec![
        ("claim", Value::String("plan".into())),
        ("plans", ok_plans()),
        ("x", Value::Bool(true)),
      ]),
      "Unknown option",
    ),
  ];
  for (value, needle) in cases {
    let e = Plans::from_value(Some(value.clone()), DEFAULTS, &["exp"]).unwrap_err();
    assert!(e.detail.contains(needle), "{value:?}: {}", e.detail);
  }
}
