//! Reading scenario folders.
