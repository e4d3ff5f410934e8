#![cfg_attr(test, allow(dead_code))]
//! The napi layer: JS values in, JS values out. No rule of the product lives here.

mod authenticate;
mod config;
mod encode;
mod errors;
mod strings;
