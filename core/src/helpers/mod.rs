//! The security helpers an API needs beside authentication; none is on the request path.

pub mod apikey;
pub mod compare;
pub mod csp;
pub mod otp;
pub mod password;
pub mod sanitize;
