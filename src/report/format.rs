//! French number and date formatting: see [`crate::format`], re-exported here for renderers.

pub use crate::format::*;
