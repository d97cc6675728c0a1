//! Former home of the scenario writer, kept as a path for the CLI's RNE import while `src/cli`
//! moves out of the library: the one writer of the input format is [`super::scenario`].

pub use super::scenario::{elus_csv, nombre_csv};
