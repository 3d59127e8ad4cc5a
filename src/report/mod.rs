//! Pure computations over delayed-day counts: rates, targets, RAG, SPC, exports.
pub mod cli;
