//! ClaimDesk: a desktop fact-checking workbench.
//!
//! The core modules, [`document`], [`extract`], [`review`], [`export`] and [`merge`], are plain library code: they
//! import nothing from egui, eframe or rfd. The command line ([`cli`]) and the window ([`gui`]) call into them.
//! `ARCHITECTURE.md` at the repository root says what each module owns and how data flows between them.

pub mod atomic;
pub mod cli;
pub mod corpus;
pub mod document;
pub mod export;
pub mod extract;
pub mod fsread;
#[cfg(feature = "gui")]
pub mod gui;
pub mod library;
pub mod merge;
pub mod paths;
pub mod review;
pub mod span;
pub mod train;

pub use span::Span;

/// Every program built with the library (the app, its tests and benchmarks) allocates with mimalloc: see the
/// `mimalloc` feature in `Cargo.toml`.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
