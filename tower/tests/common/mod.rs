//! A real Axum server on a loopback port and a plain HTTP/1.1 client, for the integration tests.

#![allow(dead_code)]

use auth_shield_tower::{Authenticator, SignOptions, TokenKind};
use axum::Router;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;

pub const SECRET: &str = "tower-test-access-secret-0123456789abcdef";
pub const REFRESH: &str = "tower-test-refresh-secret-0123456789abcdef";

pub struct Server {
  pub addr: SocketAddr,
  task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
  fn drop(&mut self) {
    self.task.abort();
  }
}

pub async fn serve(app: Router) -> Server {
  let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
  let addr = listener.local_addr().unwrap();
  let task = tokio::spawn(async move {
    axum::serve(listener, app).await.unwrap();
  });
  Server { addr, task }
}

/// As `serve`, with each connection's address for the handlers (`ConnectInfo<SocketAddr>`).
pub async fn serve_with_addresses(app: Router) -> Server {
  let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
  let addr = listener.local_addr().unwrap();
  let task = tokio::spawn(async move {
    axum::serve(
      listener,
      app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
    .unwrap();
  });
  Server { addr, task }
}

pub struct Answer {
  pub status: u16,
  pub headers: http::HeaderMap,
  pub body: serde_json::Value,
}

impl Answer {
  pub fn header(&self, name: &str) -> Option<&str> {
    self.headers.get(name).and_then(|v| v.to_str().ok())
  }
  pub fn code(&self) -> &str {
    self.body["code"].as_str().unwrap_or("")
  }
}

/// One request on a fresh connection; `headers` as sent (several of one name allowed).
pub async fn call(server: &Server, path: &str, headers: &[(&str, &str)]) -> Answer {
  send(server, "GET", path, headers).await
}

pub async fn send(server: &Server, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
  let stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
  let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
    .await
    .unwrap();
  tokio::spawn(conn);
  let mut req = http::Request::builder().method(method).uri(path);
  if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
    req = req.header("host", server.addr.to_string());
  }
  for (name, value) in headers {
    req = req.header(*name, *value);
  }
  let res = sender
    .send_request(req.body(Empty::<Bytes>::new()).unwrap())
    .await
    .unwrap();
  let status = res.status().as_u16();
  let headers = res.headers().clone();
  let bytes = res.into_body().collect().await.unwrap().to_bytes();
  let body = serde_json::from_slice(&bytes)
    .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&bytes).into()));
  Answer {
    status,
    headers,
    body,
  }
}

pub fn sign(auth: &Authenticator, claims: serde_json::Value) -> String {
  auth
    .sign(
      TokenKind::Access,
      claims.as_object().unwrap().clone(),
      &SignOptions::default(),
    )
    .unwrap()
}

pub fn bearer(token: &str) -> String {
  format!("Bearer {token}")
}

pub fn config() -> auth_shield_tower::AuthConfig {
  auth_shield_tower::AuthConfig::new()
    .access_secret(SECRET)
    .refresh_secret(REFRESH)
    .issuer("auth-shield-test")
}

pub fn authenticator() -> Arc<Authenticator> {
  config().build().unwrap()
}

/// A token signed with the access secret by hand, claims as given (a refresh-typed one, say).
pub fn hs256(header: serde_json::Value, claims: serde_json::Value) -> String {
  use auth_shield_core::jwt::base64url::encode;
  let input = format!(
    "{}.{}",
    encode(header.to_string().as_bytes()),
    encode(claims.to_string().as_bytes())
  );
  let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET.as_bytes());
  let tag = ring::hmac::sign(&key, input.as_bytes());
  format!("{input}.{}", encode(tag.as_ref()))
}

pub fn now() -> u64 {
  std::time::SystemTime::now()
    .duration_since(std::time::UNIX_EPOCH)
    .unwrap()
    .as_secs()
}
