//! Fetching a JWK Set from its URL, with the Node refresher's rules (lib/helpers/jwks.js): http or
//! https, `Accept: application/json`, 200 only (a redirect is not followed), at most 1 MiB. The
//! client is rustls on ring with the Mozilla roots, made once per refresher.

use crate::jwks::{JwksOptions, JwksRefresher};
use auth_shield_core::error::Error;
use auth_shield_core::request::pipeline::Authenticator;
use bytes::Bytes;
use http::{header, Request, StatusCode, Uri};
use http_body_util::{BodyExt, Empty, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;

const MAX_BYTES: usize = 1 << 20;

impl JwksRefresher {
  /// Keeps `auth`'s keys in step with the JWK Set at `uri` (an identity provider's
  /// `…/.well-known/jwks.json`): `INVALID_CONFIG` for a URL that is not http(s).
  pub fn from_uri(
    auth: Arc<Authenticator>,
    uri: &str,
    options: JwksOptions,
  ) -> Result<JwksRefresher, Error> {
    Self::from_uri_with(auth, uri, options, crate::jwks::report_to_stderr)
  }

  /// `from_uri`, with failures (and keys of the set that were skipped) told to `on_error`, once
  /// per message.
  pub fn from_uri_with(
    auth: Arc<Authenticator>,
    uri: &str,
    options: JwksOptions,
    on_error: impl Fn(&str) + Send + Sync + 'static,
  ) -> Result<JwksRefresher, Error> {
    let parsed: Uri = uri
      .parse()
      .map_err(|_| Error::config("The JWKS URL is not a URL"))?;
    if !matches!(parsed.scheme_str(), Some("https" | "http")) || parsed.host().is_none() {
      return Err(Error::config("The JWKS URL must be http(s)"));
    }
    // Reports name the URL without its query, which could carry a credential.
    let shown = format!(
      "{}://{}{}",
      parsed.scheme_str().unwrap_or(""),
      parsed.authority().map_or("", |a| a.as_str()),
      parsed.path()
    );
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
      .with_webpki_roots()
      .https_or_http()
      .enable_http1()
      .build();
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build(connector);
    let fetch_set = move || {
      let (client, uri, shown) = (client.clone(), parsed.clone(), shown.clone());
      async move {
        fetch(&client, uri)
          .await
          .map_err(|why| format!("JWKS {shown}: {why}"))
      }
    };
    Self::start_with(auth, options, fetch_set, on_error)
  }
}

async fn fetch<C>(client: &Client<C, Empty<Bytes>>, uri: Uri) -> Result<String, String>
where
  C: hyper_util::client::legacy::connect::Connect + Clone + Send + Sync + 'static,
{
  let req = Request::get(uri)
    .header(header::ACCEPT, "application/json")
    .body(Empty::new())
    .map_err(|e| e.to_string())?;
  let res = client
    .request(req)
    .await
    .map_err(|e| format!("fetch failed ({e})"))?;
  if res.status() != StatusCode::OK {
    return Err(format!("HTTP {}", res.status().as_u16()));
  }
  let declared = res
    .headers()
    .get(header::CONTENT_LENGTH)
    .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
  if declared.is_some_and(|n| n > MAX_BYTES) {
    return Err(format!("larger than {MAX_BYTES} bytes"));
  }
  let body = Limited::new(res.into_body(), MAX_BYTES)
    .collect()
    .await
    .map_err(|_| format!("larger than {MAX_BYTES} bytes, or the body could not be read"))?
    .to_bytes();
  String::from_utf8(body.to_vec()).map_err(|_| "not JSON".to_owned())
}
