//! Rate-limit policies beside the default limits: one per plan (`rateLimitPlans`, picked by a
//! claim) and one per route limit an integration defines. Each is read and checked here, once.

use crate::contract::option::{rate_policy as opt, RATE_LIMIT_PLANS};
use crate::error::Error;
use crate::jwt::claim_map::{claim_path, ClaimPath};
use crate::options::{wrong, Options, Positive, Value, Whole};
use crate::request::ratelimit::{PolicyId, Rate};
use std::collections::HashMap;

const MAX_PLANS: usize = crate::contract::limit::MAX_RATE_PLANS;

/// `{ max, refill }` named `at`; what it leaves out is `defaults`'.
pub fn rate_from_value(value: Value, at: &str, defaults: Rate) -> Result<Rate, Error> {
  let members = match value {
    Value::Map(members) => members,
    v => return Err(wrong(at, "an object { max, refill }", &v)),
  };
  let mut opts = Options(members);
  let scoped = |e: Error| Error::config(format!("{at}: {}", e.detail));
  opts.refuse_unknown(opt::NAMES).map_err(scoped)?;
  let capacity = opts
    .whole(&Whole {
      default: defaults.capacity as f64,
      ..opt::MAX
    })
    .map_err(scoped)?;
  let refill = opts
    .above_zero(&Positive {
      default: defaults.refill_per_sec,
      ..opt::REFILL
    })
    .map_err(scoped)?;
  Ok(Rate {
    capacity: capacity as u32,
    refill_per_sec: refill,
  })
}

/// The plans of `rateLimitPlans`: where the plan claim is, and each plan's limits.
#[derive(Debug, Clone)]
pub struct Plans {
  pub claim: ClaimPath,
  /// In the order given; plan `i` is policy `i + 1`.
  pub rates: Vec<Rate>,
  by_name: HashMap<String, PolicyId>,
}

impl Plans {
  /// `rateLimitPlans: { claim, plans }`, or `None` when not given.
  pub fn from_value(
    value: Option<Value>,
    defaults: Rate,
    reserved: &[&str],
  ) -> Result<Option<Plans>, Error> {
    let name = RATE_LIMIT_PLANS;
    let members = match value {
      None => return Ok(None),
      Some(Value::Map(members)) => members,
      Some(v) => return Err(wrong(name, "an object { claim, plans }", &v)),
    };
    let mut opts = Options(members);
    opts
      .refuse_unknown(&["claim", "plans"])
      .map_err(|e| Error::config(format!("{name}: {}", e.detail)))?;
    let claim = match opts.take("claim") {
      Some(v) => claim_path(v, &format!("{name}.claim"), reserved)?,
      None => return Err(Error::config(format!("`{name}.claim` is required"))),
    };
    let table = match opts.take("plans") {
      Some(Value::Map(table)) if !table.is_empty() && table.len() <= MAX_PLANS => table,
      Some(Value::Map(_)) => {
        return Err(Error::config(format!(
          "`{name}.plans` must name 1 to {MAX_PLANS} plans"
        )))
      }
      None => return Err(Error::config(format!("`{name}.plans` is required"))),
      Some(v) => return Err(wrong(&format!("{name}.plans"), "an object of plans", &v)),
    };
    let mut rates = Vec::with_capacity(table.len());
    let mut by_name = HashMap::with_capacity(table.len());
    for (plan, limits) in table {
      if plan.is_empty() {
        return Err(Error::config(format!(
          "`{name}.plans`: a plan name may not be empty"
        )));
      }
      rates.push(rate_from_value(
        limits,
        &format!("{name}.plans.{plan}"),
        defaults,
      )?);
      by_name.insert(plan, rates.len() as PolicyId);
    }
    Ok(Some(Plans {
      claim,
      rates,
      by_name,
    }))
  }

  /// The policy of a token's plan, when the plan is in the table.
  pub fn policy(&self, plan: &str) -> Option<PolicyId> {
    self.by_name.get(plan).copied()
  }
}

#[cfg(test)]
mod tests {
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
}
