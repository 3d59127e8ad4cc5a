//! CSV import readers.
