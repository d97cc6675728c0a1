//! Renderers: plain data in, bytes or text out. Nothing here prints or writes files.

pub mod format;
pub mod optimisation;
pub mod verification;
