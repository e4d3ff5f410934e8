#![cfg_attr(test, allow(dead_code))]
//! The napi layer: JS values in, JS values out. No rule of the product lives here.

mod apikey;
mod args;
mod authenticate;
mod compare;
mod config;
mod csp;
mod encode;
mod errors;
mod lifecycle;
mod metrics;
mod otp;
mod password;
mod rate_limits;
mod registry;
mod request_path;
mod result_format;
mod sanitize;
mod shared;
mod strings;
mod tenant;
