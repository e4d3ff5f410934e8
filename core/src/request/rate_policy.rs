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
#[path = "rate_policy_tests.rs"]
mod tests;
