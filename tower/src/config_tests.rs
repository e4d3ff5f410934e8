use super::*;
use crate::options::LayerOptions;
use serde_json::json;

#[test]
fn json_members_become_the_cores_option_values_and_null_means_left_out() {
  let config = AuthConfig::from_json(&json!({
    "accessSecret": "s".repeat(32), "issuer": null, "rateLimitMax": 5,
    "claims": { "roles": ["realm_access", "roles"] }
  }))
  .unwrap();
  assert!(config.has("accessSecret") && config.has("rateLimitMax") && config.has("claims"));
  assert!(!config.has("issuer"));
  let claims = config.raw.iter().find(|(n, _)| n == "claims").unwrap();
  assert_eq!(
    claims.1,
    Value::Map(vec![(
      "roles".into(),
      Value::List(vec![
        Value::String("realm_access".into()),
        Value::String("roles".into())
      ])
    )])
  );
  assert!(config.build().is_ok());
}

#[test]
fn a_value_nested_past_what_node_reads_is_named_not_followed() {
  let deep = json!([[[[["x"]]]]]);
  let Some(Value::List(l1)) = describe(&deep, 0) else {
    panic!()
  };
  let Value::List(l2) = &l1[0] else { panic!() };
  let Value::List(l3) = &l2[0] else { panic!() };
  let Value::List(l4) = &l3[0] else { panic!() };
  assert_eq!(l4[0], Value::Other("an array nested too deeply"));
}

#[test]
fn a_bad_config_is_the_cores_coded_error() {
  let not_object = AuthConfig::from_json(&json!(["accessSecret"])).unwrap_err();
  assert_eq!(not_object.code.as_str(), "INVALID_CONFIG");
  assert_eq!(
    AuthConfig::from_json_str("{").unwrap_err().code.as_str(),
    "INVALID_CONFIG"
  );
  let short = AuthConfig::new()
    .access_secret("short")
    .build()
    .err()
    .unwrap();
  assert_eq!(short.code.as_str(), "WEAK_SECRET");
  let unknown = AuthConfig::new()
    .access_secret("s".repeat(32))
    .set("nope", 1)
    .build()
    .err()
    .unwrap();
  assert_eq!(unknown.code.as_str(), "INVALID_CONFIG");
  assert!(unknown.detail.contains("nope"), "{}", unknown.detail);
  let typed = AuthConfig::new()
    .access_secret("s".repeat(32))
    .set("rateLimitMax", "10")
    .build()
    .err()
    .unwrap();
  assert!(typed.detail.contains("rateLimitMax"), "{}", typed.detail);
}

#[test]
fn serde_reads_a_config_and_the_layer_options_in_nodes_names() {
  #[derive(Deserialize)]
  struct Service {
    config: AuthConfig,
    options: LayerOptions,
  }
  let s: Service = serde_json::from_value(json!({
    "config": { "accessSecret": "s".repeat(32), "baseDomain": "example.com" },
    "options": { "tenantHeader": "X-Org", "rateLimitHeaders": false, "skipMethods": [] }
  }))
  .unwrap();
  assert!(s.config.has("baseDomain"));
  let checked = s.options.check().unwrap();
  assert_eq!(checked.tenant_header.as_str(), "x-org");
  assert_eq!(
    checked.rate_limit_headers,
    crate::options::RateLimitHeaders::None
  );
  assert!(checked.skip_methods.is_empty());
  assert!(serde_json::from_value::<LayerOptions>(json!({ "onError": 1 })).is_err());
  assert!(
    serde_json::from_value::<LayerOptions>(json!({ "rateLimitHeaders": "draft-9" })).is_err()
  );
}

#[test]
fn layer_options_are_checked_when_the_layer_is_made() {
  let bad = |o: serde_json::Value| {
    serde_json::from_value::<LayerOptions>(o)
      .unwrap()
      .check()
      .unwrap_err()
  };
  assert!(bad(json!({ "tenantHeader": "not a header" }))
    .detail
    .contains("tenantHeader"));
  assert!(bad(json!({ "tenantHeader": "Authorization" }))
    .detail
    .contains("tenantHeader"));
  assert!(bad(json!({ "realm": "a\"b" })).detail.contains("realm"));
  assert!(bad(json!({ "skipMethods": ["GE T"] }))
    .detail
    .contains("skipMethods"));
  let auth = AuthConfig::new()
    .access_secret("s".repeat(32))
    .build()
    .unwrap();
  for limit in [json!(true), json!({ "max": 0 }), json!("fast")] {
    let options: LayerOptions = serde_json::from_value(json!({ "rateLimit": limit })).unwrap();
    let err = crate::AuthShieldLayer::builder(auth.clone())
      .options(options)
      .build()
      .err()
      .unwrap();
    assert_eq!(
      err.code.as_str(),
      "INVALID_CONFIG",
      "{limit}: {}",
      err.detail
    );
  }
}
