//! The claim memory: earlier fact-checks and matching a claim against them.

pub mod matching;
